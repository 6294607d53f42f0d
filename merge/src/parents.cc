#include "merge/parents.h"

#include <map>

#include <ATen/ATen.h>

#include "checkpoint/aten.h"
#include "common/error.h"

namespace hallmark::merge {

struct Parents::Impl {
  std::string device_name;
  c10::Device device{c10::kCPU};
  std::map<std::string, checkpoint::Checkpoint> checkpoints;
  // With `resident`: every tensor, on the device, keyed by (reference, tensor name).
  std::map<std::pair<std::string, std::string>, at::Tensor> resident;
};

Parents Parents::open(const std::vector<std::pair<std::string, std::string>>& models,
                      ParentOptions options) {
  auto impl = std::make_shared<Impl>();
  impl->device_name = options.device;
  try {
    impl->device = c10::Device(options.device);
  } catch (const std::exception&) {
    throw InputError("--device '" + options.device + "': expected cpu or cuda:N");
  }
  if (!impl->device.is_cpu() && !impl->device.is_cuda())
    throw InputError("--device '" + options.device + "': expected cpu or cuda:N");
  for (const auto& [ref, location] : models) {
    if (impl->checkpoints.count(ref)) continue;
    auto ckpt = checkpoint::Checkpoint::open(location);
    if (options.resident) {
      for (const auto& name : ckpt.tensor_names())
        impl->resident[{ref, name}] = checkpoint::load_tensor(ckpt, name).to(
            at::TensorOptions().device(impl->device), /*non_blocking=*/false, /*copy=*/true);
    }
    impl->checkpoints.emplace(ref, std::move(ckpt));
  }
  Parents parents;
  parents.impl_ = std::move(impl);
  return parents;
}

Parents Parents::open_for(const Recipe& recipe, ParentOptions options) {
  std::vector<std::pair<std::string, std::string>> models;
  for (const auto& ref : recipe.model_refs()) models.emplace_back(ref, recipe.locate(ref));
  return open(models, std::move(options));
}

bool Parents::has(const std::string& ref) const { return impl_->checkpoints.count(ref) != 0; }

const checkpoint::Checkpoint& Parents::checkpoint(const std::string& ref) const {
  auto it = impl_->checkpoints.find(ref);
  if (it == impl_->checkpoints.end()) throw InputError("model " + ref + " was not opened");
  return it->second;
}

at::Tensor Parents::tensor(const std::string& ref, const std::string& name) const {
  if (!impl_->resident.empty()) {
    auto it = impl_->resident.find({ref, name});
    if (it != impl_->resident.end()) return it->second;
  }
  const auto& ckpt = checkpoint(ref);
  at::Tensor t = checkpoint::load_tensor(ckpt, name);
  return impl_->device.is_cpu() ? t : t.to(impl_->device);
}

const std::string& Parents::device() const { return impl_->device_name; }

}  // namespace hallmark::merge
