#include "fitness/src/cpu_kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

// The products and the attention bound decoding: on x86-64 an AVX2 version of them is compiled
// as well and picked at load time on CPUs that have it (the baseline target is SSE2 only).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define HALLMARK_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define HALLMARK_VECTOR_CLONES
#endif

namespace hallmark::fitness::cpu {
namespace {

// Dot products are summed in eight independent lanes (one AVX register, two SSE ones), which
// the compiler may not do by itself for floats (it would reassociate a single running sum).
constexpr int kLanes = 8;
using Lanes = float __attribute__((vector_size(kLanes * sizeof(float))));

// out[r] = x_r . w for R consecutive rows of x (row length n): each load of w serves R rows.
// Always inlined, so that it is compiled for the target of each clone of its callers.
template <int R>
[[gnu::always_inline]] inline void dots(const float* x, int64_t n, const float* w, float* out) {
  Lanes acc[R];
  for (int r = 0; r < R; ++r) acc[r] = Lanes{};
  int64_t k = 0;
  for (; k + kLanes <= n; k += kLanes) {
    // Unaligned loads (memcpy); no helper returns a Lanes, whose ABI differs between clones.
    Lanes wk, xr;
    std::memcpy(&wk, w + k, sizeof wk);
    for (int r = 0; r < R; ++r) {
      std::memcpy(&xr, x + r * n + k, sizeof xr);
      acc[r] += xr * wk;
    }
  }
  for (int r = 0; r < R; ++r) {
    float tail = 0;
    for (int64_t t = k; t < n; ++t) tail += x[r * n + t] * w[t];
    const Lanes a = acc[r];
    out[r] = ((a[0] + a[4]) + (a[1] + a[5])) + ((a[2] + a[6]) + (a[3] + a[7])) + tail;
  }
}

template <int R>
[[gnu::always_inline]] inline void linear_rows(const float* x, int64_t in, const float* w, const float* bias,
                                               int64_t begin, int64_t end, float* y, int64_t y_stride) {
  for (int64_t o = begin; o < end; ++o) {
    float out[R];
    dots<R>(x, in, w + o * in, out);
    for (int r = 0; r < R; ++r) y[r * y_stride + o] = bias != nullptr ? out[r] + bias[o] : out[r];
  }
}

}  // namespace

float dot(const float* a, const float* b, int64_t n) {
  float out;
  dots<1>(a, n, b, &out);
  return out;
}

HALLMARK_VECTOR_CLONES
void linear(const float* x, int64_t rows, int64_t in, const float* w, const float* bias,
            int64_t begin, int64_t end, float* y, int64_t y_stride) {
  // Tiles of up to 64 rows of x (all of a decoding step's: the weight is read once), and
  // blocks of weight rows small enough to stay in cache while the tile passes over them.
  constexpr int64_t kRowTile = 64;
  const int64_t block = std::max<int64_t>(1, (64 * 1024) / (in * static_cast<int64_t>(sizeof(float))));
  for (int64_t tile = 0; tile < rows; tile += kRowTile) {
    const int64_t tile_end = std::min(rows, tile + kRowTile);
    for (int64_t first = begin; first < end; first += block) {
      const int64_t last = std::min(end, first + block);
      int64_t r = tile;
      for (; r + 4 <= tile_end; r += 4) {
        linear_rows<4>(x + r * in, in, w, bias, first, last, y + r * y_stride, y_stride);
      }
      const float* xr = x + r * in;
      float* yr = y + r * y_stride;
      switch (tile_end - r) {
        case 3: linear_rows<3>(xr, in, w, bias, first, last, yr, y_stride); break;
        case 2: linear_rows<2>(xr, in, w, bias, first, last, yr, y_stride); break;
        case 1: linear_rows<1>(xr, in, w, bias, first, last, yr, y_stride); break;
        default: break;
      }
    }
  }
}

void rms_norm(const float* x, const float* weight, float eps, int64_t rows, int64_t width, float* out) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = x + r * width;
    float* dst = out + r * width;
    const float mean_square = dot(row, row, width) / static_cast<float>(width);
    const float inv = 1.0f / std::sqrt(mean_square + eps);
    for (int64_t i = 0; i < width; ++i) dst[i] = weight[i] * (row[i] * inv);
  }
}

void rotary(float* x, int64_t heads, int64_t dim, const float* cos, const float* sin) {
  const int64_t half = dim / 2;
  for (int64_t h = 0; h < heads; ++h) {
    float* lo = x + h * dim;
    float* hi = lo + half;
    for (int64_t i = 0; i < half; ++i) {
      const float a = lo[i], b = hi[i];
      lo[i] = a * cos[i] - b * sin[i];
      hi[i] = b * cos[i] + a * sin[i];
    }
  }
}

void silu_mul(const float* gate, const float* up, int64_t n, float* out) {
  for (int64_t i = 0; i < n; ++i) out[i] = gate[i] / (1.0f + std::exp(-gate[i])) * up[i];
}

void add_into(float* acc, const float* x, int64_t n) {
  for (int64_t i = 0; i < n; ++i) acc[i] += x[i];
}

HALLMARK_VECTOR_CLONES
void attend(const float* q, const float* keys, const float* values, int64_t dim, int64_t first,
            int64_t last, const int64_t* mask, float scale, float* scores, float* out) {
  float top = -std::numeric_limits<float>::infinity();
  for (int64_t s = first; s <= last; ++s) {
    if (mask[s] == 0) continue;
    dots<1>(q, dim, keys + s * dim, &scores[s]);
    scores[s] *= scale;
    top = std::max(top, scores[s]);
  }
  std::fill(out, out + dim, 0.0f);
  if (top == -std::numeric_limits<float>::infinity()) return;
  float total = 0;
  for (int64_t s = first; s <= last; ++s) {
    if (mask[s] == 0) continue;
    scores[s] = std::exp(scores[s] - top);
    total += scores[s];
  }
  for (int64_t s = first; s <= last; ++s) {
    if (mask[s] == 0) continue;
    const float p = scores[s] / total;
    const float* v = values + s * dim;
    for (int64_t d = 0; d < dim; ++d) out[d] += p * v[d];
  }
}

}  // namespace hallmark::fitness::cpu
