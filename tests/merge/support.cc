#include "support.h"

#include <cstdio>
#include <fstream>
#include <random>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "checkpoint/aten.h"
#include "checkpoint/safetensors.h"

namespace hallmark::merge::test {

namespace fs = std::filesystem;

void write_checkpoint(const fs::path& dir, const Tensors& tensors, const nlohmann::json& config) {
  fs::create_directories(dir);
  std::vector<at::Tensor> keep;
  std::vector<checkpoint::TensorView> views;
  for (const auto& [name, t] : tensors) {
    keep.push_back(t.contiguous());
    views.push_back(checkpoint::view_of(name, keep.back()));
  }
  write_text(dir / "model.safetensors", checkpoint::serialize_safetensors(views));
  write_text(dir / "config.json", config.dump(2));
}

nlohmann::json llama_config(int64_t layers, int64_t hidden, int64_t vocab) {
  return {{"architectures", {"LlamaForCausalLM"}}, {"model_type", "llama"},
          {"num_hidden_layers", layers}, {"hidden_size", hidden}, {"vocab_size", vocab},
          {"intermediate_size", 2 * hidden}, {"torch_dtype", "float32"}};
}

Tensors llama_tensors(uint64_t seed, int64_t layers, int64_t hidden, int64_t vocab,
                      at::ScalarType dtype) {
  at::Generator gen = at::detail::createCPUGenerator(seed);
  auto randn = [&](std::vector<int64_t> shape) {
    return at::normal(0.0, 1.0, shape, gen).to(dtype);
  };
  Tensors t;
  t["model.embed_tokens.weight"] = randn({vocab, hidden});
  for (int64_t i = 0; i < layers; ++i) {
    const std::string p = "model.layers." + std::to_string(i) + ".";
    for (const char* m : {"q_proj", "k_proj", "v_proj", "o_proj"})
      t[p + "self_attn." + m + ".weight"] = randn({hidden, hidden});
    t[p + "mlp.gate_proj.weight"] = randn({2 * hidden, hidden});
    t[p + "mlp.up_proj.weight"] = randn({2 * hidden, hidden});
    t[p + "mlp.down_proj.weight"] = randn({hidden, 2 * hidden});
    t[p + "input_layernorm.weight"] = randn({hidden});
    t[p + "post_attention_layernorm.weight"] = randn({hidden});
  }
  t["model.norm.weight"] = randn({hidden});
  t["lm_head.weight"] = randn({vocab, hidden});
  return t;
}

Params params(const std::string& method, ParamScope scope, const std::map<std::string, ParamValue>& values) {
  const Method* m = find_method(method);
  REQUIRE(m);
  Params p;
  for (const auto& spec : m->info().params)
    if (spec.scope == scope && spec.default_value) p.set(spec.name, *spec.default_value);
  for (const auto& [k, v] : values) p.set(k, v);
  return p;
}

ModelTensor model(const std::string& method, const std::string& name, at::Tensor tensor,
                  const std::map<std::string, ParamValue>& values) {
  return ModelTensor{name, std::move(tensor), params(method, ParamScope::PerModel, values)};
}

MergeResult run(const std::string& method, at::Tensor base, std::vector<ModelTensor> models,
                const std::map<std::string, ParamValue>& globals, uint64_t seed,
                const std::string& tensor_name) {
  MergeArgs args;
  args.tensor_name = tensor_name;
  args.base = std::move(base);
  args.models = std::move(models);
  args.globals = params(method, ParamScope::Global, globals);
  args.seed = seed;
  args.want_shares = true;
  return find_method(method)->merge(args);
}

double relative_error(const at::Tensor& actual, const at::Tensor& expected) {
  const auto a = actual.to(at::kDouble), e = expected.to(at::kDouble);
  const double norm = e.norm().item<double>();
  return (a - e).norm().item<double>() / (norm > 0 ? norm : 1.0);
}

at::Tensor tensor(std::vector<float> values) {
  return at::tensor(at::ArrayRef<float>(values), at::TensorOptions().dtype(at::kFloat));
}

std::string write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  REQUIRE(out.good());
  return path.string();
}

int run_command(const std::string& command, std::string* output) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe);
  std::string text;
  char buffer[4096];
  while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) text.append(buffer, n);
  const int status = ::pclose(pipe);
  if (output) *output = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool python_has_torch() {
  return run_command("/usr/bin/python3 -c 'import torch, numpy, yaml'") == 0;
}

}  // namespace hallmark::merge::test
