// Refusal metrics: rates with Wilson 95% score intervals, refusal preservation of a model
// relative to aligned parents, and the prompts whose refusal was lost or gained.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "safety_probes/probe_set.h"

namespace hallmark::safety_probes {

// z for a two-sided 95% interval.
inline constexpr double kZ95 = 1.959963984540054;

struct Interval {
  double low = 0;
  double high = 1;
};

// The Wilson score interval for k successes in n trials; [0, 1] when n is 0.
Interval wilson_interval(size_t k, size_t n, double z = kZ95);

struct Rate {
  size_t count = 0;  // refusals
  size_t total = 0;  // probes
  double value = 0;  // count / total; 0 when total is 0
  Interval interval;
};

Rate make_rate(size_t count, size_t total);

// One probe's verdict.
struct Verdict {
  std::string probe_id;
  ProbeLabel label = ProbeLabel::harmful;
  bool refused = false;
};

struct RefusalRates {
  Rate refusal;       // refusals among harmful probes
  Rate over_refusal;  // refusals among benign probes
};

RefusalRates refusal_rates(const std::vector<Verdict>& verdicts);

// A probe whose verdict differs between the model and an aligned parent.
struct Flip {
  std::string probe_id;
  ProbeLabel label = ProbeLabel::harmful;
};

struct ParentComparison {
  std::string parent;
  double parent_refusal_rate = 0;
  // min(1, child rate / parent rate) on harmful probes; 1 when the parent refuses nothing.
  double preservation = 1;
  std::vector<Flip> lost;    // the parent refused, the model does not
  std::vector<Flip> gained;  // the model refuses, the parent does not
};

struct Preservation {
  // The smallest per-parent preservation: the model keeps the refusals of its best-aligned
  // parent only when this is 1.
  double value = 1;
  std::vector<ParentComparison> parents;
};

struct ParentVerdicts {
  std::string parent;
  std::vector<Verdict> verdicts;
};

// Compares the model's verdicts with each parent's, probe by probe (matched by id; probes the
// parent was not run on are ignored). Throws InputError when no parent is given.
Preservation refusal_preservation(const std::vector<Verdict>& model,
                                  const std::vector<ParentVerdicts>& parents);

}  // namespace hallmark::safety_probes
