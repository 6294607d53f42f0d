// Merge throughput and memory, beside a STREAM triad probe and the Python reference measured
// in the same run. Modes:
//   merge_bench tensors [N=4096] [THREADS=2] [REPEATS=5]   per method on N x N fp32 tensors
//   merge_bench checkpoint [THREADS=2] [REPEATS=3]          whole synthetic Llama-shaped model
//   merge_bench memory [THREADS=2]                          peak RssAnon of `hallmark merge`,
//                                                           three bf16 parents of 1.1B params
// Prints medians; see benchmarks/RESULTS.md.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <sys/wait.h>
#include <unistd.h>

#include "checkpoint/aten.h"
#include "checkpoint/writer.h"
#include "merge/child_writer.h"
#include "merge/method.h"
#include "merge/recipe.h"

namespace fs = std::filesystem;
using namespace hallmark;
using Clock = std::chrono::steady_clock;

namespace {

template <typename F>
double median_seconds(int repeats, F&& f) {
  std::vector<double> t;
  for (int i = 0; i < repeats; ++i) {
    const auto start = Clock::now();
    f();
    t.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

// STREAM triad a = b + s c on fp32 arrays much larger than the caches; GB/s counts 3 arrays.
double triad_gbs(int repeats) {
  const int64_t n = 1 << 26;
  at::Tensor a = at::empty({n}), b = at::rand({n}), c = at::rand({n});
  float *pa = a.data_ptr<float>(), *pb = b.data_ptr<float>(), *pc = c.data_ptr<float>();
  const float s = 3.0f;
  auto triad = [&] {
    at::parallel_for(0, n, 1 << 16, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) pa[i] = pb[i] + s * pc[i];
    });
  };
  triad();
  return 3.0 * 4.0 * static_cast<double>(n) / median_seconds(repeats, triad) / 1e9;
}

merge::Params params_for(const merge::Method& m, merge::ParamScope scope,
                         const std::map<std::string, merge::ParamValue>& values) {
  merge::Params p;
  for (const auto& spec : m.info().params)
    if (spec.scope == scope && spec.default_value) p.set(spec.name, *spec.default_value);
  for (const auto& [k, v] : values) p.set(k, v);
  return p;
}

std::map<std::string, double> python_reference(int64_t n, int threads, int repeats,
                                               const std::vector<std::string>& methods) {
  std::string command = "/usr/bin/python3 " HALLMARK_SOURCE_DIR "/benchmarks/merge/reference_bench.py " +
                        std::to_string(n) + " " + std::to_string(threads) + " " + std::to_string(repeats);
  for (const auto& m : methods) command += " " + m;
  std::map<std::string, double> out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return out;
  char name[64];
  double seconds = 0;
  while (std::fscanf(pipe, "%63s %lf", name, &seconds) == 2) out[name] = seconds;
  ::pclose(pipe);
  return out;
}

int bench_tensors(int64_t n, int threads, int repeats, std::vector<std::string> methods) {
  at::set_num_threads(threads);
  at::manual_seed(0);
  const at::Tensor base = at::randn({n, n}), a = at::randn({n, n}), b = at::randn({n, n});
  // The executor merges every tensor of a child into one reused buffer, as here.
  const at::Tensor out = at::zeros({n, n});
  if (methods.empty())
    methods = {"linear", "task_arithmetic", "ties", "dare_ties", "dare_linear", "breadcrumbs",
               "della", "slerp", "nuslerp", "model_stock"};
  const double triad = triad_gbs(repeats);
  std::printf("threads %d, %lld x %lld fp32, median of %d\n", threads, static_cast<long long>(n),
              static_cast<long long>(n), repeats);
  std::printf("STREAM triad: %.2f GB/s\n", triad);
  const auto python = python_reference(n, threads, std::max(1, repeats / 2), methods);
  std::printf("%-16s %10s %10s %10s %9s %9s %8s %14s\n", "method", "ms", "Gelem/s", "GB/s", "of triad",
              "python ms", "speedup", "fresh-out ms");
  for (const auto& name : methods) {
    const merge::Method& m = *merge::find_method(name);
    merge::MergeArgs args;
    args.tensor_name = "w";
    args.seed = 1;
    const bool with_base = m.info().base != merge::BaseRole::Ignored;
    if (with_base) args.base = base;
    std::map<std::string, merge::ParamValue> pa = {{"weight", 0.6}, {"density", 0.5}, {"epsilon", 0.1}};
    std::map<std::string, merge::ParamValue> pb = {{"weight", 0.4}, {"density", 0.5}, {"epsilon", 0.1}};
    const size_t count = name == "slerp" ? 1 : 2;
    args.models.push_back({"a", a, params_for(m, merge::ParamScope::PerModel, pa)});
    if (count == 2) args.models.push_back({"b", b, params_for(m, merge::ParamScope::PerModel, pb)});
    args.globals = params_for(m, merge::ParamScope::Global, {{"t", 0.3}});
    if (name == "linear") args.globals.set("normalize", false);
    const double fresh = median_seconds(repeats, [&] { (void)m.merge(args); });
    args.out = out;
    const double seconds = median_seconds(repeats, [&] { (void)m.merge(args); });
    const double elements = static_cast<double>(n * n);
    // Bytes that must move: every input once, the output once.
    const double bytes = 4.0 * elements * static_cast<double>(count + (with_base ? 1 : 0) + 1);
    const double gbs = bytes / seconds / 1e9;
    const auto py = python.find(name);
    std::printf("%-16s %10.1f %10.3f %10.2f %8.0f%% %9.0f %7.1fx %14.1f\n", name.c_str(), seconds * 1e3,
                elements / seconds / 1e9, gbs, 100.0 * gbs / triad,
                py == python.end() ? 0.0 : py->second * 1e3,
                py == python.end() ? 0.0 : py->second / seconds, fresh * 1e3);
  }
  return 0;
}

// A Llama-shaped checkpoint of random bf16 tensors, written tensor by tensor.
void write_llama(const fs::path& dir, uint64_t seed, int64_t layers, int64_t hidden, int64_t inter,
                 int64_t vocab) {
  fs::create_directories(dir);
  std::vector<checkpoint::TensorSpec> specs;
  auto add = [&](const std::string& name, std::vector<int64_t> shape) {
    specs.push_back({name, checkpoint::DType::BF16, std::move(shape)});
  };
  add("model.embed_tokens.weight", {vocab, hidden});
  for (int64_t i = 0; i < layers; ++i) {
    const std::string p = "model.layers." + std::to_string(i) + ".";
    for (const char* m : {"q_proj", "k_proj", "v_proj", "o_proj"}) add(p + "self_attn." + m + ".weight", {hidden, hidden});
    add(p + "mlp.gate_proj.weight", {inter, hidden});
    add(p + "mlp.up_proj.weight", {inter, hidden});
    add(p + "mlp.down_proj.weight", {hidden, inter});
    add(p + "input_layernorm.weight", {hidden});
    add(p + "post_attention_layernorm.weight", {hidden});
  }
  add("model.norm.weight", {hidden});
  add("lm_head.weight", {vocab, hidden});
  checkpoint::ShardedWriter writer(dir, specs);
  at::manual_seed(static_cast<uint64_t>(seed));
  for (const auto& s : specs) {
    const at::Tensor t = (at::rand(s.shape) - 0.5).to(at::kBFloat16);
    writer.write(s.name, checkpoint::view_of(s.name, t).bytes);
  }
  writer.finish();
  std::ofstream(dir / "config.json") << "{\"model_type\": \"llama\", \"num_hidden_layers\": " << layers
                                     << ", \"hidden_size\": " << hidden << ", \"vocab_size\": " << vocab << "}\n";
}

std::string recipe_text(const std::string& method) {
  if (method == "passthrough") return "merge_method: passthrough\nmodels:\n  - model: a\n";
  if (method == "linear")
    return "merge_method: linear\nmodels:\n  - model: base\n    parameters: {weight: 0.4}\n"
           "  - model: a\n    parameters: {weight: 0.3}\n  - model: b\n    parameters: {weight: 0.3}\n";
  return "merge_method: " + method + "\nbase_model: base\nmodels:\n"
         "  - model: a\n    parameters: {weight: 0.5, density: 0.5}\n"
         "  - model: b\n    parameters: {weight: 0.5, density: 0.5}\n";
}

int bench_checkpoint(int threads, int repeats) {
  at::set_num_threads(threads);
  const fs::path root = fs::temp_directory_path() / ("hallmark-merge-bench-" + std::to_string(::getpid()));
  // ~0.22B parameters per parent (0.43 GB bf16): 12 layers, hidden 1024, intermediate 2816.
  const int64_t layers = 12, hidden = 1024, inter = 2816, vocab = 32000;
  for (auto [name, seed] : {std::pair{"base", 1}, {"a", 2}, {"b", 3}})
    write_llama(root / name, static_cast<uint64_t>(seed), layers, hidden, inter, vocab);
  ::sync();  // the parents' writeback must not run into the timed merges
  uint64_t params = 0;
  for (const auto& e : fs::directory_iterator(root / "base"))
    if (e.path().extension() == ".safetensors") params += fs::file_size(e.path()) / 2;
  const double triad = triad_gbs(5);
  std::printf("threads %d, synthetic Llama checkpoint, %.2fB params per parent (bf16), 3 parents\n",
              threads, static_cast<double>(params) / 1e9);
  std::printf("STREAM triad: %.2f GB/s\n", triad);
  std::printf("%-16s %10s %10s %10s %9s %12s\n", "method", "s", "Gparam/s", "GB/s", "of triad", "copy s / s");
  // passthrough of one parent: reading, checking and writing a checkpoint with no math, the
  // floor under every merge's time here.
  double copy_seconds = 0;
  for (const char* method : {"passthrough", "linear", "task_arithmetic", "ties", "dare_ties"}) {
    const merge::Recipe r = merge::parse_recipe(recipe_text(method), "bench.yaml", root);
    merge::WriteChildOptions options;
    options.overwrite = true;
    const double seconds =
        median_seconds(repeats, [&] { merge::merge_to_directory(r, root / "child", options); });
    if (copy_seconds == 0) copy_seconds = seconds;
    // Three bf16 inputs read (passthrough: one) and one bf16 output written.
    const double arrays = std::string(method) == "passthrough" ? 2.0 : 4.0;
    const double gbs = 2.0 * arrays * static_cast<double>(params) / seconds / 1e9;
    std::printf("%-16s %10.2f %10.3f %10.2f %8.0f%% %11.0f%%\n", method, seconds,
                static_cast<double>(params) / seconds / 1e9, gbs, 100.0 * gbs / triad,
                100.0 * copy_seconds / seconds);
  }
  fs::remove_all(root);
  return 0;
}

long rss_anon_kb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("RssAnon:", 0) == 0) return std::stol(line.substr(8));
  return -1;
}

int bench_memory(int threads) {
  const fs::path root = fs::temp_directory_path() / ("hallmark-merge-mem-" + std::to_string(::getpid()));
  // TinyLlama-1.1B shape: 22 layers, hidden 2048, intermediate 5632, vocabulary 32000.
  for (auto [name, seed] : {std::pair{"base", 1}, {"a", 2}, {"b", 3}})
    write_llama(root / name, static_cast<uint64_t>(seed), 22, 2048, 5632, 32000);
  std::setvbuf(stdout, nullptr, _IONBF, 0);  // the forked CLI shares stdout
  std::printf("peak anonymous memory of `hallmark merge --threads %d`, three bf16 parents of 1.1B params\n", threads);
  std::printf("%-16s %12s %10s\n", "method", "peak MB", "seconds");
  for (const char* method : {"linear", "task_arithmetic", "ties", "dare_ties"}) {
    std::ofstream(root / "recipe.yaml") << recipe_text(method);
    const auto start = Clock::now();
    const pid_t pid = ::fork();
    if (pid == 0) {
      const std::string bin = HALLMARK_BINARY_DIR "/cli/hallmark";
      const std::string t = std::to_string(threads);
      const std::string recipe = (root / "recipe.yaml").string(), out = (root / "child").string();
      ::execl(bin.c_str(), bin.c_str(), "merge", recipe.c_str(), "--out", out.c_str(), "--threads",
              t.c_str(), "--force", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    long peak = 0;
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
      peak = std::max(peak, rss_anon_kb(pid));
      ::usleep(2000);
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("%-16s %12.0f %10.1f%s\n", method, static_cast<double>(peak) / 1024.0, seconds,
                WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "" : "  (FAILED)");
  }
  fs::remove_all(root);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "tensors";
  auto arg = [&](int i, long fallback) { return argc > i ? std::stol(argv[i]) : fallback; };
  if (mode == "tensors")
    return bench_tensors(arg(2, 4096), static_cast<int>(arg(3, 2)), static_cast<int>(arg(4, 5)),
                         std::vector<std::string>(argv + std::min(argc, 5), argv + argc));
  if (mode == "checkpoint") return bench_checkpoint(static_cast<int>(arg(2, 2)), static_cast<int>(arg(3, 3)));
  if (mode == "memory") return bench_memory(static_cast<int>(arg(2, 2)));
  std::fprintf(stderr, "usage: merge_bench tensors [N THREADS REPEATS [METHOD...]] | checkpoint [THREADS REPEATS] | memory [THREADS]\n");
  return 2;
}
