#include "merge/src/finite.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <atomic>
#include <cstring>

namespace hallmark::merge {
namespace {

// A float is NaN or Inf exactly when its exponent bits are all ones.
template <typename Bits>
bool exponent_never_full(const at::Tensor& t, Bits exponent) {
  const auto* data = static_cast<const unsigned char*>(t.data_ptr());
  std::atomic<bool> finite{true};
  at::parallel_for(0, t.numel(), 1 << 16, [&](int64_t begin, int64_t end) {
    Bits full = 0;
    for (int64_t i = begin; i < end; ++i) {
      Bits v;
      std::memcpy(&v, data + i * static_cast<int64_t>(sizeof(Bits)), sizeof v);
      full |= static_cast<Bits>((v & exponent) == exponent);
    }
    if (full) finite = false;
  });
  return finite;
}

}  // namespace

bool all_finite(const at::Tensor& t) {
  if (!t.device().is_cpu() || !t.is_contiguous()) return at::isfinite(t).all().item<bool>();
  switch (t.scalar_type()) {
    case at::kFloat: return exponent_never_full<uint32_t>(t, 0x7F800000u);
    case at::kBFloat16: return exponent_never_full<uint16_t>(t, 0x7F80u);
    case at::kHalf: return exponent_never_full<uint16_t>(t, 0x7C00u);
    default: return at::isfinite(t).all().item<bool>();
  }
}

}  // namespace hallmark::merge
