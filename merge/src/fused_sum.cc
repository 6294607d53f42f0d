#include "merge/src/fused_sum.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include "merge/src/kernel_support.h"

namespace hallmark::merge {
namespace {

constexpr int64_t kBlock = 2048;

template <typename In, typename Out>
void kernel(const WeightedSum& s, at::Tensor& out) {
  const int64_t numel = out.numel();
  const size_t n = s.inputs.size();
  std::vector<const In*> xs;
  for (const auto& x : s.inputs) xs.push_back(x.data_ptr<In>());
  const In* base = s.base ? s.base->data_ptr<In>() : nullptr;
  Out* dst = out.data_ptr<Out>();
  const int64_t blocks = (numel + kBlock - 1) / kBlock;
  // One partial L1 sum per (block, input): the final sums do not depend on the thread split.
  std::vector<double> partial(s.l1 ? static_cast<size_t>(blocks) * n : 0);
  // Each step is its own loop over a cache-resident block so that the compiler vectorizes it.
  at::parallel_for(0, blocks, 8, [&](int64_t first_block, int64_t last_block) {
    alignas(64) float acc[kBlock];
    alignas(64) float b[kBlock];
    alignas(64) float term[kBlock];
    for (int64_t block = first_block; block < last_block; ++block) {
      const int64_t start = block * kBlock;
      const int64_t len = std::min(kBlock, numel - start);
      if (base) {
        for (int64_t j = 0; j < len; ++j) b[j] = static_cast<float>(base[start + j]);
      }
      for (size_t i = 0; i < n; ++i) {
        const In* x = xs[i] + start;
        const float w = s.weights[i];
        if (!s.l1 && base) {
          // The sum starts from 0.0f, as in the ATen path (0 + -0 is +0).
          const bool first = i == 0;
          for (int64_t j = 0; j < len; ++j)
            acc[j] = (first ? 0.0f : acc[j]) + (static_cast<float>(x[j]) - b[j]) * w;
          continue;
        }
        if (base && i == 0)
          for (int64_t j = 0; j < len; ++j) acc[j] = 0.0f;
        if (base) {
          for (int64_t j = 0; j < len; ++j) term[j] = (static_cast<float>(x[j]) - b[j]) * w;
        } else {
          for (int64_t j = 0; j < len; ++j) term[j] = static_cast<float>(x[j]) * w;
        }
        if (s.l1) partial[static_cast<size_t>(block) * n + i] = abs_sum(term, len);
        if (base || i > 0) {
          for (int64_t j = 0; j < len; ++j) acc[j] = acc[j] + term[j];
        } else {
          for (int64_t j = 0; j < len; ++j) acc[j] = term[j];
        }
      }
      const bool divide = s.divisor.has_value(), scale = base && s.lambda;
      const float d = s.divisor.value_or(1.0f), l = s.lambda.value_or(1.0f);
      for (int64_t j = 0; j < len; ++j) {
        float v = acc[j];
        if (divide) v = v / d;
        if (scale) v = v * l;
        dst[start + j] = static_cast<Out>(base ? b[j] + v : v);
      }
    }
  });
  if (s.l1) {
    s.l1->assign(n, 0.0);
    for (int64_t block = 0; block < blocks; ++block)
      for (size_t i = 0; i < n; ++i) (*s.l1)[i] += partial[static_cast<size_t>(block) * n + i];
  }
}

template <typename In>
void dispatch_out(const WeightedSum& s, at::Tensor& out) {
  switch (s.out_dtype) {
    case at::kFloat: return kernel<In, float>(s, out);
    case at::kBFloat16: return kernel<In, c10::BFloat16>(s, out);
    case at::kHalf: return kernel<In, c10::Half>(s, out);
    default: return;
  }
}

}  // namespace

at::Tensor fused_weighted_sum(const WeightedSum& s) {
  if (s.inputs.empty()) return {};
  const at::Tensor& first = s.inputs.front();
  const auto type = first.scalar_type();
  auto fits = [&](const at::Tensor& t) {
    return t.device().is_cpu() && t.is_contiguous() && t.scalar_type() == type && t.sizes() == first.sizes();
  };
  for (const auto& x : s.inputs)
    if (!fits(x)) return {};
  if (s.base && !fits(*s.base)) return {};
  if (type != at::kFloat && type != at::kBFloat16 && type != at::kHalf) return {};
  if (s.out_dtype != at::kFloat && s.out_dtype != at::kBFloat16 && s.out_dtype != at::kHalf) return {};
  at::Tensor out = destination(s.out, first, s.out_dtype);
  switch (type) {
    case at::kFloat: dispatch_out<float>(s, out); break;
    case at::kBFloat16: dispatch_out<c10::BFloat16>(s, out); break;
    default: dispatch_out<c10::Half>(s, out); break;
  }
  return out;
}

}  // namespace hallmark::merge
