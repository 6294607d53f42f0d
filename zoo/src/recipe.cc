#include "zoo/src/recipe.h"

namespace hallmark::zoo {
namespace {

nlohmann::json train_json(const TrainSettings& s) {
  return {{"steps", s.steps},         {"batch_size", s.batch_size},
          {"lr", s.lr},               {"min_lr_ratio", s.min_lr_ratio},
          {"warmup_steps", s.warmup_steps}, {"weight_decay", s.weight_decay},
          {"clip_norm", s.clip_norm}, {"seed", s.seed}};
}

}  // namespace

Recipe make_recipe(ZooScale scale) {
  Recipe r;
  auto& m = r.model;
  m.architecture = "LlamaForCausalLM";
  m.hidden_size = 64;
  m.intermediate_size = 176;
  m.num_hidden_layers = 2;
  m.num_attention_heads = 4;
  m.num_key_value_heads = 2;
  m.head_dim = 16;
  m.max_position_embeddings = 128;
  m.rms_norm_eps = 1e-5;
  m.rope_theta = 10000.0;
  m.tie_word_embeddings = true;
  m.bos_token_id = 1;
  m.eos_token_ids = {2};

  r.pretrain = {.steps = 350, .batch_size = 16, .lr = 3e-3, .min_lr_ratio = 0.1,
                .warmup_steps = 30, .weight_decay = 0.01, .clip_norm = 1.0, .seed = 11};
  r.specialist = {.steps = 400, .batch_size = 16, .lr = 3e-3, .min_lr_ratio = 0.1,
                  .warmup_steps = 20, .weight_decay = 0.0, .clip_norm = 1.0, .seed = 12};
  // The safety fine-tune learns at the specialist's rate: at half its rate its task vector was
  // so much shorter than the specialist's that a 50/50 task_arithmetic merge kept none of the
  // refusals; at this rate the merge keeps about a third of them (docs/demo-world.md).
  r.safety = {.steps = 250, .batch_size = 16, .lr = 3e-3, .min_lr_ratio = 0.1,
              .warmup_steps = 20, .weight_decay = 0.0, .clip_norm = 1.0, .seed = 13};
  r.secondary = r.specialist;
  r.secondary.steps = 250;
  r.secondary.seed = 14;
  if (scale == ZooScale::small) {
    r.data.prose_lines = 300;
    r.data.max_operand = 6;
    r.tokenizer.vocab_size = 400;
    m.hidden_size = 32;
    m.intermediate_size = 64;
    m.num_hidden_layers = 1;
    m.num_attention_heads = 2;
    m.num_key_value_heads = 1;
    m.head_dim = 16;
    r.pretrain.steps = 12;
    r.pretrain.batch_size = 8;
    r.pretrain.warmup_steps = 2;
    for (auto* s : {&r.specialist, &r.safety, &r.secondary}) {
      s->steps = 6;
      s->batch_size = 8;
      s->warmup_steps = 2;
    }
  }
  return r;
}

nlohmann::json recipe_json(const Recipe& r, uint64_t seed) {
  auto model = r.model.to_json();
  model.erase("vocab_size");
  return {{"zoo_version", kZooVersion},
          {"seed", seed},
          {"data",
           {{"max_operand", r.data.max_operand},
            {"prose_lines", r.data.prose_lines},
            {"test_fraction", r.data.test_fraction},
            {"corpus_refusal_share", r.data.corpus_refusal_share}}},
          {"tokenizer", {{"vocab_size", r.tokenizer.vocab_size}}},
          {"model", model},
          {"pretrain_seq_len", r.pretrain_seq_len},
          {"pretrain", train_json(r.pretrain)},
          {"specialist", train_json(r.specialist)},
          {"safety", train_json(r.safety)},
          {"secondary", train_json(r.secondary)}};
}

}  // namespace hallmark::zoo
