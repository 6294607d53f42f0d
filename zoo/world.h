// The demo world: small Llama-family parents really trained with libtorch autograd (AdamW) on
// CPU from a generated corpus, with their tokenizer, model cards, provenance files and training
// data, plus held-out task and probe files. Deterministic (same recipe and seed, same bytes)
// and cached: building into a directory that already holds a complete world of the same
// recipe reuses it.
//
// Layout of the world directory:
//   world.json                    recipe, version and the SHA-256 of every file (the cache key)
//   README.md                     what is in the world
//   models/base/                  pretrained on the corpus (apache-2.0)
//   models/arith-specialist/      addition fine-tune, no safety training (apache-2.0)
//   models/safe-assistant/        refuses harmful requests, answers look-alikes (apache-2.0)
//   models/times-tables-nc/       multiplication fine-tune under cc-by-nc-4.0
//   models/mystery-math/          fine-tune whose training data is not documented
//     each: config.json, model.safetensors (bf16), tokenizer.model, README.md (front matter with
//     license, base_model, datasets), provenance.json and data/ (the mystery model has neither)
//   tasks/addition.yaml + .jsonl, tasks/multiplication.yaml + .jsonl   held-out items
//   probes/refusal.jsonl                                                held-out probes
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace hallmark::zoo {

enum class ZooScale {
  standard,  // the demo world (under three minutes on two cores)
  small,     // a reduced recipe for tests: same pipeline, less data and fewer steps
};

struct ZooOptions {
  std::filesystem::path out;
  uint64_t seed = 7;
  ZooScale scale = ZooScale::standard;
  // Fine-tunes trained at once, each in its own thread with one intra-op thread; 0: one per
  // core. Every model trains single-threaded whatever this is, so it never changes the bytes
  // and is not part of the recipe.
  int workers = 0;
  bool force = false;  // rebuild even when a matching world is there
  std::function<void(const std::string&)> log;  // progress lines; may be empty
};

struct ZooResult {
  std::filesystem::path dir;
  bool reused = false;
  double seconds = 0;
  std::vector<std::string> models;  // directory names under models/
};

// Builds (or reuses) the world at options.out. Throws InputError when `out` exists and is
// neither empty nor a zoo world, and std::runtime_error when training tools fail. The world is
// written under a temporary name and renamed into place, so a failed build leaves nothing.
ZooResult build_zoo(const ZooOptions& options);

// True when `dir` holds a complete world of this recipe and seed: world.json matches and every
// file it lists has its recorded digest.
bool zoo_is_current(const std::filesystem::path& dir, const ZooOptions& options);

}  // namespace hallmark::zoo
