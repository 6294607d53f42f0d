// A merge plan: for every tensor of the child, which parent tensors go in, with which resolved
// parameters, and its name, shape and dtype. Planning checks the parents against each other
// (names, shapes) so that bad input fails before anything is computed or written.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checkpoint/dtype.h"
#include "merge/method.h"
#include "merge/parents.h"
#include "merge/recipe.h"

namespace hallmark::merge {

struct InputRef {
  std::string model;   // the recipe's reference
  std::string tensor;  // the tensor's name in that model
};

struct ModelInput {
  InputRef ref;
  Params params;
};

struct TensorJob {
  std::string name;  // in the child
  std::vector<int64_t> shape;
  checkpoint::DType dtype;
  std::optional<InputRef> base;
  std::vector<ModelInput> models;
  Params globals;
  bool copy_only = false;  // not a float tensor: copied from the reference model
};

struct MergePlan {
  const Method* method = nullptr;
  std::vector<std::string> refs;  // Recipe::model_refs()
  std::string reference;          // the model whose layout and config the child takes
  std::vector<TensorJob> jobs;    // sorted by name
  nlohmann::json config;
};

MergePlan plan_merge(const Recipe& recipe, const Parents& parents);

}  // namespace hallmark::merge
