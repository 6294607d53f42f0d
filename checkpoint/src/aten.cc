#include "checkpoint/aten.h"

#include <ATen/ATen.h>

#include "common/error.h"

namespace hallmark::checkpoint {

c10::ScalarType to_scalar_type(DType dtype) {
  switch (dtype) {
    case DType::BOOL: return at::kBool;
    case DType::U8: return at::kByte;
    case DType::I8: return at::kChar;
    case DType::I16: return at::kShort;
    case DType::I32: return at::kInt;
    case DType::I64: return at::kLong;
    case DType::F16: return at::kHalf;
    case DType::BF16: return at::kBFloat16;
    case DType::F32: return at::kFloat;
    case DType::F64: return at::kDouble;
    default:
      throw InputError(std::string("dtype ") + std::string(dtype_name(dtype)) + " has no ATen equivalent in this build");
  }
}

DType from_scalar_type(c10::ScalarType type) {
  switch (type) {
    case at::kBool: return DType::BOOL;
    case at::kByte: return DType::U8;
    case at::kChar: return DType::I8;
    case at::kShort: return DType::I16;
    case at::kInt: return DType::I32;
    case at::kLong: return DType::I64;
    case at::kHalf: return DType::F16;
    case at::kBFloat16: return DType::BF16;
    case at::kFloat: return DType::F32;
    case at::kDouble: return DType::F64;
    default: throw InputError(std::string("ATen type ") + c10::toString(type) + " cannot be stored in safetensors");
  }
}

at::Tensor load_tensor(const SafetensorsFile& file, const TensorInfo& info) {
  const auto bytes = file.data(info);
  const auto type = to_scalar_type(info.dtype);
  auto* ptr = const_cast<std::byte*>(bytes.data());  // private copy-on-write mapping: writes stay local
  if (reinterpret_cast<uintptr_t>(ptr) % dtype_size(info.dtype) != 0 || bytes.empty()) {
    at::Tensor t = at::empty(info.shape, at::TensorOptions().dtype(type));
    if (!bytes.empty()) std::memcpy(t.data_ptr(), bytes.data(), bytes.size());
    return t;
  }
  auto owner = file.keep_alive();
  return at::from_blob(ptr, info.shape, [owner](void*) mutable { owner.reset(); },
                       at::TensorOptions().dtype(type));
}

at::Tensor load_tensor(const Checkpoint& ckpt, std::string_view name) {
  const auto& f = ckpt.file_of(name);
  return load_tensor(f, *f.find(name));
}

TensorView view_of(const std::string& name, const at::Tensor& tensor) {
  if (!tensor.device().is_cpu() || !tensor.is_contiguous())
    throw std::invalid_argument("tensor " + name + ": must be a contiguous CPU tensor to be written");
  const auto* p = static_cast<const std::byte*>(tensor.data_ptr());
  return TensorView{name, from_scalar_type(tensor.scalar_type()),
                    std::vector<int64_t>(tensor.sizes().begin(), tensor.sizes().end()),
                    {p, static_cast<size_t>(tensor.numel()) * tensor.element_size()}};
}

}  // namespace hallmark::checkpoint
