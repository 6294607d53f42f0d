// The arithmetic of the fp32 CPU inference path (cpu_decoder.cc) as plain loops over float
// arrays: the projections, the elementwise pieces and the attention over the cache. Decoding
// costs dozens of tiny ATen ops per layer whose dispatch and allocation dominate at the model
// sizes evaluated on a CPU, and the few-row matrix products of decoding are where a reference
// BLAS (Debian's libtorch links netlib's) is slowest; these loops do the same arithmetic (same
// formulas, fp32 accumulation, to rounding) without either. No ATen here: the file is compiled
// with the loop vectoriser fully on (CMakeLists.txt).
#pragma once

#include <cstdint>

namespace hallmark::fitness::cpu {

// sum a[i] * b[i], i < n.
float dot(const float* a, const float* b, int64_t n);

// y[r * y_stride + o] = x_r . w_o (+ bias[o]) for rows r < rows and outputs o in [begin, end):
// x is [rows, in] and w [outputs, in], both row-major (a torch Linear weight as stored), bias
// null or [outputs]. Blocked so that w is read from memory once per 64 rows of x.
void linear(const float* x, int64_t rows, int64_t in, const float* w, const float* bias,
            int64_t begin, int64_t end, float* y, int64_t y_stride);

// Each of `rows` rows of `width`: out = weight * (x / sqrt(mean(x^2) + eps)).
void rms_norm(const float* x, const float* weight, float eps, int64_t rows, int64_t width, float* out);

// Rotary embedding of `heads` vectors of `dim` at x, in place: each pair (i, i + dim/2) is
// rotated by the angle whose cosine and sine are cos[i], sin[i] (rotate_half convention).
void rotary(float* x, int64_t heads, int64_t dim, const float* cos, const float* sin);

// out[i] = silu(gate[i]) * up[i].
void silu_mul(const float* gate, const float* up, int64_t n, float* out);

// acc[i] += x[i].
void add_into(float* acc, const float* x, int64_t n);

// One query over keys/values rows s = first..last (each `dim` floats, row s at s * dim),
// skipping rows whose mask[s] is 0: out = softmax(scale * q.k_s) . v_s with fp32 softmax.
// `scores` has room for last + 1 floats. A query with no key to attend to gets zeros (it sits
// at padding; its output is never used).
void attend(const float* q, const float* keys, const float* values, int64_t dim, int64_t first,
            int64_t last, const int64_t* mask, float scale, float* scores, float* out);

}  // namespace hallmark::fitness::cpu
