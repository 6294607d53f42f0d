// Sparsification of task vectors (mergekit's sparsify.py), on fp32 tensors of any device.
// Ranking ties are broken by element index (lower index ranks higher among equal
// magnitudes), so results do not depend on the sort implementation.
#pragma once

#include <cstdint>

#include <ATen/core/Tensor.h>

namespace hallmark::merge {

enum class Rescale {
  None,
  L1,       // scale the kept entries so the L1 norm matches the unpruned one (mergekit)
  Density,  // divide each kept entry by its keep probability (the DARE and DELLA papers)
};

// A bool mask of the `k` largest entries of `magnitude` (any shape).
at::Tensor top_k_mask(const at::Tensor& magnitude, int64_t k);

// TIES: keep the top int(density * numel) entries by magnitude.
at::Tensor sparsify_magnitude(const at::Tensor& delta, double density, Rescale rescale);
// Breadcrumbs: drop the top int(gamma * numel) by magnitude and the smallest, keeping
// int(density * numel).
at::Tensor sparsify_breadcrumbs(const at::Tensor& delta, double density, double gamma,
                                Rescale rescale);
// DARE: keep each entry when its counter-based uniform number is below density.
at::Tensor sparsify_random(const at::Tensor& delta, double density, uint64_t stream,
                           Rescale rescale);
// DELLA: keep probability (density - epsilon) + 2 epsilon * rank / (cols - 1) by magnitude
// rank within each row (1-D tensors are one row).
at::Tensor sparsify_della(const at::Tensor& delta, double density, double epsilon,
                          uint64_t stream, Rescale rescale);

}  // namespace hallmark::merge
