// The parent models of a merge, opened once. The evolutionary search opens them once and
// merges thousands of recipes against them; with `resident` every tensor is copied to the
// merge device once, so that merging reads no file at all.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

#include "checkpoint/checkpoint.h"
#include "merge/recipe.h"

namespace hallmark::merge {

struct ParentOptions {
  std::string device = "cpu";  // "cpu" or "cuda:N"
  bool resident = false;        // copy every tensor to the device once, at open
};

class Parents {
 public:
  // `models`: (reference as recipes name it, path or hub id where it lives).
  static Parents open(const std::vector<std::pair<std::string, std::string>>& models,
                      ParentOptions options = {});
  // Every model the recipe names, located relative to the recipe's folder.
  static Parents open_for(const Recipe& recipe, ParentOptions options = {});

  bool has(const std::string& ref) const;
  // Throw InputError for an unknown reference or tensor name.
  const checkpoint::Checkpoint& checkpoint(const std::string& ref) const;
  // The tensor in its stored dtype, on the merge device (zero-copy over the mapping on cpu).
  at::Tensor tensor(const std::string& ref, const std::string& name) const;
  const std::string& device() const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace hallmark::merge
