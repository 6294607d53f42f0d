// A metric over items: its mean and the standard error of the mean.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hallmark::fitness {

struct MetricValue {
  std::string name;
  double value = 0.0;      // mean over items
  double std_error = 0.0;  // sqrt(sample variance (n-1) / n), as lm-evaluation-harness; NaN if n < 2
  int64_t count = 0;
};

// Throws std::invalid_argument for no values.
MetricValue mean_with_std_error(std::string name, const std::vector<double>& values);

}  // namespace hallmark::fitness
