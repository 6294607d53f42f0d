// Trains a Llama-family model with libtorch autograd and AdamW on CPU, through the runtime's
// own differentiable forward (fitness::LlamaModel::forward). Deterministic: weights start from
// our own seeded generator, batches are drawn in a fixed order, and the caller fixes the thread
// count.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "fitness/config.h"
#include "fitness/model.h"

namespace hallmark::zoo {

struct TrainSettings {
  int steps = 100;
  int batch_size = 32;
  double lr = 1e-3;
  double min_lr_ratio = 0.1;  // cosine decay to lr * min_lr_ratio
  int warmup_steps = 10;
  double weight_decay = 0.01;
  double clip_norm = 1.0;
  uint64_t seed = 0;  // batch order
};

// One training sequence: token ids and, per position, whether predicting that token counts in
// the loss (the first position never does).
struct Sequence {
  std::vector<int64_t> ids;
  std::vector<uint8_t> train;
};

// Fresh fp32 weights for `config`: N(0, 0.02) matrices, with the output projections of each
// block scaled by 1/sqrt(2 * layers) (GPT-2 style), and RMSNorm weights of one.
fitness::WeightMap init_weights(const fitness::LlamaConfig& config, uint64_t seed);

struct TrainReport {
  double first_loss = 0;
  double last_loss = 0;  // mean over the last 10 steps
};

// Trains `weights` (fp32 CPU tensors, updated in place) on `data`: each step takes the next
// batch_size sequences of a seeded shuffle, pads them on the right and minimises the mean
// cross-entropy over the positions marked for training. `log` gets a line now and then.
TrainReport train(const fitness::LlamaConfig& config, fitness::WeightMap& weights,
                  const std::vector<Sequence>& data, const TrainSettings& settings,
                  const std::function<void(const std::string&)>& log);

}  // namespace hallmark::zoo
