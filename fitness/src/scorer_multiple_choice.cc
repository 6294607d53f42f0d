// Multiple choice by log-likelihood, as lm-evaluation-harness: acc picks the choice with the
// highest log-likelihood, acc_norm divides it by the choice's length in characters first.
#include <cstdint>

#include "fitness/src/builtin_scorers.h"

namespace hallmark::fitness {
namespace {

int64_t utf8_length(std::string_view s) {
  int64_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

class MultipleChoice : public Scorer {
 public:
  bool uses_loglikelihood() const override { return true; }
  std::vector<std::string> metrics() const override { return {"acc", "acc_norm"}; }

  ItemScore score_choices(const TaskItem& item, const std::vector<ContinuationScore>& choices) const override {
    size_t best = 0, best_norm = 0;
    double best_score = 0, best_norm_score = 0;
    for (size_t i = 0; i < choices.size(); ++i) {
      const double score = choices[i].logprob;
      const double norm = score / static_cast<double>(std::max<int64_t>(1, utf8_length(item.choices[i])));
      if (i == 0 || score > best_score) best = i, best_score = score;  // first of equal maxima
      if (i == 0 || norm > best_norm_score) best_norm = i, best_norm_score = norm;
    }
    const auto gold = static_cast<size_t>(item.gold);
    return {{best == gold ? 1.0 : 0.0, best_norm == gold ? 1.0 : 0.0}, item.choices[best]};
  }
};

}  // namespace

std::vector<std::pair<std::string, ScorerFactory>> multiple_choice_scorers() {
  return {{"multiple_choice", [](const ScorerSettings&) { return std::make_unique<MultipleChoice>(); }}};
}

}  // namespace hallmark::fitness
