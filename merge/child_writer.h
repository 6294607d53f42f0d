// The CLI path: merges tensor by tensor and streams the child to a checkpoint directory
// (weights, config.json, tokenizer files, README.md model card) built atomically. Memory does
// not grow with the model: inputs stay memory-mapped and one tensor is resident at a time.
#pragma once

#include <filesystem>
#include <string>

#include "merge/attribution.h"
#include "merge/merger.h"
#include "merge/recipe.h"

namespace hallmark::merge {

struct WriteChildOptions {
  MergeOptions merge;
  std::string device = "cpu";
  bool overwrite = false;  // replace an existing output folder
};

// Throws InputError for bad input; nothing is left at `out` then.
Attribution merge_to_directory(const Recipe& recipe, const std::filesystem::path& out,
                               const WriteChildOptions& options);

}  // namespace hallmark::merge
