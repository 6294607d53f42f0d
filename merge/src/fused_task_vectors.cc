#include "merge/src/fused_task_vectors.h"

#include <array>
#include <cmath>
#include <cstring>
#include <mutex>
#include <optional>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include "merge/random.h"
#include "merge/src/kernel_support.h"

namespace hallmark::merge {
namespace {

constexpr int64_t kBlock = 2048;
constexpr size_t kMaxModels = 16;

uint32_t bits_of(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}
float float_of(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

// The set of the m largest magnitudes: everything above `value`, plus the first `need_equal`
// entries equal to it in index order (the ATen path's tie rule). `equal_before[block]` counts
// the entries equal to `value` before each kBlock-sized block; empty when every equal entry
// belongs to the set.
struct Top {
  enum class Kind { None, All, Threshold } kind = Kind::None;
  float value = 0;
  int64_t need_equal = 0;
  std::vector<int64_t> equal_before;
};

// Walks a Top through one block in index order; call contains() once per element.
class TopCursor {
 public:
  TopCursor(const Top& top, int64_t block)
      : top_(&top), seen_(top.equal_before.empty() ? 0 : top.equal_before[static_cast<size_t>(block)]) {}
  bool contains(float magnitude) {
    if (top_->kind != Top::Kind::Threshold) return top_->kind == Top::Kind::All;
    if (magnitude > top_->value) return true;
    if (!(magnitude == top_->value)) return false;
    if (top_->equal_before.empty()) return true;
    return seen_++ < top_->need_equal;
  }

 private:
  const Top* top_;
  int64_t seen_;
};

template <typename In>
float magnitude_at(const In* x, const In* b, int64_t j) {
  return std::abs(static_cast<float>(x[j]) - static_cast<float>(b[j]));
}

template <typename In>
Top top_magnitudes(const In* x, const In* b, int64_t numel, int64_t m) {
  if (m <= 0) return Top{Top::Kind::None, 0, 0, {}};
  if (m >= numel) return Top{Top::Kind::All, 0, 0, {}};
  const auto threads = static_cast<size_t>(at::get_num_threads());
  // Two 16-bit radix passes over the bits of |x - b| (non-negative floats sort as integers).
  // Per-thread 32-bit counters (256 KiB, cache-resident), flushed every 2^30 entries.
  auto histogram = [&](std::optional<uint32_t> high) {
    std::vector<std::vector<uint32_t>> local(threads, std::vector<uint32_t>(65536, 0));
    std::vector<int64_t> total(65536, 0);
    std::mutex mu;
    at::parallel_for(0, numel, 1 << 16, [&](int64_t begin, int64_t end) {
      auto& h = local[static_cast<size_t>(at::get_thread_num())];
      for (int64_t first = begin; first < end; first += int64_t{1} << 30) {
        const int64_t last = std::min(end, first + (int64_t{1} << 30));
        std::fill(h.begin(), h.end(), 0u);
        if (!high) {
          for (int64_t j = first; j < last; ++j) ++h[bits_of(magnitude_at(x, b, j)) >> 16];
        } else {
          const uint32_t want = *high;
          for (int64_t j = first; j < last; ++j) {
            const uint32_t u = bits_of(magnitude_at(x, b, j));
            if ((u >> 16) == want) ++h[u & 0xFFFF];
          }
        }
        std::lock_guard lock(mu);
        for (size_t i = 0; i < total.size(); ++i) total[i] += h[i];
      }
    });
    return total;
  };
  const auto h1 = histogram(std::nullopt);
  int64_t above = 0;
  uint32_t high = 0;
  for (int64_t bin = 65535; bin >= 0; --bin) {
    if (above + h1[static_cast<size_t>(bin)] >= m) {
      high = static_cast<uint32_t>(bin);
      break;
    }
    above += h1[static_cast<size_t>(bin)];
  }
  const auto h2 = histogram(high);
  Top top;
  top.kind = Top::Kind::Threshold;
  for (int64_t bin = 65535; bin >= 0; --bin) {
    const int64_t equal = h2[static_cast<size_t>(bin)];
    if (above + equal >= m) {
      top.value = float_of((high << 16) | static_cast<uint32_t>(bin));
      top.need_equal = m - above;
      if (equal == top.need_equal) return top;
      break;
    }
    above += equal;
  }
  // Equal magnitudes straddle the boundary: count them per block for the index rule.
  const int64_t blocks = (numel + kBlock - 1) / kBlock;
  std::vector<int64_t> per_block(static_cast<size_t>(blocks), 0);
  at::parallel_for(0, blocks, 4, [&](int64_t first, int64_t last) {
    for (int64_t block = first; block < last; ++block) {
      int64_t count = 0;
      const int64_t end = std::min(numel, (block + 1) * kBlock);
      for (int64_t j = block * kBlock; j < end; ++j) count += magnitude_at(x, b, j) == top.value;
      per_block[static_cast<size_t>(block)] = count;
    }
  });
  top.equal_before.assign(static_cast<size_t>(blocks), 0);
  for (int64_t block = 1; block < blocks; ++block)
    top.equal_before[static_cast<size_t>(block)] =
        top.equal_before[static_cast<size_t>(block - 1)] + per_block[static_cast<size_t>(block - 1)];
  return top;
}

// One model's pruning as a predicate on (element index, magnitude).
struct Pruning {
  bool prunes = false;     // false: the task vector is used whole
  bool random = false;
  uint64_t stream = 0;
  uint64_t below = 0;      // random: keep element j when (hash >> 40) < below
  Top keep_top;            // magnitude: keep the top ...
  Top drop_top;            // ... except these (breadcrumbs' outliers)
  enum class Scale { None, Multiply, Divide } scale = Scale::None;
  float factor = 1;
  float weight = 0;
};

// uniform_at(stream, j) < density, as an integer comparison: uniform_at is k / 2^24 for the
// integer k = hash >> 40, and k / 2^24 < d exactly when k < ceil(d * 2^24).
uint64_t random_threshold(float density) {
  return static_cast<uint64_t>(std::ceil(static_cast<double>(density) * 16777216.0));
}

// 1.0f or 0.0f without a branch: the conditions here are random, a branch mispredicts half the
// time.
float flag(bool condition) { return static_cast<float>(static_cast<int>(condition)); }

// keep[j] = 1 when |d[j]| is in the top set, else 0, for the elements of one block.
void top_mask(const Top& top, int64_t block, const float* d, int64_t len, float* keep) {
  if (top.kind != Top::Kind::Threshold) {
    const float all = top.kind == Top::Kind::All ? 1.0f : 0.0f;
    for (int64_t j = 0; j < len; ++j) keep[j] = all;
  } else if (top.equal_before.empty()) {
    const float value = top.value;
    for (int64_t j = 0; j < len; ++j) keep[j] = flag(std::abs(d[j]) >= value);
  } else {
    // Ties at the threshold (common in bf16) are kept in index order; only the block where the
    // kept ties run out needs the element-by-element cursor.
    const float value = top.value;
    const int64_t seen = top.equal_before[static_cast<size_t>(block)];
    int64_t equal = 0;
    for (int64_t j = 0; j < len; ++j) equal += std::abs(d[j]) == value;
    if (seen >= top.need_equal) {
      for (int64_t j = 0; j < len; ++j) keep[j] = flag(std::abs(d[j]) > value);
    } else if (seen + equal <= top.need_equal) {
      for (int64_t j = 0; j < len; ++j) keep[j] = flag(std::abs(d[j]) >= value);
    } else {
      TopCursor cursor(top, block);
      for (int64_t j = 0; j < len; ++j) keep[j] = flag(cursor.contains(std::abs(d[j])));
    }
  }
}

// keep[j] = 1 when uniform_at(stream, start + j) < density, else 0. Integer-only, so the clones
// for wider vector units give the same bytes as the baseline; AVX-512 has the 64-bit multiply
// that makes the hash vectorize.
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
void random_mask(uint64_t stream, uint64_t below, int64_t start, int64_t len, float* keep) {
  // Element j's counter is stream + (j + 1) * golden: stepped by one add, not a multiply.
  uint64_t counter = stream + (static_cast<uint64_t>(start) + 1) * detail::kGolden;
  for (int64_t j = 0; j < len; ++j, counter += detail::kGolden)
    keep[j] = static_cast<float>(static_cast<int32_t>((detail::mix64(counter) >> 40) < below));
}

// keep[j] = 1 when element start + j of the task vector d survives the pruning p, else 0.
void keep_mask(const Pruning& p, int64_t block, int64_t start, const float* d, int64_t len, float* keep,
               float* scratch) {
  if (p.random) return random_mask(p.stream, p.below, start, len, keep);
  top_mask(p.keep_top, block, d, len, keep);
  if (p.drop_top.kind == Top::Kind::None) return;
  top_mask(p.drop_top, block, d, len, scratch);
  for (int64_t j = 0; j < len; ++j) keep[j] = keep[j] * (1.0f - scratch[j]);
}

template <typename In>
void delta_block(const In* x, const float* base, int64_t len, float* d) {
  for (int64_t j = 0; j < len; ++j) d[j] = static_cast<float>(x[j]) - base[j];
}

template <typename In>
void widen_block(const In* x, int64_t len, float* out) {
  for (int64_t j = 0; j < len; ++j) out[j] = static_cast<float>(x[j]);
}

// Per-thread block buffers.
struct Scratch {
  explicit Scratch(size_t rows) : data(rows * static_cast<size_t>(kBlock)) {}
  float* row(size_t i) { return data.data() + i * static_cast<size_t>(kBlock); }
  std::vector<float> data;
};

// mergekit's L1 rescale: each pruned task vector is multiplied by ||d||_1 / ||kept d||_1
// (left as is when either norm is ~0). One pass over the base serves every model; the sums are
// fixed-order doubles.
template <typename In>
void apply_l1_rescale(const std::vector<const In*>& xs, const In* b, int64_t numel,
                      std::vector<Pruning>& pruning) {
  std::vector<size_t> models;
  for (size_t i = 0; i < pruning.size(); ++i)
    if (pruning[i].prunes) models.push_back(i);
  if (models.empty()) return;
  const size_t m = models.size();
  const int64_t blocks = (numel + kBlock - 1) / kBlock;
  std::vector<double> before(static_cast<size_t>(blocks) * m), after(static_cast<size_t>(blocks) * m);
  at::parallel_for(0, blocks, 4, [&](int64_t first, int64_t last) {
    Scratch s(4);
    float *base = s.row(0), *d = s.row(1), *keep = s.row(2), *spare = s.row(3);
    for (int64_t block = first; block < last; ++block) {
      const int64_t start = block * kBlock;
      const int64_t len = std::min(kBlock, numel - start);
      widen_block(b + start, len, base);
      for (size_t k = 0; k < m; ++k) {
        const size_t at = static_cast<size_t>(block) * m + k;
        delta_block(xs[models[k]] + start, base, len, d);
        keep_mask(pruning[models[k]], block, start, d, len, keep, spare);
        before[at] = abs_sum(d, len);
        after[at] = masked_abs_sum(d, keep, len);
      }
    }
  });
  for (size_t k = 0; k < m; ++k) {
    double sb = 0, sa = 0;
    for (int64_t block = 0; block < blocks; ++block) {
      sb += before[static_cast<size_t>(block) * m + k];
      sa += after[static_cast<size_t>(block) * m + k];
    }
    if (sb < 1e-7 || sa < 1e-7) continue;
    Pruning& p = pruning[models[k]];
    p.scale = Pruning::Scale::Multiply;
    p.factor = static_cast<float>(sb / sa);
  }
}

// wd = the weighted, pruned and rescaled task vector of one model over one block, in one pass
// once the mask is known.
template <typename In>
void weighted_delta(const Pruning& p, const In* x, const float* base, int64_t block, int64_t start,
                    int64_t len, float* wd, float* keep, float* spare) {
  x += start;
  const float w = p.weight;
  if (!p.prunes) {
    for (int64_t j = 0; j < len; ++j) wd[j] = (static_cast<float>(x[j]) - base[j]) * w;
    return;
  }
  if (!p.random) delta_block(x, base, len, wd);  // magnitude masks look at the deltas
  keep_mask(p, block, start, wd, len, keep, spare);
  const float f = p.factor;
  const bool multiply = p.scale == Pruning::Scale::Multiply, divide = p.scale == Pruning::Scale::Divide;
  for (int64_t j = 0; j < len; ++j) {
    float v = (static_cast<float>(x[j]) - base[j]) * keep[j];
    if (multiply) v = v * f;
    if (divide) v = v / f;
    wd[j] = v * w;
  }
}

// TIES sign election over one block: keeps the terms that agree with the sign of their sum (0
// counts as +) and returns, in divisor, the summed weights of the agreeing models (0 becomes 1).
void elect_signs(const std::vector<Pruning>& pruning, const std::vector<float*>& wd, int64_t len,
                 float* mixed, float* divisor, float* total) {
  for (int64_t j = 0; j < len; ++j) total[j] = 0.0f, mixed[j] = 0.0f, divisor[j] = 0.0f;
  for (float* w : wd)
    for (int64_t j = 0; j < len; ++j) total[j] = total[j] + w[j];
  for (size_t i = 0; i < wd.size(); ++i) {
    float* w = wd[i];
    const float weight = pruning[i].weight;
    for (int64_t j = 0; j < len; ++j) {
      const int positive = total[j] >= 0;
      const float agree = static_cast<float>((positive & (w[j] > 0)) | ((1 - positive) & (w[j] < 0)));
      w[j] = w[j] * agree;
      mixed[j] = mixed[j] + w[j];
      divisor[j] = divisor[j] + agree * weight;
    }
  }
  for (int64_t j = 0; j < len; ++j) divisor[j] = divisor[j] == 0.0f ? 1.0f : divisor[j];
}

template <typename In, typename Out>
MergeResult combine(const TaskVectorMethod& method, const MergeArgs& args,
                    const std::vector<Pruning>& pruning) {
  const int64_t numel = args.base.numel();
  const size_t n = args.models.size();
  std::vector<const In*> xs;
  for (const auto& m : args.models) xs.push_back(m.tensor.data_ptr<In>());
  const In* b = args.base.data_ptr<In>();
  const bool normalize = args.globals.flag("normalize");
  const double lambda = args.globals.number("lambda");
  const auto lambda_f = static_cast<float>(lambda);
  double weight_sum = 0;
  for (const auto& p : pruning) weight_sum += p.weight;
  // Without sign election the divisor is the (double) weight sum, ~0 becoming 1.
  const auto plain_divisor = static_cast<float>(std::abs(weight_sum) < 1e-8 ? 1.0 : weight_sum);

  at::Tensor out = destination(args.out, args.base, args.out_dtype);
  Out* dst = out.data_ptr<Out>();
  const int64_t blocks = (numel + kBlock - 1) / kBlock;
  std::vector<double> partial(args.want_shares ? static_cast<size_t>(blocks) * n : 0);
  at::parallel_for(0, blocks, 4, [&](int64_t first, int64_t last) {
    Scratch s(n + 6);
    float *base = s.row(0), *mixed = s.row(1), *divisor = s.row(2), *keep = s.row(3), *spare = s.row(4),
          *share = s.row(5);
    std::vector<float*> wd;
    for (size_t i = 0; i < n; ++i) wd.push_back(s.row(6 + i));
    for (int64_t block = first; block < last; ++block) {
      const int64_t start = block * kBlock;
      const int64_t len = std::min(kBlock, numel - start);
      widen_block(b + start, len, base);
      for (size_t i = 0; i < n; ++i) weighted_delta(pruning[i], xs[i], base, block, start, len, wd[i], keep, spare);
      if (method.sign_consensus) {
        elect_signs(pruning, wd, len, mixed, divisor, keep);
      } else {
        for (int64_t j = 0; j < len; ++j) mixed[j] = 0.0f, divisor[j] = plain_divisor;
        for (float* w : wd)
          for (int64_t j = 0; j < len; ++j) mixed[j] = mixed[j] + w[j];
      }
      const bool scaled = lambda != 1.0;
      for (int64_t j = 0; j < len; ++j) {
        float m = mixed[j];
        if (normalize) m = m / divisor[j];
        if (scaled) m = m * lambda_f;
        dst[start + j] = static_cast<Out>(base[j] + m);
      }
      if (!args.want_shares) continue;
      for (size_t i = 0; i < n; ++i) {
        const float* w = wd[i];
        if (normalize) {
          for (int64_t j = 0; j < len; ++j) share[j] = w[j] / divisor[j];
          w = share;
        }
        partial[static_cast<size_t>(block) * n + i] = abs_sum(w, len);
      }
    }
  });
  MergeResult result;
  result.tensor = out;
  if (args.want_shares) {
    result.shares.assign(n, 0.0);
    for (int64_t block = 0; block < blocks; ++block)
      for (size_t i = 0; i < n; ++i)
        result.shares[i] += partial[static_cast<size_t>(block) * n + i] * std::abs(lambda);
  }
  return result;
}

template <typename In>
MergeResult run(const TaskVectorMethod& method, const MergeArgs& args) {
  const int64_t numel = args.base.numel();
  const In* b = args.base.data_ptr<In>();
  const bool rescale = args.globals.flag("rescale");
  const bool by_density = args.globals.word("rescale_mode") == "density";
  std::vector<Pruning> pruning;
  for (const auto& m : args.models) {
    Pruning p;
    p.weight = static_cast<float>(m.params.number("weight"));
    const double density = m.params.number("density");
    const In* x = m.tensor.data_ptr<In>();
    if (method.sparsification != Sparsification::None && density < 1) {
      p.prunes = true;
      const auto n = static_cast<double>(numel);
      if (method.sparsification == Sparsification::Random) {
        p.random = true;
        p.stream = mask_stream(args.seed, args.tensor_name, m.model);
        p.below = random_threshold(static_cast<float>(density));
      } else if (method.sparsification == Sparsification::Magnitude) {
        p.keep_top = top_magnitudes(x, b, numel, static_cast<int64_t>(density * n));
      } else {  // magnitude outliers (breadcrumbs)
        const auto target = static_cast<int64_t>(density * n);
        auto n_top = static_cast<int64_t>(m.params.number("gamma") * n);
        int64_t n_bottom = numel - target - n_top;
        if (n_bottom < 0) n_top += n_bottom, n_bottom = 0;
        p.keep_top = top_magnitudes(x, b, numel, numel - n_bottom);
        p.drop_top = top_magnitudes(x, b, numel, n_top);
      }
      if (rescale && by_density) {
        p.scale = Pruning::Scale::Divide;
        p.factor = static_cast<float>(density);
      }
    }
    pruning.push_back(p);
  }
  if (rescale && !by_density) {
    std::vector<const In*> xs;
    for (const auto& m : args.models) xs.push_back(m.tensor.data_ptr<In>());
    apply_l1_rescale(xs, b, numel, pruning);
  }
  switch (args.out_dtype) {
    case at::kFloat: return combine<In, float>(method, args, pruning);
    case at::kBFloat16: return combine<In, c10::BFloat16>(method, args, pruning);
    case at::kHalf: return combine<In, c10::Half>(method, args, pruning);
    default: return {};
  }
}

}  // namespace

MergeResult fused_task_vectors(const TaskVectorMethod& method, const MergeArgs& args) {
  if (method.sparsification == Sparsification::Della) return {};
  if (args.models.empty() || args.models.size() > kMaxModels || !args.base.defined()) return {};
  const auto type = args.base.scalar_type();
  auto fits = [&](const at::Tensor& t) {
    return t.device().is_cpu() && t.is_contiguous() && t.scalar_type() == type &&
           t.sizes() == args.base.sizes();
  };
  if (!fits(args.base)) return {};
  for (const auto& m : args.models)
    if (!fits(m.tensor)) return {};
  if (args.out_dtype != at::kFloat && args.out_dtype != at::kBFloat16 && args.out_dtype != at::kHalf) return {};
  switch (type) {
    case at::kFloat: return run<float>(method, args);
    case at::kBFloat16: return run<c10::BFloat16>(method, args);
    case at::kHalf: return run<c10::Half>(method, args);
    default: return {};
  }
}

}  // namespace hallmark::merge
