// The bridge between checkpoint bytes and ATen tensors. Kept apart from the other checkpoint
// headers so that code which only parses or hashes files does not pay for ATen.
#pragma once

#include <ATen/core/Tensor.h>

#include "checkpoint/checkpoint.h"

namespace hallmark::checkpoint {

c10::ScalarType to_scalar_type(DType dtype);
// Throws InputError for types safetensors cannot hold.
DType from_scalar_type(c10::ScalarType type);

// A CPU tensor over the mapped bytes, without copying when the data is aligned for its dtype
// (a copy otherwise). The tensor keeps the mapping alive. Writing to it never touches the file
// (private copy-on-write mapping).
at::Tensor load_tensor(const SafetensorsFile& file, const TensorInfo& info);
at::Tensor load_tensor(const Checkpoint& ckpt, std::string_view name);

// A view of a contiguous CPU tensor's bytes, for serialize_safetensors and ShardedWriter.
TensorView view_of(const std::string& name, const at::Tensor& tensor);

}  // namespace hallmark::checkpoint
