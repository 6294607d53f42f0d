// Merge methods and their registry. A method merges one tensor: it receives the base model's
// tensor (when it uses one) and the other models' tensors with their resolved parameters, and
// returns the child's tensor. Inputs arrive in their stored dtype on the merge device; the
// math is done in fp32. Adding a method is one file in merge/src/methods/ plus one line in
// merge/src/methods/list.h.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <ATen/core/Tensor.h>

#include "merge/params.h"

namespace hallmark::merge {

// What a method does with the recipe's base_model.
enum class BaseRole {
  Required,  // the base is the reference for task vectors (ties, slerp, ...)
  Optional,  // used when given (nuslerp)
  Ignored,   // the base is merged like any other listed model (linear, passthrough)
};

struct MethodInfo {
  std::string name;
  BaseRole base = BaseRole::Required;
  // How many non-base models a tensor merge takes (max 0: no limit).
  size_t min_models = 1, max_models = 0;
  std::vector<ParamSpec> params;
  const ParamSpec* find(std::string_view param) const;
};

struct ModelTensor {
  std::string model;  // the recipe's reference; it keys the random masks
  at::Tensor tensor;  // same shape, device for every input
  Params params;
};

struct MergeArgs {
  std::string tensor_name;           // the child's tensor name; it keys the random masks
  at::Tensor base;                   // undefined when the method does not use a base
  std::vector<ModelTensor> models;   // never contains the base for BaseRole::Required
  Params globals;
  uint64_t seed = 0;
  c10::ScalarType out_dtype = c10::ScalarType::Float;  // the caller casts the result to it
  bool want_shares = false;                            // fill MergeResult::shares
  // Optional destination: a contiguous tensor of the child's shape and out_dtype on the merge
  // device. Methods that can write their result there do so and return it; callers merging
  // many tensors pass one reused buffer instead of paying the page faults of a fresh one.
  at::Tensor out;
};

struct MergeResult {
  at::Tensor tensor;
  // Per models[i]: L1 norm of that model's term in the child's change from the base (or, with
  // no base, in the child itself). Empty when the method does not attribute.
  std::vector<double> shares;
};

class Method {
 public:
  virtual ~Method() = default;
  virtual const MethodInfo& info() const = 0;
  // Throws InputError naming args.tensor_name for inputs the method cannot merge.
  virtual MergeResult merge(const MergeArgs& args) const = 0;
};

// nullptr for an unknown name.
const Method* find_method(std::string_view name);
// Sorted.
std::vector<std::string> method_names();

}  // namespace hallmark::merge
