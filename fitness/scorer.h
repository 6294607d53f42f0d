// Scorers, in a registry by name. Built in:
//   exact_match      output == an answer, after normalisation (trim, collapse whitespace,
//                    lowercase unless ignore_case: false, drop punctuation if
//                    ignore_punctuation: true); metric exact_match
//   contains         a normalised answer occurs in the normalised output; metric contains
//   regex            the RE2 `regex` extracted from the output (first or last match; group 1
//                    if any) equals an answer after normalisation, numerically when both are
//                    numbers (commas dropped); metric exact_match
//   last_number      regex with the last number in the output
//   hash_number      regex with the number after "####" (GSM8K style)
//   multiple_choice  argmax of the choices' log-likelihoods; metrics acc and acc_norm (the
//                    log-likelihood divided by the choice's length in characters)
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fitness/loglikelihood.h"
#include "fitness/task.h"

namespace hallmark::fitness {

struct ItemScore {
  std::vector<double> values;  // one per metric, in metrics() order
  std::string extracted;       // what was compared: the normalised/extracted output or choice
};

class Scorer {
 public:
  virtual ~Scorer() = default;
  // Log-likelihood scorers rank an item's choices; the others score generated text.
  virtual bool uses_loglikelihood() const = 0;
  virtual std::vector<std::string> metrics() const = 0;
  // Generative scorers; the default throws std::logic_error.
  virtual ItemScore score_output(const TaskItem& item, std::string_view output) const;
  // Log-likelihood scorers: one score per item choice; the default throws std::logic_error.
  virtual ItemScore score_choices(const TaskItem& item,
                                  const std::vector<ContinuationScore>& choices) const;
};

// Throws InputError for settings the scorer cannot use (e.g. an invalid regex).
using ScorerFactory = std::function<std::unique_ptr<Scorer>(const ScorerSettings&)>;

// Adds a scorer; returns true so it can initialise a static. Throws std::logic_error on a
// duplicate name.
bool register_scorer(std::string name, ScorerFactory factory);
// Sorted.
std::vector<std::string> scorer_names();
// Throws InputError("unknown scorer 'X' (known: a, b, ...)").
std::unique_ptr<Scorer> make_scorer(std::string_view name, const ScorerSettings& settings);

// The normalisation exact_match, contains and regex use.
std::string normalize_answer(std::string_view text, const ScorerSettings& settings);

}  // namespace hallmark::fitness
