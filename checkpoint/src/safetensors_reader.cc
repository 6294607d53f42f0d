#include <algorithm>
#include <cstring>
#include <limits>
#include <set>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "checkpoint/safetensors.h"
#include "checkpoint/src/mapped_file.h"
#include "common/error.h"

namespace hallmark::checkpoint {

struct SafetensorsFile::Impl {
  std::filesystem::path path;
  std::unique_ptr<MappedFile> file;
  std::vector<TensorInfo> tensors;
  std::unordered_map<std::string, size_t> by_name;
  std::map<std::string, std::string> metadata;
};

int64_t TensorInfo::numel() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& why) {
  throw InputError(path.string() + ": " + why);
}

uint64_t read_u64_le(const std::byte* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

// nlohmann keeps the last of duplicate keys; the format forbids them, so the parse reports the
// first repeated top-level key through `duplicate`.
json parse_header(std::string_view text, std::string& duplicate) {
  std::set<std::string> seen;
  json::parser_callback_t cb = [&](int depth, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::key && depth == 1 && duplicate.empty()) {
      std::string key = parsed.get<std::string>();
      if (!seen.insert(key).second) duplicate = key;
    }
    return true;
  };
  return json::parse(text.begin(), text.end(), cb);
}

uint64_t checked_nbytes(const std::filesystem::path& path, const std::string& name,
                        const std::vector<int64_t>& shape, size_t elem) {
  uint64_t n = elem;
  for (int64_t d : shape) {
    if (d != 0 && n > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(d))
      fail(path, "tensor " + name + ": shape too large");
    n *= static_cast<uint64_t>(d);
  }
  return n;
}

TensorInfo parse_entry(const std::filesystem::path& path, const std::string& name, const json& v) {
  if (!v.is_object()) fail(path, "tensor " + name + ": header entry is not an object");
  for (const auto& [key, _] : v.items())
    if (key != "dtype" && key != "shape" && key != "data_offsets")
      fail(path, "tensor " + name + ": unknown header field '" + key + "'");
  TensorInfo info;
  info.name = name;
  auto dt = v.find("dtype");
  if (dt == v.end() || !dt->is_string()) fail(path, "tensor " + name + ": missing dtype");
  auto dtype = parse_dtype(dt->get<std::string>());
  if (!dtype) fail(path, "tensor " + name + ": unknown dtype '" + dt->get<std::string>() + "'");
  info.dtype = *dtype;
  auto shape = v.find("shape");
  if (shape == v.end() || !shape->is_array()) fail(path, "tensor " + name + ": missing shape");
  for (const auto& d : *shape) {
    if (!d.is_number_unsigned()) fail(path, "tensor " + name + ": shape must hold non-negative integers");
    uint64_t dim = d.get<uint64_t>();
    if (dim > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      fail(path, "tensor " + name + ": dimension too large");
    info.shape.push_back(static_cast<int64_t>(dim));
  }
  auto offsets = v.find("data_offsets");
  if (offsets == v.end() || !offsets->is_array() || offsets->size() != 2 ||
      !(*offsets)[0].is_number_unsigned() || !(*offsets)[1].is_number_unsigned())
    fail(path, "tensor " + name + ": data_offsets must be two non-negative integers");
  uint64_t begin = (*offsets)[0].get<uint64_t>();
  uint64_t end = (*offsets)[1].get<uint64_t>();
  if (end < begin) fail(path, "tensor " + name + ": data_offsets end before begin");
  info.offset = begin;  // relative to the data buffer until the caller rebases it
  info.nbytes = end - begin;
  uint64_t expected = checked_nbytes(path, name, info.shape, dtype_size(info.dtype));
  if (expected != info.nbytes)
    fail(path, "tensor " + name + ": holds " + std::to_string(info.nbytes) + " bytes but " +
                   std::string(dtype_name(info.dtype)) + " x shape needs " + std::to_string(expected));
  return info;
}

}  // namespace

SafetensorsFile SafetensorsFile::open(const std::filesystem::path& path) {
  auto impl = std::make_shared<Impl>();
  impl->path = path;
  impl->file = std::make_unique<MappedFile>(path);
  const std::byte* base = impl->file->data();
  const uint64_t size = impl->file->size();
  if (size < 8) fail(path, "truncated: shorter than the 8-byte header length");
  const uint64_t header_len = read_u64_le(base);
  if (header_len > kMaxHeaderBytes)
    fail(path, "header length " + std::to_string(header_len) + " exceeds the 100 MB limit");
  if (header_len > size - 8)
    fail(path, "truncated: header length " + std::to_string(header_len) + " runs past the end of the " +
                   std::to_string(size) + "-byte file");
  std::string_view text(reinterpret_cast<const char*>(base + 8), header_len);
  if (text.empty() || text.front() != '{') fail(path, "header is not a JSON object");
  json header;
  std::string duplicate;
  try {
    header = parse_header(text, duplicate);
  } catch (const json::parse_error& e) {
    fail(path, std::string("header is not valid JSON: ") + e.what());
  }
  if (!header.is_object()) fail(path, "header is not a JSON object");
  if (!duplicate.empty()) fail(path, "tensor " + duplicate + " is listed twice in the header");

  for (const auto& [name, value] : header.items()) {
    if (name == "__metadata__") {
      if (!value.is_object()) fail(path, "__metadata__ is not an object");
      for (const auto& [k, v] : value.items()) {
        if (!v.is_string()) fail(path, "__metadata__ value for '" + k + "' is not a string");
        impl->metadata[k] = v.get<std::string>();
      }
      continue;
    }
    impl->tensors.push_back(parse_entry(path, name, value));
  }

  std::sort(impl->tensors.begin(), impl->tensors.end(), [](const TensorInfo& a, const TensorInfo& b) {
    return a.offset != b.offset ? a.offset < b.offset : a.nbytes < b.nbytes;
  });
  const uint64_t data_start = 8 + header_len;
  const uint64_t data_len = size - data_start;
  uint64_t cursor = 0;
  for (size_t i = 0; i < impl->tensors.size(); ++i) {
    TensorInfo& t = impl->tensors[i];
    if (t.offset < cursor)
      fail(path, "tensor " + t.name + ": data_offsets overlap tensor " + impl->tensors[i - 1].name);
    if (t.offset > cursor) fail(path, "tensor " + t.name + ": gap before its data_offsets (not contiguous)");
    if (t.offset + t.nbytes > data_len)
      fail(path, "truncated: tensor " + t.name + " ends at byte " + std::to_string(data_start + t.offset + t.nbytes) +
                     " of a " + std::to_string(size) + "-byte file");
    cursor = t.offset + t.nbytes;
    t.offset += data_start;
    impl->by_name.emplace(t.name, i);
  }
  if (cursor != data_len)
    fail(path, std::to_string(data_len - cursor) + " trailing bytes after the last tensor");
  SafetensorsFile f;
  f.impl_ = std::move(impl);
  return f;
}

const std::filesystem::path& SafetensorsFile::path() const { return impl_->path; }

const std::vector<TensorInfo>& SafetensorsFile::tensors() const { return impl_->tensors; }

const TensorInfo* SafetensorsFile::find(std::string_view name) const {
  auto it = impl_->by_name.find(std::string(name));
  return it == impl_->by_name.end() ? nullptr : &impl_->tensors[it->second];
}

std::span<const std::byte> SafetensorsFile::data(const TensorInfo& info) const {
  return {impl_->file->data() + info.offset, static_cast<size_t>(info.nbytes)};
}

const std::map<std::string, std::string>& SafetensorsFile::metadata() const { return impl_->metadata; }

std::shared_ptr<const void> SafetensorsFile::keep_alive() const { return impl_; }

}  // namespace hallmark::checkpoint
