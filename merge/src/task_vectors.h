// The generalized task arithmetic of mergekit, shared by task_arithmetic, ties, dare_*,
// breadcrumbs*, della*: task vectors delta_i = x_i - base, optionally sparsified, weighted,
// optionally sign-elected ("sum" consensus), summed, optionally normalized, scaled by lambda
// and added to the base.
#pragma once

#include "merge/method.h"

namespace hallmark::merge {

enum class Sparsification { None, Magnitude, Random, MagnitudeOutliers, Della };

struct TaskVectorMethod {
  Sparsification sparsification = Sparsification::None;
  bool sign_consensus = false;
  bool default_normalize = false;
  bool default_rescale = false;
};

// The MethodInfo of a task-vector method: its parameters follow from `method`.
MethodInfo task_vector_info(std::string name, const TaskVectorMethod& method);
MergeResult merge_task_vectors(const TaskVectorMethod& method, const MergeArgs& args);

// A method defined entirely by a TaskVectorMethod.
class TaskVectorMerge : public Method {
 public:
  TaskVectorMerge(std::string name, TaskVectorMethod method)
      : method_(method), info_(task_vector_info(std::move(name), method)) {}
  const MethodInfo& info() const override { return info_; }
  MergeResult merge(const MergeArgs& args) const override {
    return merge_task_vectors(method_, args);
  }

 private:
  TaskVectorMethod method_;
  MethodInfo info_;
};

}  // namespace hallmark::merge
