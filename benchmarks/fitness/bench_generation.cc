// Prefill and decode throughput of the fitness runtime beside a vectorised PyTorch peer
// (python_generate.py) on the same checkpoint, same thread count, same shapes, fp32 CPU.
//
//   fitness_bench_generation [--model DIR] [--threads N] [--prompt T] [--new N] [--repeats R]
//
// Without --model, a random checkpoint of the demo zoo's shape is written to a temporary
// directory (the table says so). Each (runtime, batch) pair runs in its own process so that
// its peak resident memory is its own.
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checkpoint/aten.h"
#include "checkpoint/checkpoint.h"
#include "checkpoint/safetensors.h"
#include "common/atomic_output.h"
#include "fitness/model.h"

namespace fs = std::filesystem;
using namespace hallmark;
using namespace hallmark::fitness;

namespace {

struct Args {
  std::string model;
  int threads = 2;
  int64_t prompt = 32;
  int64_t new_tokens = 64;
  int repeats = 5;
  int64_t batch = 0;  // > 0: measure this batch size only and print JSON
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// The shape of the demo zoo's parents (zoo/src/recipe.cc) with a 1024-piece vocabulary.
LlamaConfig zoo_shape() {
  LlamaConfig c;
  c.vocab_size = 1024;
  c.hidden_size = 64;
  c.intermediate_size = 176;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 4;
  c.num_key_value_heads = 2;
  c.head_dim = 16;
  c.max_position_embeddings = 128;
  c.bos_token_id = 1;
  c.eos_token_ids = {2};
  return c;
}

void write_random_checkpoint(const fs::path& dir, const LlamaConfig& config) {
  fs::create_directories(dir);
  at::Generator gen = at::detail::createCPUGenerator(1);
  std::vector<at::Tensor> tensors;
  std::vector<checkpoint::TensorView> views;
  for (const auto& [name, shape] : config.weight_shapes()) {
    at::Tensor t = name.ends_with("norm.weight") ? at::ones(shape) : 0.05 * at::randn(shape, gen, at::kFloat);
    tensors.push_back(t.contiguous());
    views.push_back(checkpoint::view_of(name, tensors.back()));
  }
  write_file_atomic(dir / "model.safetensors", checkpoint::serialize_safetensors(views));
  write_file_atomic(dir / "config.json", config.to_json().dump(2));
}

// One batch size: medians of prefill and decode seconds, as JSON.
nlohmann::json measure(const Args& args) {
  at::set_num_threads(args.threads);
  const auto ckpt = checkpoint::Checkpoint::open(args.model);
  const LlamaModel model = LlamaModel::load(ckpt);
  const int64_t vocab = model.config().vocab_size;
  const at::Tensor ids = (at::arange(args.batch * args.prompt, at::kLong).reshape({args.batch, args.prompt}) * 7919 + 3) % vocab;
  std::vector<double> prefill, decode;
  c10::InferenceMode inference;
  using clock = std::chrono::steady_clock;
  for (int r = 0; r < args.repeats; ++r) {
    KVCache cache(model, args.batch, args.prompt + args.new_tokens);
    at::Tensor mask = at::ones({args.batch, args.prompt}, at::kLong);
    auto start = clock::now();
    at::Tensor logits = model.forward_cached(ids, mask, cache, /*last_only=*/true);
    prefill.push_back(std::chrono::duration<double>(clock::now() - start).count());
    const at::Tensor one = at::ones({args.batch, 1}, at::kLong);
    start = clock::now();
    for (int64_t step = 0; step < args.new_tokens; ++step) {
      const at::Tensor next = logits.select(1, 0).argmax(-1);
      mask = at::cat({mask, one}, 1);
      logits = model.forward_cached(next.unsqueeze(1), mask, cache, /*last_only=*/true);
    }
    decode.push_back(std::chrono::duration<double>(clock::now() - start).count());
  }
  return {{"prefill_s", prefill}, {"decode_s", decode}, {"peak_rss_kib", peak_rss_kib()}};
}

nlohmann::json run_json(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run " + command);
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  if (pclose(pipe) != 0) throw std::runtime_error("failed: " + command);
  return nlohmann::json::parse(out.substr(out.find('{')));
}

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--model") a.model = value;
    else if (key == "--threads") a.threads = std::stoi(value);
    else if (key == "--prompt") a.prompt = std::stoll(value);
    else if (key == "--new") a.new_tokens = std::stoll(value);
    else if (key == "--repeats") a.repeats = std::stoi(value);
    else if (key == "--batch") a.batch = std::stoll(value);
    else throw std::invalid_argument("unknown option " + key);
  }
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  Args args = parse(argc, argv);
  if (args.batch > 0) {
    std::printf("%s\n", measure(args).dump().c_str());
    return 0;
  }
  fs::path scratch;
  std::string what = args.model;
  if (args.model.empty()) {
    scratch = fs::temp_directory_path() / ("hallmark-bench-" + std::to_string(std::random_device{}()));
    write_random_checkpoint(scratch, zoo_shape());
    args.model = scratch.string();
    what = "random weights, zoo shape";
  }
  const auto ckpt = checkpoint::Checkpoint::open(args.model);
  const LlamaConfig config = LlamaConfig::from_json(ckpt.config(), args.model);
  std::printf("model: %s (%s: hidden %lld, %lld layers, %lld/%lld heads, vocab %lld), fp32 cpu, %d threads, "
              "prompt %lld tokens, %lld new tokens, median of %d\n\n",
              what.c_str(), config.architecture.c_str(), static_cast<long long>(config.hidden_size),
              static_cast<long long>(config.num_hidden_layers), static_cast<long long>(config.num_attention_heads),
              static_cast<long long>(config.num_key_value_heads), static_cast<long long>(config.vocab_size),
              args.threads, static_cast<long long>(args.prompt), static_cast<long long>(args.new_tokens), args.repeats);
  std::printf("| batch | prefill tok/s hallmark | prefill tok/s PyTorch | ratio | decode tok/s hallmark | "
              "decode tok/s PyTorch | ratio | peak RSS hallmark | peak RSS PyTorch |\n"
              "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  const std::string common = " " + std::to_string(args.threads);
  for (const int64_t batch : {int64_t{1}, int64_t{32}}) {
    const std::string self = std::string(argv[0]) + " --model '" + args.model + "' --threads " +
                             std::to_string(args.threads) + " --prompt " + std::to_string(args.prompt) + " --new " +
                             std::to_string(args.new_tokens) + " --repeats " + std::to_string(args.repeats) +
                             " --batch " + std::to_string(batch);
    const std::string python = "/usr/bin/python3 '" HALLMARK_BENCH_DIR "/python_generate.py' '" + args.model + "'" +
                               common + " " + std::to_string(batch) + " " + std::to_string(args.prompt) + " " +
                               std::to_string(args.new_tokens) + " " + std::to_string(args.repeats);
    const auto ours = run_json(self);
    const auto peer = run_json(python);
    const double tokens_in = static_cast<double>(batch * args.prompt);
    const double tokens_out = static_cast<double>(batch * args.new_tokens);
    const double p_ours = tokens_in / median(ours["prefill_s"]), p_peer = tokens_in / median(peer["prefill_s"]);
    const double d_ours = tokens_out / median(ours["decode_s"]), d_peer = tokens_out / median(peer["decode_s"]);
    std::printf("| %lld | %.0f | %.0f | %.2fx | %.0f | %.0f | %.2fx | %.0f MiB | %.0f MiB |\n",
                static_cast<long long>(batch), p_ours, p_peer, p_ours / p_peer, d_ours, d_peer, d_ours / d_peer,
                ours["peak_rss_kib"].get<double>() / 1024, peer["peak_rss_kib"].get<double>() / 1024);
    std::fflush(stdout);
  }
  if (!scratch.empty()) fs::remove_all(scratch);
  return 0;
}
