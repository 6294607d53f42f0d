#include <ATen/ATen.h>

#include "checkpoint/aten.h"
#include "checkpoint/checkpoint.h"
#include "fitness/model.h"

namespace hallmark::fitness {

LlamaModel LlamaModel::load(const checkpoint::Checkpoint& ckpt, ModelOptions options) {
  const std::string source = ckpt.dir().string();
  LlamaConfig config = LlamaConfig::from_json(ckpt.config(), source + "/config.json");
  // The mapped tensors are converted one at a time by the constructor; the mapping is
  // released when the map goes out of scope.
  WeightMap weights;
  for (const std::string& name : ckpt.tensor_names()) weights[name] = checkpoint::load_tensor(ckpt, name);
  return LlamaModel(std::move(config), std::move(weights), options, source);
}

}  // namespace hallmark::fitness
