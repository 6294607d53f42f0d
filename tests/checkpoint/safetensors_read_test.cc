#include <catch2/catch.hpp>

#include <cstring>

#include "checkpoint/safetensors.h"
#include "tests/support/scratch_dir.h"

using namespace hallmark::checkpoint;
using hallmark::testing::ScratchDir;

namespace {

std::span<const std::byte> bytes_of(const std::vector<float>& v) {
  return {reinterpret_cast<const std::byte*>(v.data()), v.size() * sizeof(float)};
}

}  // namespace

TEST_CASE("serialize then open returns the same tensors, shapes and metadata") {
  ScratchDir dir;
  std::vector<float> a{1, 2, 3, 4, 5, 6};
  std::vector<float> b{-1.5f};
  std::string file = serialize_safetensors(
      {{"b.weight", DType::F32, {1}, bytes_of(b)}, {"a.weight", DType::F32, {2, 3}, bytes_of(a)}},
      {{"format", "pt"}});
  hallmark::testing::write_bytes(dir / "m.safetensors", file);

  auto f = SafetensorsFile::open(dir / "m.safetensors");
  REQUIRE(f.tensors().size() == 2);
  CHECK(f.tensors()[0].name == "b.weight");  // data order, not name order
  const TensorInfo* info = f.find("a.weight");
  REQUIRE(info != nullptr);
  CHECK(info->shape == std::vector<int64_t>{2, 3});
  CHECK(info->numel() == 6);
  CHECK(std::memcmp(f.data(*info).data(), a.data(), 24) == 0);
  CHECK(f.metadata().at("format") == "pt");
  CHECK(f.find("missing") == nullptr);
}

TEST_CASE("the header is padded to a multiple of 8 bytes so tensor data is aligned") {
  std::vector<float> a{1};
  for (std::string name : {"x", "xy", "xyz", "a_longer_name.weight"}) {
    std::string file = serialize_safetensors({{name, DType::F32, {1}, bytes_of(a)}});
    uint64_t n = 0;
    std::memcpy(&n, file.data(), 8);
    CHECK(n % 8 == 0);
    CHECK(file.size() == 8 + n + 4);
  }
}

TEST_CASE("serialization is deterministic and independent of metadata insertion order") {
  std::vector<float> a{1, 2};
  std::map<std::string, std::string> m1{{"x", "1"}, {"a", "2"}};
  std::map<std::string, std::string> m2{{"a", "2"}, {"x", "1"}};
  CHECK(serialize_safetensors({{"t", DType::F32, {2}, bytes_of(a)}}, m1) ==
        serialize_safetensors({{"t", DType::F32, {2}, bytes_of(a)}}, m2));
}

TEST_CASE("scalars and empty tensors round-trip") {
  ScratchDir dir;
  std::vector<float> s{42};
  std::string file = serialize_safetensors(
      {{"scalar", DType::F32, {}, bytes_of(s)}, {"empty", DType::BF16, {0, 4}, {}}});
  hallmark::testing::write_bytes(dir / "m.safetensors", file);
  auto f = SafetensorsFile::open(dir / "m.safetensors");
  CHECK(f.find("scalar")->numel() == 1);
  CHECK(f.find("empty")->nbytes == 0);
}

TEST_CASE("serialize refuses duplicate names and sizes that do not match the shape") {
  std::vector<float> a{1, 2};
  CHECK_THROWS_WITH(serialize_safetensors({{"t", DType::F32, {2}, bytes_of(a)}, {"t", DType::F32, {2}, bytes_of(a)}}),
                    Catch::Contains("tensor t: name is used twice"));
  CHECK_THROWS_WITH(serialize_safetensors({{"t", DType::F32, {3}, bytes_of(a)}}),
                    Catch::Contains("tensor t: 8 bytes do not match"));
}

TEST_CASE("dtype names follow the safetensors spelling") {
  CHECK(parse_dtype("BF16") == DType::BF16);
  CHECK(parse_dtype("F8_E4M3") == DType::F8_E4M3);
  CHECK_FALSE(parse_dtype("bf16").has_value());
  CHECK(dtype_size(DType::F64) == 8);
  CHECK(is_mergeable(DType::F16));
  CHECK_FALSE(is_mergeable(DType::I64));
}
