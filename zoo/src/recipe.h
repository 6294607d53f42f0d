// The recipe of a world: data sizes, tokenizer, architecture and the training schedule of each
// model. Its JSON form (with the seed and zoo version) is the cache key of a built world.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fitness/config.h"
#include "zoo/src/datasets.h"
#include "zoo/src/spm_train.h"
#include "zoo/src/trainer.h"
#include "zoo/world.h"

namespace hallmark::zoo {

// Bumped whenever generation or training changes what a recipe produces.
inline constexpr int kZooVersion = 1;

struct Recipe {
  DataSizes data;
  TokenizerSettings tokenizer;
  fitness::LlamaConfig model;  // vocab_size is filled in from the trained tokenizer
  int pretrain_seq_len = 48;
  TrainSettings pretrain;
  TrainSettings specialist;  // the addition specialist
  TrainSettings safety;      // the aligned assistant
  TrainSettings secondary;   // the non-commercial specialist and the undocumented model
};

Recipe make_recipe(ZooScale scale);

nlohmann::json recipe_json(const Recipe& recipe, uint64_t seed);

}  // namespace hallmark::zoo
