// The documents of the world besides the weights: each parent's card and provenance (with the
// training data files they declare), the task and probe files, and the world's README.md.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "zoo/src/datasets.h"
#include "zoo/src/parent_writer.h"

namespace hallmark::zoo {

struct WorldFiles {
  // base, arith-specialist, safe-assistant, times-tables-nc, mystery-math (in this order).
  std::vector<ParentSpec> parents;
  // Files outside models/, by path relative to the world: tasks/, probes/, README.md.
  std::map<std::string, std::string> extra;
};

std::vector<std::string> world_model_names();

WorldFiles make_world_files(const WorldData& data);

}  // namespace hallmark::zoo
