// Cross-checks against an independent Python reading and writing of the format
// (safetensors_reference.py, struct + json + torch, written from the format description).
#include <catch2/catch.hpp>

#include <ATen/ATen.h>

#include <cstdio>
#include <cstdlib>

#include "checkpoint/aten.h"
#include "checkpoint/checkpoint.h"
#include "tests/support/scratch_dir.h"

using namespace hallmark::checkpoint;
using hallmark::testing::ScratchDir;

namespace {

bool python_has_torch() { return std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") == 0; }

std::string script() { return std::string(HALLMARK_SOURCE_DIR) + "/tests/checkpoint/safetensors_reference.py"; }

}  // namespace

TEST_CASE("files written by the Python reference open with the same values") {
  if (!python_has_torch()) {
    WARN("/usr/bin/python3 lacks torch; skipping the Python cross-check");
    return;
  }
  ScratchDir dir;
  const std::string cmd = "/usr/bin/python3 " + script() + " write " + (dir / "py.safetensors").string();
  REQUIRE(std::system(cmd.c_str()) == 0);
  auto f = SafetensorsFile::open(dir / "py.safetensors");
  CHECK(f.metadata().at("format") == "pt");
  REQUIRE(f.tensors().size() == 3);
  // The reference fills tensor k with arange(numel) * (k + 1) in its dtype.
  CHECK(load_tensor(f, *f.find("emb")).equal(at::arange(12, at::kFloat).reshape({3, 4})));
  CHECK(load_tensor(f, *f.find("norm")).to(at::kFloat).equal(at::arange(5, at::kFloat) * 2));
  CHECK(load_tensor(f, *f.find("proj")).to(at::kFloat).equal((at::arange(6, at::kFloat) * 3).reshape({2, 3})));
}

TEST_CASE("files written here read back in the Python reference") {
  if (!python_has_torch()) {
    WARN("/usr/bin/python3 lacks torch; skipping the Python cross-check");
    return;
  }
  ScratchDir dir;
  at::Tensor a = at::arange(12, at::kFloat).reshape({3, 4});
  at::Tensor b = (at::arange(5, at::kFloat) * 2).to(at::kBFloat16);
  at::Tensor c = (at::arange(6, at::kFloat) * 3).to(at::kHalf).reshape({2, 3});
  hallmark::testing::write_bytes(dir / "cc.safetensors",
                                 serialize_safetensors({view_of("emb", a), view_of("norm", b), view_of("proj", c)},
                                                       {{"format", "pt"}}));
  const std::string cmd = "/usr/bin/python3 " + script() + " check " + (dir / "cc.safetensors").string();
  CHECK(std::system(cmd.c_str()) == 0);
}
