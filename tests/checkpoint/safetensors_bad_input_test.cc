#include <catch2/catch.hpp>

#include "checkpoint/safetensors.h"
#include "common/error.h"
#include "tests/support/scratch_dir.h"

using namespace hallmark::checkpoint;
using hallmark::testing::ScratchDir;

namespace {

std::string le64(uint64_t n) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  return out;
}

std::string with_header(const std::string& header, size_t data_bytes) {
  return le64(header.size()) + header + std::string(data_bytes, '\x01');
}

// Opens `bytes` as a safetensors file and returns the error message ("" when it opened).
std::string open_error(const std::string& bytes) {
  ScratchDir dir;
  hallmark::testing::write_bytes(dir / "bad.safetensors", bytes);
  try {
    SafetensorsFile::open(dir / "bad.safetensors");
  } catch (const hallmark::InputError& e) {
    std::string msg = e.what();
    CHECK(msg.find("bad.safetensors: ") != std::string::npos);  // names the file
    return msg;
  }
  return "";
}

}  // namespace

TEST_CASE("a well-formed file opens") {
  CHECK(open_error(with_header(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 8)).empty());
}

TEST_CASE("truncated files are rejected") {
  CHECK_THAT(open_error("abc"), Catch::Contains("truncated: shorter than the 8-byte header length"));
  CHECK_THAT(open_error(le64(1000) + "{}"), Catch::Contains("truncated: header length 1000 runs past the end"));
  CHECK_THAT(open_error(with_header(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", 8)),
             Catch::Contains("truncated: tensor a ends at byte"));
}

TEST_CASE("a header length over 100 MB is rejected before reading it") {
  CHECK_THAT(open_error(le64(200'000'000) + "{}"), Catch::Contains("exceeds the 100 MB limit"));
}

TEST_CASE("a header that is not JSON is rejected") {
  CHECK_THAT(open_error(with_header("{not json", 0)), Catch::Contains("header is not valid JSON"));
  CHECK_THAT(open_error(with_header("[1, 2]", 0)), Catch::Contains("header is not a JSON object"));
}

TEST_CASE("unknown dtypes are rejected") {
  CHECK_THAT(open_error(with_header(R"({"a":{"dtype":"F12","shape":[1],"data_offsets":[0,2]}})", 2)),
             Catch::Contains("tensor a: unknown dtype 'F12'"));
}

TEST_CASE("offsets out of range, overlapping or with gaps are rejected") {
  CHECK_THAT(open_error(with_header(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                                    R"("b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}})", 8)),
             Catch::Contains("data_offsets overlap tensor a"));
  CHECK_THAT(open_error(with_header(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", 8)),
             Catch::Contains("tensor a: gap before its data_offsets"));
  CHECK_THAT(open_error(with_header(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}})", 8)),
             Catch::Contains("tensor a: data_offsets end before begin"));
  CHECK_THAT(open_error(with_header(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,-4]}})", 8)),
             Catch::Contains("tensor a: data_offsets must be two non-negative integers"));
  CHECK_THAT(open_error(with_header(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 12)),
             Catch::Contains("8 trailing bytes after the last tensor"));
}

TEST_CASE("a byte size that does not match dtype x shape is rejected") {
  CHECK_THAT(open_error(with_header(R"({"a":{"dtype":"BF16","shape":[3],"data_offsets":[0,4]}})", 4)),
             Catch::Contains("tensor a: holds 4 bytes but BF16 x shape needs 6"));
  CHECK_THAT(open_error(with_header(
                 R"({"a":{"dtype":"F64","shape":[4294967296,4294967296,16],"data_offsets":[0,8]}})", 8)),
             Catch::Contains("tensor a: shape too large"));
}

TEST_CASE("names must be unique and entries well-formed") {
  CHECK_THAT(open_error(with_header(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                                    R"("a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", 8)),
             Catch::Contains("tensor a is listed twice"));
  CHECK_THAT(open_error(with_header(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}})", 4)),
             Catch::Contains("tensor a: unknown header field 'x'"));
  CHECK_THAT(open_error(with_header(R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", 4)),
             Catch::Contains("tensor a: shape must hold non-negative integers"));
  CHECK_THAT(open_error(with_header(R"({"__metadata__":{"k":1}})", 0)),
             Catch::Contains("__metadata__ value for 'k' is not a string"));
}

TEST_CASE("a missing file is reported with its path") {
  CHECK_THROWS_WITH(SafetensorsFile::open("/nonexistent/x.safetensors"),
                    Catch::Contains("/nonexistent/x.safetensors: cannot open"));
}
