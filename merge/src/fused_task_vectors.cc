#include "merge/src/fused_task_vectors.h"

#include <array>
#include <cmath>
#include <cstring>
#include <optional>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include "merge/random.h"

namespace hallmark::merge {
namespace {

constexpr int64_t kBlock = 4096;
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
  auto histogram = [&](std::optional<uint32_t> high) {
    std::vector<std::vector<int64_t>> local(threads, std::vector<int64_t>(65536, 0));
    at::parallel_for(0, numel, 1 << 16, [&](int64_t begin, int64_t end) {
      auto& h = local[static_cast<size_t>(at::get_thread_num())];
      for (int64_t j = begin; j < end; ++j) {
        const uint32_t u = bits_of(magnitude_at(x, b, j));
        if (!high) ++h[u >> 16];
        else if ((u >> 16) == *high) ++h[u & 0xFFFF];
      }
    });
    std::vector<int64_t> total(65536, 0);
    for (const auto& h : local)
      for (size_t i = 0; i < total.size(); ++i) total[i] += h[i];
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
  float density = 1;
  Top keep_top;            // magnitude: keep the top ...
  Top drop_top;            // ... except these (breadcrumbs' outliers)
  enum class Scale { None, Multiply, Divide } scale = Scale::None;
  float factor = 1;
  float weight = 0;
};

// Pruning's predicate over one block, in index order: keeps() once per element.
class Keeper {
 public:
  Keeper(const Pruning& p, int64_t block) : p_(&p), keep_(p.keep_top, block), drop_(p.drop_top, block) {}
  bool keeps(int64_t j, float magnitude) {
    if (p_->random) return uniform_at(p_->stream, static_cast<uint64_t>(j)) < p_->density;
    const bool kept = keep_.contains(magnitude);
    const bool dropped = drop_.contains(magnitude);  // both cursors see every element
    return kept && !dropped;
  }

 private:
  const Pruning* p_;
  TopCursor keep_, drop_;
};

template <typename In>
float delta_at(const In* x, const In* b, int64_t j) {
  return static_cast<float>(x[j]) - static_cast<float>(b[j]);
}

// mergekit's L1 rescale factor: ||d||_1 / ||kept d||_1, in fixed-order double sums.
template <typename In>
std::optional<double> l1_factor(const In* x, const In* b, int64_t numel, const Pruning& p) {
  const int64_t blocks = (numel + kBlock - 1) / kBlock;
  std::vector<double> before(static_cast<size_t>(blocks)), after(static_cast<size_t>(blocks));
  at::parallel_for(0, blocks, 4, [&](int64_t first, int64_t last) {
    for (int64_t block = first; block < last; ++block) {
      double sb = 0, sa = 0;
      Keeper keeper(p, block);
      const int64_t end = std::min(numel, (block + 1) * kBlock);
      for (int64_t j = block * kBlock; j < end; ++j) {
        const float d = delta_at(x, b, j);
        const float masked = d * (keeper.keeps(j, std::abs(d)) ? 1.0f : 0.0f);
        sb += std::abs(d);
        sa += std::abs(masked);
      }
      before[static_cast<size_t>(block)] = sb;
      after[static_cast<size_t>(block)] = sa;
    }
  });
  double sb = 0, sa = 0;
  for (int64_t i = 0; i < blocks; ++i) sb += before[static_cast<size_t>(i)], sa += after[static_cast<size_t>(i)];
  if (sb < 1e-7 || sa < 1e-7) return std::nullopt;
  return sb / sa;
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

  at::Tensor out = at::empty(args.base.sizes(), args.base.options().dtype(args.out_dtype));
  Out* dst = out.data_ptr<Out>();
  const int64_t blocks = (numel + kBlock - 1) / kBlock;
  std::vector<double> partial(args.want_shares ? static_cast<size_t>(blocks) * n : 0);
  at::parallel_for(0, blocks, 4, [&](int64_t first, int64_t last) {
    std::array<float, kMaxModels> wd{};
    std::array<double, kMaxModels> l1{};
    for (int64_t block = first; block < last; ++block) {
      l1.fill(0.0);
      std::vector<Keeper> keepers;
      keepers.reserve(n);
      for (const auto& p : pruning) keepers.emplace_back(p, block);
      const int64_t end = std::min(numel, (block + 1) * kBlock);
      for (int64_t j = block * kBlock; j < end; ++j) {
        const float base = static_cast<float>(b[j]);
        for (size_t i = 0; i < n; ++i) {
          const Pruning& p = pruning[i];
          float v = static_cast<float>(xs[i][j]) - base;
          if (p.prunes) {
            v = v * (keepers[i].keeps(j, std::abs(v)) ? 1.0f : 0.0f);
            if (p.scale == Pruning::Scale::Multiply) v = v * p.factor;
            else if (p.scale == Pruning::Scale::Divide) v = v / p.factor;
          }
          wd[i] = v * p.weight;
        }
        float mixed = 0.0f;
        float divisor = plain_divisor;
        if (method.sign_consensus) {
          float total = 0.0f;
          for (size_t i = 0; i < n; ++i) total = total + wd[i];
          const bool positive = total >= 0;
          divisor = 0.0f;
          for (size_t i = 0; i < n; ++i) {
            const float agree = (positive ? wd[i] > 0 : wd[i] < 0) ? 1.0f : 0.0f;
            wd[i] = wd[i] * agree;
            mixed = mixed + wd[i];
            divisor = divisor + agree * pruning[i].weight;
          }
          if (divisor == 0.0f) divisor = 1.0f;
        } else {
          for (size_t i = 0; i < n; ++i) mixed = mixed + wd[i];
        }
        if (normalize) mixed = mixed / divisor;
        if (lambda != 1.0) mixed = mixed * lambda_f;
        dst[j] = static_cast<Out>(base + mixed);
        if (args.want_shares)
          for (size_t i = 0; i < n; ++i) l1[i] += std::abs(normalize ? wd[i] / divisor : wd[i]);
      }
      if (args.want_shares)
        for (size_t i = 0; i < n; ++i) partial[static_cast<size_t>(block) * n + i] = l1[i];
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
        p.density = static_cast<float>(density);
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
      } else if (rescale) {
        if (auto factor = l1_factor(x, b, numel, p)) {
          p.scale = Pruning::Scale::Multiply;
          p.factor = static_cast<float>(*factor);
        }
      }
    }
    pruning.push_back(p);
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
