#include "zoo/world.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/atomic_output.h"
#include "common/error.h"
#include "common/files.h"
#include "fitness/tokenizer.h"
#include "zoo/src/datasets.h"
#include "zoo/src/parent_writer.h"
#include "zoo/src/recipe.h"
#include "zoo/src/sha256.h"
#include "zoo/src/spm_train.h"
#include "zoo/src/trainer.h"
#include "zoo/src/workers.h"
#include "zoo/src/world_files.h"

namespace hallmark::zoo {
namespace {

namespace fs = std::filesystem;

const char* kWorldFile = "world.json";

// Workers log too; the caller's log function need not be thread-safe.
std::mutex log_mutex;

void say(const ZooOptions& options, const std::string& line) {
  std::lock_guard<std::mutex> lock(log_mutex);
  if (options.log) options.log(line);
}

int worker_count(const ZooOptions& options) {
  if (options.workers > 0) return options.workers;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// Restores the caller's intra-op thread count however the build ends.
class ThreadCount {
 public:
  explicit ThreadCount(int n) : saved_(at::get_num_threads()) { at::set_num_threads(n); }
  ~ThreadCount() { at::set_num_threads(saved_); }
  ThreadCount(const ThreadCount&) = delete;
  ThreadCount& operator=(const ThreadCount&) = delete;

 private:
  int saved_;
};

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// The pretraining stream: every corpus line as BOS ids EOS, concatenated and cut into windows.
std::vector<Sequence> pack_corpus(const fitness::Tokenizer& tok, const std::vector<std::string>& lines,
                                  int seq_len) {
  std::vector<int64_t> stream;
  for (const auto& line : lines) {
    stream.push_back(tok.bos_id());
    auto ids = tok.encode(line);
    stream.insert(stream.end(), ids.begin(), ids.end());
    stream.push_back(tok.eos_id());
  }
  std::vector<Sequence> out;
  size_t n = static_cast<size_t>(seq_len);
  for (size_t begin = 0; begin + n <= stream.size(); begin += n) {
    Sequence s;
    s.ids.assign(stream.begin() + static_cast<std::ptrdiff_t>(begin),
                 stream.begin() + static_cast<std::ptrdiff_t>(begin + n));
    s.train.assign(n, 1);
    out.push_back(std::move(s));
  }
  return out;
}

// Fine-tuning sequences: BOS prompt response EOS, trained on the response and EOS only.
std::vector<Sequence> tokenize_examples(const fitness::Tokenizer& tok,
                                        const std::vector<Example>& examples) {
  std::vector<Sequence> out;
  for (const auto& e : examples) {
    Sequence s;
    s.ids.push_back(tok.bos_id());
    auto prompt = tok.encode(e.prompt);
    auto full = tok.encode(join_example(e));
    s.ids.insert(s.ids.end(), full.begin(), full.end());
    s.ids.push_back(tok.eos_id());
    s.train.assign(s.ids.size(), 0);
    for (size_t i = 1 + prompt.size(); i < s.ids.size(); ++i) s.train[i] = 1;
    out.push_back(std::move(s));
  }
  return out;
}

fitness::WeightMap copy_weights(const fitness::WeightMap& w) {
  fitness::WeightMap out;
  for (const auto& [name, t] : w) out[name] = t.detach().clone();
  return out;
}

// What the checkpoint holds: weights rounded to bf16, back in fp32 to train on.
void round_to_bf16(fitness::WeightMap& w) {
  for (auto& [name, t] : w) t = t.detach().to(at::kBFloat16).to(at::kFloat);
}

std::vector<std::string> list_files(const fs::path& root) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), root).generic_string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

bool zoo_is_current(const fs::path& dir, const ZooOptions& options) {
  auto world = dir / kWorldFile;
  if (!fs::is_regular_file(world)) return false;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(read_file(world));
  } catch (const std::exception&) {
    return false;
  }
  auto recipe = recipe_json(make_recipe(options.scale), options.seed);
  if (!j.contains("recipe") || j["recipe"] != recipe || !j.contains("files")) return false;
  for (const auto& [name, digest] : j["files"].items()) {
    auto path = dir / name;
    if (!fs::is_regular_file(path) || !digest.is_string() ||
        sha256_file(path) != digest.get<std::string>()) {
      return false;
    }
  }
  // Nothing extra either: the listing must be exactly the recorded files.
  auto files = list_files(dir);
  return files.size() == j["files"].size() + 1;
}

ZooResult build_zoo(const ZooOptions& options) {
  auto start = std::chrono::steady_clock::now();
  ZooResult result;
  result.dir = options.out;
  result.models = world_model_names();
  if (fs::exists(options.out)) {
    if (!fs::is_directory(options.out)) {
      throw InputError(options.out.string() + ": exists and is not a directory");
    }
    if (!options.force && zoo_is_current(options.out, options)) {
      say(options, "zoo: " + options.out.string() + " is up to date, reusing it");
      result.reused = true;
      return result;
    }
    if (!fs::is_empty(options.out) && !fs::exists(options.out / kWorldFile)) {
      throw InputError(options.out.string() +
                       ": exists and is not a hallmark zoo world (no world.json); refusing to "
                       "replace it");
    }
  }
  // One intra-op thread for every model, so that the bytes never depend on the machine or on
  // the number of workers (workers.h).
  ThreadCount threads(1);
  Recipe recipe = make_recipe(options.scale);

  AtomicDir out(options.out, /*overwrite=*/true);
  const fs::path root = out.path();
  // Scratch space for spm_train, removed before the world is committed.
  const fs::path work = root / ".build";
  fs::create_directories(work);

  say(options, "zoo: generating data (seed " + std::to_string(options.seed) + ")");
  WorldData data = generate_world_data(options.seed, recipe.data);
  std::vector<std::string> tokenizer_text = data.pretrain;
  for (const auto* set : {&data.addition_train, &data.multiplication_train, &data.safety_train}) {
    for (const auto& e : *set) tokenizer_text.push_back(join_example(e));
  }
  write_file_atomic(work / "corpus.txt", join_lines(tokenizer_text));
  say(options, "zoo: training the SentencePiece tokenizer with spm_train");
  run_spm_train(work, recipe.tokenizer);
  auto tokenizer = fitness::Tokenizer::load(work / "tokenizer.model");
  recipe.model.vocab_size = tokenizer.vocab_size();

  auto log = [&](const std::string& what) {
    return [&options, what](const std::string& line) { say(options, "zoo: " + what + ": " + line); };
  };
  WorldFiles files = make_world_files(data);

  say(options, "zoo: pretraining the base model");
  auto base = init_weights(recipe.model, options.seed * 1000 + 1);
  train(recipe.model, base, pack_corpus(tokenizer, data.pretrain, recipe.pretrain_seq_len),
        recipe.pretrain, log("base"));
  round_to_bf16(base);
  write_parent(root / "models" / "base", files.parents.at(0), recipe.model, base,
               work / "tokenizer.model");

  struct FineTune {
    size_t parent;
    const std::vector<Example>* examples;
    const TrainSettings* settings;
  };
  // In the order workers take them: the specialist (most steps) first, so that it does not
  // start last while the other workers sit idle.
  const std::vector<FineTune> finetunes = {
      {1, &data.addition_train, &recipe.specialist},
      {2, &data.safety_train, &recipe.safety},
      {3, &data.multiplication_train, &recipe.secondary},
      {4, &data.undocumented_train, &recipe.secondary},
  };
  // The fine-tunes are independent once the base exists: train them at once. Tokenizing and
  // writing stay in this thread; workers only train their own copy of the base.
  std::vector<std::vector<Sequence>> sequences;
  std::vector<fitness::WeightMap> weights;
  for (const auto& ft : finetunes) {
    sequences.push_back(tokenize_examples(tokenizer, *ft.examples));
    weights.push_back(copy_weights(base));
  }
  const int workers = worker_count(options);
  say(options, "zoo: fine-tuning " + std::to_string(finetunes.size()) + " models, " +
                   std::to_string(std::min<size_t>(finetunes.size(), static_cast<size_t>(workers))) +
                   " at a time");
  run_in_workers(finetunes.size(), workers, [&](size_t i) {
    const auto& spec = files.parents.at(finetunes[i].parent);
    train(recipe.model, weights[i], sequences[i], *finetunes[i].settings, log(spec.dir));
  });
  for (size_t i = 0; i < finetunes.size(); ++i) {
    const auto& spec = files.parents.at(finetunes[i].parent);
    write_parent(root / "models" / spec.dir, spec, recipe.model, weights[i], work / "tokenizer.model");
  }

  fs::remove_all(work);
  for (const auto& [name, bytes] : files.extra) {
    fs::create_directories((root / name).parent_path());
    write_file_atomic(root / name, bytes);
  }
  nlohmann::json digests = nlohmann::json::object();
  for (const auto& name : list_files(root)) digests[name] = sha256_file(root / name);
  nlohmann::json world = {{"recipe", recipe_json(recipe, options.seed)},
                          {"models", result.models},
                          {"files", digests}};
  write_file_atomic(root / kWorldFile, world.dump(2) + "\n");
  out.commit();
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  say(options, "zoo: built " + options.out.string());
  return result;
}

}  // namespace hallmark::zoo
