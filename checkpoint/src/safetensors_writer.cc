#include <nlohmann/json.hpp>

#include "checkpoint/safetensors.h"
#include "checkpoint/src/header.h"
#include "common/error.h"

namespace hallmark::checkpoint {

uint64_t TensorSpec::nbytes() const {
  uint64_t n = dtype_size(dtype);
  for (int64_t d : shape) n *= static_cast<uint64_t>(d);
  return n;
}

std::string build_header(const std::vector<TensorSpec>& tensors,
                         const std::map<std::string, std::string>& metadata) {
  nlohmann::json header = nlohmann::json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  uint64_t offset = 0;
  for (const auto& t : tensors) {
    if (header.contains(t.name)) throw InputError("tensor " + t.name + ": name is used twice");
    const uint64_t n = t.nbytes();
    header[t.name] = {{"dtype", dtype_name(t.dtype)},
                      {"shape", t.shape},
                      {"data_offsets", {offset, offset + n}}};
    offset += n;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  std::string out(8, '\0');
  const uint64_t len = text.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((len >> (8 * i)) & 0xff);
  return out + text;
}

std::string serialize_safetensors(const std::vector<TensorView>& tensors,
                                  const std::map<std::string, std::string>& metadata) {
  std::vector<TensorSpec> specs;
  specs.reserve(tensors.size());
  for (const auto& t : tensors) {
    TensorSpec spec{t.name, t.dtype, t.shape};
    if (spec.nbytes() != t.bytes.size())
      throw InputError("tensor " + t.name + ": " + std::to_string(t.bytes.size()) +
                       " bytes do not match its dtype and shape (" + std::to_string(spec.nbytes()) + ")");
    specs.push_back(std::move(spec));
  }
  std::string out = build_header(specs, metadata);
  for (const auto& t : tensors) out.append(reinterpret_cast<const char*>(t.bytes.data()), t.bytes.size());
  return out;
}

}  // namespace hallmark::checkpoint
