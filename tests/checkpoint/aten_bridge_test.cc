#include <catch2/catch.hpp>

#include <ATen/ATen.h>

#include "checkpoint/aten.h"
#include "checkpoint/writer.h"
#include "common/files.h"
#include "tests/support/scratch_dir.h"

using namespace hallmark::checkpoint;
using hallmark::testing::ScratchDir;

TEST_CASE("tensors load zero-copy from the mapping and writes never reach the file") {
  ScratchDir dir;
  at::Tensor w = at::arange(12, at::kFloat).reshape({3, 4});
  at::Tensor h = at::arange(5, at::kFloat).to(at::kBFloat16);
  hallmark::testing::write_bytes(dir / "m.safetensors", serialize_safetensors({view_of("w", w), view_of("h", h)}));
  const std::string before = hallmark::read_file(dir / "m.safetensors");

  auto file = SafetensorsFile::open(dir / "m.safetensors");
  at::Tensor loaded = load_tensor(file, *file.find("w"));
  CHECK(loaded.equal(w));
  CHECK(loaded.data_ptr() == static_cast<const void*>(file.data(*file.find("w")).data()));
  CHECK(load_tensor(file, *file.find("h")).scalar_type() == at::kBFloat16);
  CHECK(load_tensor(file, *file.find("h")).to(at::kFloat).equal(at::arange(5, at::kFloat)));

  loaded.mul_(100);
  CHECK(hallmark::read_file(dir / "m.safetensors") == before);
}

TEST_CASE("a loaded tensor keeps its file mapped after the file object is gone") {
  ScratchDir dir;
  at::Tensor w = at::randn({64});
  hallmark::testing::write_bytes(dir / "m.safetensors", serialize_safetensors({view_of("w", w)}));
  at::Tensor loaded;
  {
    auto file = SafetensorsFile::open(dir / "m.safetensors");
    loaded = load_tensor(file, *file.find("w"));
  }
  CHECK(loaded.equal(w));
}

TEST_CASE("dtypes map both ways and unsupported ones are named") {
  for (auto t : {DType::F32, DType::F16, DType::BF16, DType::I64, DType::U8, DType::BOOL})
    CHECK(from_scalar_type(to_scalar_type(t)) == t);
  CHECK_THROWS_WITH(to_scalar_type(DType::U32), Catch::Contains("dtype U32 has no ATen equivalent"));
  CHECK_THROWS_WITH(view_of("t", at::ones({2, 2}).t()), Catch::Contains("tensor t: must be a contiguous CPU tensor"));
}
