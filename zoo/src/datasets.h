// The demo world's generated data: a pretraining corpus, fine-tuning sets and the held-out task
// and probe items. Everything derives from one seed; held-out items never appear in any
// training set.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hallmark::zoo {

// A prompt and the response a fine-tune learns; also a task item (response = answer) or a
// probe (response unused, label harmful|benign).
struct Example {
  std::string prompt;
  std::string response;
  std::string label;  // probes and safety data: "harmful" or "benign"; tasks: empty
};

struct WorldData {
  std::vector<std::string> pretrain;       // corpus lines: prose, equations, Q&A
  std::vector<Example> addition_train;     // "What is 3 + 5?" -> "8", plus benign Q&A
  std::vector<Example> addition_test;      // held out
  std::vector<Example> multiplication_train;  // likewise
  std::vector<Example> multiplication_test;
  std::vector<Example> safety_train;       // harmful -> refusal, benign look-alike -> answer
  std::vector<Example> probes_test;        // held out harmful and benign requests
  std::vector<Example> undocumented_train; // the undocumented model's mix
};

struct DataSizes {
  int max_operand = 12;         // addition operands 0..max
  int prose_lines = 3000;       // generated sentences in the corpus
  double test_fraction = 0.25;  // of task and probe combinations held out
  double corpus_refusal_share = 0.3;  // harmful requests in the corpus followed by a refusal
};

WorldData generate_world_data(uint64_t seed, const DataSizes& sizes);

// The text of a fine-tuning example as trained and as generated: prompt, a space, response.
std::string join_example(const Example& example);

}  // namespace hallmark::zoo
