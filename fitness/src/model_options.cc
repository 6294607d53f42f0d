#include <ATen/Context.h>

#include <string>

#include "common/error.h"
#include "fitness/model.h"

namespace hallmark::fitness {

ModelOptions ModelOptions::parse(std::string_view device, std::string_view dtype) {
  ModelOptions options;
  if (dtype == "fp32" || dtype == "float32" || dtype == "float") {
    options.dtype = c10::ScalarType::Float;
  } else if (dtype == "bf16" || dtype == "bfloat16") {
    options.dtype = c10::ScalarType::BFloat16;
  } else if (dtype == "fp16" || dtype == "float16" || dtype == "half") {
    options.dtype = c10::ScalarType::Half;
  } else {
    throw InputError("--dtype: unknown dtype '" + std::string(dtype) + "' (supported: fp32, bf16, fp16)");
  }
  const std::string spelled(device);
  if (spelled == "cpu") {
    options.device = c10::Device(c10::kCPU);
  } else if (spelled == "cuda" || spelled.starts_with("cuda:")) {
    try {
      options.device = c10::Device(spelled);
    } catch (const c10::Error&) {
      throw InputError("--device: malformed device '" + spelled + "' (cpu, cuda, cuda:N)");
    }
    if (!at::hasCUDA()) throw InputError("--device " + spelled + ": CUDA is not available on this build or machine");
  } else {
    throw InputError("--device: unknown device '" + spelled + "' (supported: cpu, cuda, cuda:N)");
  }
  return options;
}

}  // namespace hallmark::fitness
