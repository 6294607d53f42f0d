// Helpers shared by the merge tests: small generated checkpoints, method
// arguments with the spec defaults filled in, error measures.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "merge/method.h"
#include "tests/support/scratch_dir.h"

namespace hallmark::merge::test {

using hallmark::testing::ScratchDir;

using Tensors = std::map<std::string, at::Tensor>;

// Writes config.json and model.safetensors (tensors as they are: dtype, shape).
void write_checkpoint(const std::filesystem::path& dir, const Tensors& tensors,
                      const nlohmann::json& config);
// A small Llama-shaped model: embed_tokens, `layers` x (q, k, v, o, gate, up, down, two
// norms), norm, lm_head; normal(0, 1) * scale from `seed`.
Tensors llama_tensors(uint64_t seed, int64_t layers, int64_t hidden, int64_t vocab,
                      at::ScalarType dtype = at::kFloat);
nlohmann::json llama_config(int64_t layers, int64_t hidden, int64_t vocab);

// Parameters of `method` for one scope: its defaults, then `values`.
Params params(const std::string& method, ParamScope scope, const std::map<std::string, ParamValue>& values = {});
ModelTensor model(const std::string& method, const std::string& name, at::Tensor tensor,
                  const std::map<std::string, ParamValue>& values = {});
MergeResult run(const std::string& method, at::Tensor base, std::vector<ModelTensor> models,
                const std::map<std::string, ParamValue>& globals = {}, uint64_t seed = 0,
                const std::string& tensor_name = "t");

double relative_error(const at::Tensor& actual, const at::Tensor& expected);
at::Tensor tensor(std::vector<float> values);
std::string write_text(const std::filesystem::path& path, const std::string& text);
// Runs a command; returns its exit status and fills `output` with stdout+stderr.
int run_command(const std::string& command, std::string* output = nullptr);
bool python_has_torch();

}  // namespace hallmark::merge::test
