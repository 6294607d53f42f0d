#include "zoo/src/trainer.h"

#include <torch/optim/adamw.h>

#include <ATen/ATen.h>

#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "zoo/src/rng.h"

namespace hallmark::zoo {
namespace {

at::Tensor normal_tensor(const std::vector<int64_t>& shape, double std, Rng& rng) {
  int64_t n = 1;
  for (auto d : shape) n *= d;
  std::vector<float> values(static_cast<size_t>(n));
  // Box-Muller from our own generator: identical on every platform and libtorch version.
  for (size_t i = 0; i < values.size(); i += 2) {
    double u1 = std::max(rng.uniform(), 1e-300);
    double u2 = rng.uniform();
    double r = std::sqrt(-2.0 * std::log(u1));
    values[i] = static_cast<float>(std * r * std::cos(2 * std::numbers::pi * u2));
    if (i + 1 < values.size()) {
      values[i + 1] = static_cast<float>(std * r * std::sin(2 * std::numbers::pi * u2));
    }
  }
  return at::from_blob(values.data(), shape, at::kFloat).clone();
}

// CPU time of the calling thread: what a model's training costs whatever else shares the
// cores (each model trains on one intra-op thread, and CPU autograd runs in this thread).
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

double lr_at(int step, const TrainSettings& s) {
  if (step < s.warmup_steps) return s.lr * (step + 1) / s.warmup_steps;
  double progress = static_cast<double>(step - s.warmup_steps) /
                    std::max(1, s.steps - s.warmup_steps);
  double cosine = 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
  return s.lr * (s.min_lr_ratio + (1.0 - s.min_lr_ratio) * cosine);
}

struct Batch {
  at::Tensor ids, mask, targets;
};

Batch make_batch(const std::vector<Sequence>& data, const std::vector<size_t>& order, size_t begin,
                 int batch_size) {
  size_t b = static_cast<size_t>(batch_size);
  size_t width = 0;
  for (size_t i = 0; i < b; ++i) width = std::max(width, data[order[(begin + i) % order.size()]].ids.size());
  auto ids = at::zeros({batch_size, static_cast<int64_t>(width)}, at::kLong);
  auto mask = at::zeros({batch_size, static_cast<int64_t>(width)}, at::kLong);
  auto targets = at::full({batch_size, static_cast<int64_t>(width)}, -100, at::kLong);
  auto ids_a = ids.accessor<int64_t, 2>();
  auto mask_a = mask.accessor<int64_t, 2>();
  auto targets_a = targets.accessor<int64_t, 2>();
  for (size_t i = 0; i < b; ++i) {
    const auto& seq = data[order[(begin + i) % order.size()]];
    for (size_t t = 0; t < seq.ids.size(); ++t) {
      ids_a[i][t] = seq.ids[t];
      mask_a[i][t] = 1;
      if (t > 0 && seq.train[t]) targets_a[i][t] = seq.ids[t];
    }
  }
  return {ids, mask, targets};
}

// Scales all gradients together so that their global L2 norm is at most max_norm.
void clip_gradients(const std::vector<at::Tensor>& params, double max_norm) {
  double total = 0;
  for (const auto& p : params) {
    if (p.grad().defined()) total += p.grad().pow(2).sum().item<double>();
  }
  double norm = std::sqrt(total);
  if (norm > max_norm) {
    for (const auto& p : params) {
      if (p.grad().defined()) p.grad().mul_(max_norm / (norm + 1e-6));
    }
  }
}

}  // namespace

fitness::WeightMap init_weights(const fitness::LlamaConfig& config, uint64_t seed) {
  Rng rng(seed);
  fitness::WeightMap weights;
  double out_std = 0.02 / std::sqrt(2.0 * static_cast<double>(config.num_hidden_layers));
  for (const auto& [name, shape] : config.weight_shapes()) {
    at::Tensor t;
    if (ends_with(name, "norm.weight")) {
      t = at::ones(shape, at::kFloat);
    } else if (ends_with(name, ".bias")) {
      t = at::zeros(shape, at::kFloat);
    } else if (ends_with(name, "o_proj.weight") || ends_with(name, "down_proj.weight")) {
      t = normal_tensor(shape, out_std, rng);
    } else {
      t = normal_tensor(shape, 0.02, rng);
    }
    weights[name] = t.set_requires_grad(true);
  }
  return weights;
}

TrainReport train(const fitness::LlamaConfig& config, fitness::WeightMap& weights,
                  const std::vector<Sequence>& data, const TrainSettings& settings,
                  const std::function<void(const std::string&)>& log) {
  std::vector<at::Tensor> params;
  for (auto& [name, w] : weights) {
    w.set_requires_grad(true);
    params.push_back(w);
  }
  // The model holds these very tensors (same device and dtype), so the optimizer's updates
  // are what its forward sees.
  fitness::LlamaModel model(config, weights, {}, "zoo-training");
  torch::optim::AdamW optimizer(
      params, torch::optim::AdamWOptions(settings.lr).betas({0.9, 0.95}).weight_decay(settings.weight_decay));

  Rng rng(settings.seed);
  std::vector<size_t> order(data.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  rng.shuffle(order);
  size_t cursor = 0;

  TrainReport report;
  const double cpu_start = thread_cpu_seconds();
  std::vector<double> recent;
  for (int step = 0; step < settings.steps; ++step) {
    if (cursor + static_cast<size_t>(settings.batch_size) > order.size()) {
      rng.shuffle(order);
      cursor = 0;
    }
    auto batch = make_batch(data, order, cursor, settings.batch_size);
    cursor += static_cast<size_t>(settings.batch_size);
    for (auto& group : optimizer.param_groups()) {
      static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr_at(step, settings));
    }
    optimizer.zero_grad();
    auto logits = model.forward(batch.ids, batch.mask);
    int64_t vocab = logits.size(-1);
    auto loss = at::cross_entropy_loss(
        logits.slice(1, 0, -1).reshape({-1, vocab}),
        batch.targets.slice(1, 1).reshape({-1}), {}, at::Reduction::Mean, -100);
    loss.backward();
    clip_gradients(params, settings.clip_norm);
    optimizer.step();
    double value = loss.item<double>();
    if (step == 0) report.first_loss = value;
    recent.push_back(value);
    if (recent.size() > 10) recent.erase(recent.begin());
    if (log && (step % 100 == 0 || step + 1 == settings.steps)) {
      char line[128];
      std::snprintf(line, sizeof line, "step %d/%d loss %.4f (%.1f s CPU)", step + 1, settings.steps,
                    value, thread_cpu_seconds() - cpu_start);
      log(line);
    }
  }
  double sum = 0;
  for (double v : recent) sum += v;
  report.last_loss = recent.empty() ? 0 : sum / static_cast<double>(recent.size());
  for (auto& [name, w] : weights) w.set_requires_grad(false);
  return report;
}

}  // namespace hallmark::zoo
