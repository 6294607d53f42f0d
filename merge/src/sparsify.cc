#include "merge/src/sparsify.h"

#include <ATen/ATen.h>

#include "common/error.h"
#include "merge/random.h"

namespace hallmark::merge {
namespace {

// mergekit's rescaled_masked_tensor with the L1 norm: norms below eps leave `masked` as is.
at::Tensor match_l1(const at::Tensor& delta, at::Tensor masked) {
  constexpr double kEps = 1e-7;
  const double before = delta.abs().sum().item<double>();
  const double after = masked.abs().sum().item<double>();
  if (before < kEps || after < kEps) return masked;
  return masked.mul_(before / after);
}

at::Tensor apply(const at::Tensor& delta, const at::Tensor& keep, Rescale rescale,
                 const at::Tensor& probability) {
  at::Tensor masked = delta * keep.to(delta.scalar_type());
  switch (rescale) {
    case Rescale::None:
      return masked;
    case Rescale::L1:
      return match_l1(delta, std::move(masked));
    case Rescale::Density:
      return masked.div_(probability);
  }
  return masked;
}

at::Tensor uniforms_like(const at::Tensor& delta, uint64_t stream) {
  return uniform_tensor(stream, delta.sizes()).to(delta.device());
}

}  // namespace

at::Tensor top_k_mask(const at::Tensor& magnitude, int64_t k) {
  const int64_t n = magnitude.numel();
  const auto bool_options = magnitude.options().dtype(at::kBool);
  if (k <= 0) return at::zeros(magnitude.sizes(), bool_options);
  if (k >= n) return at::ones(magnitude.sizes(), bool_options);
  const at::Tensor flat = magnitude.reshape({-1});
  // The k-th largest value is the (n - k + 1)-th smallest.
  const at::Tensor threshold = std::get<0>(at::kthvalue(flat, n - k + 1));
  at::Tensor keep = flat.gt(threshold);
  const int64_t above = keep.sum().item<int64_t>();
  const at::Tensor equal = flat.eq(threshold);
  const int64_t need = k - above;
  if (equal.sum().item<int64_t>() == need) {
    keep.logical_or_(equal);
  } else {
    // Ties at the threshold: the lowest indices win, whatever the selection algorithm.
    keep.logical_or_(equal.logical_and(equal.cumsum(0, at::kLong).le(need)));
  }
  return keep.reshape(magnitude.sizes());
}

at::Tensor sparsify_magnitude(const at::Tensor& delta, double density, Rescale rescale) {
  if (density >= 1) return delta;
  const auto k = static_cast<int64_t>(density * static_cast<double>(delta.numel()));
  const at::Tensor keep = top_k_mask(delta.abs(), k);
  return apply(delta, keep, rescale, at::scalar_tensor(density, delta.options()));
}

at::Tensor sparsify_breadcrumbs(const at::Tensor& delta, double density, double gamma,
                                Rescale rescale) {
  if (density >= 1) return delta;
  const int64_t n = delta.numel();
  const auto target = static_cast<int64_t>(density * static_cast<double>(n));
  auto n_top = static_cast<int64_t>(gamma * static_cast<double>(n));
  int64_t n_bottom = n - target - n_top;
  if (n_bottom < 0) {  // fewer outliers dropped, so that `target` entries remain
    n_top += n_bottom;
    n_bottom = 0;
  }
  const at::Tensor magnitude = delta.abs();
  const at::Tensor keep =
      top_k_mask(magnitude, n - n_bottom).logical_and_(top_k_mask(magnitude, n_top).logical_not());
  return apply(delta, keep, rescale, at::scalar_tensor(density, delta.options()));
}

at::Tensor sparsify_random(const at::Tensor& delta, double density, uint64_t stream,
                           Rescale rescale) {
  if (density >= 1) return delta;
  const at::Tensor keep = uniforms_like(delta, stream).lt(density);
  return apply(delta, keep, rescale, at::scalar_tensor(density, delta.options()));
}

at::Tensor sparsify_della(const at::Tensor& delta, double density, double epsilon,
                          uint64_t stream, Rescale rescale) {
  if (density >= 1) return delta;
  if (density <= 0) return at::zeros_like(delta);
  if (density - epsilon <= 0 || density + epsilon >= 1)
    throw InputError("della needs 0 < density - epsilon and density + epsilon < 1 (density " +
                     std::to_string(density) + ", epsilon " + std::to_string(epsilon) + ")");
  const at::Tensor rows = delta.dim() < 2 ? delta.reshape({1, -1}) : delta;
  const int64_t cols = rows.size(1);
  at::Tensor rank_norm;
  if (cols < 2) {
    rank_norm = at::full(rows.sizes(), 0.5, rows.options());
  } else {
    // Ascending magnitude rank within each row; a stable sort orders equal magnitudes by index.
    const at::Tensor order = std::get<1>(rows.abs().sort(/*stable=*/true, /*dim=*/1, false));
    std::vector<int64_t> view_shape(static_cast<size_t>(rows.dim()), 1);
    view_shape[1] = cols;
    const at::Tensor positions =
        at::arange(cols, rows.options().dtype(at::kLong)).view(view_shape).expand_as(order);
    const at::Tensor ranks = at::empty_like(order).scatter_(1, order, positions);
    rank_norm = ranks.to(at::kFloat).div_(static_cast<double>(cols - 1));
  }
  const at::Tensor probability = rank_norm.mul(2).mul_(epsilon).add_(density - epsilon);
  const at::Tensor keep = uniforms_like(rows, stream).lt(probability);
  return apply(rows, keep, rescale, probability).reshape(delta.sizes());
}

}  // namespace hallmark::merge
