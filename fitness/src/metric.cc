#include "fitness/metric.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace hallmark::fitness {

MetricValue mean_with_std_error(std::string name, const std::vector<double>& values) {
  if (values.empty()) throw std::invalid_argument("metric " + name + ": no values");
  const auto n = static_cast<double>(values.size());
  double sum = 0.0;
  for (double v : values) sum += v;
  const double mean = sum / n;
  double squares = 0.0;
  for (double v : values) squares += (v - mean) * (v - mean);
  MetricValue m;
  m.name = std::move(name);
  m.value = mean;
  m.count = static_cast<int64_t>(values.size());
  m.std_error = values.size() < 2 ? std::numeric_limits<double>::quiet_NaN() : std::sqrt(squares / (n - 1) / n);
  return m;
}

}  // namespace hallmark::fitness
