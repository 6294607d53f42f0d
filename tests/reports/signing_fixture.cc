#include "tests/reports/signing_fixture.h"

#include <atomic>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

namespace hallmark::reports::test {
namespace fs = std::filesystem;

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string run(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  int status = pclose(pipe);
  INFO(command);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  return out;
}

int run_status(const std::string& command) {
  int status = std::system(command.c_str());
  REQUIRE(WIFEXITED(status));
  return WEXITSTATUS(status);
}

void write(const fs::path& path, std::string_view bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

SignedModel::SignedModel(const std::string& curve) {
  static std::atomic<int> counter{0};
  std::random_device rd;
  root_ = fs::temp_directory_path() / ("hallmark-reports-" + std::to_string(getpid()) + "-" +
                                       std::to_string(counter++) + "-" + std::to_string(rd()));
  fs::create_directories(model() / "tokenizer");
  write(model() / "config.json", "{\"hidden_size\": 8}\n");
  write(model() / "model.safetensors", std::string(4096, '\x2a') + "weights");
  write(model() / "tokenizer" / "tokenizer.json", "{\"vocab\": {}}\n");
  write(model() / ".gitattributes", "*.safetensors filter=lfs\n");
  public_key_ = make_key("key", curve, &private_key_);
}

SignedModel::~SignedModel() {
  std::error_code ec;
  fs::remove_all(root_, ec);
}

fs::path SignedModel::make_key(const std::string& name, const std::string& curve,
                               fs::path* private_key) const {
  fs::path priv = root_ / (name + ".pem");
  fs::path pub = root_ / (name + ".pub.pem");
  run("openssl ecparam -genkey -noout -name " + curve + " -out " + shell_quote(priv.string()));
  run("openssl ec -in " + shell_quote(priv.string()) + " -pubout -out " +
      shell_quote(pub.string()) + " 2>/dev/null");
  if (private_key) *private_key = priv;
  return pub;
}

std::string SignedModel::sign(const std::string& signer_args) {
  std::string out = run("/usr/bin/python3 " + shell_quote(HALLMARK_SOURCE_DIR "/tests/reports/sign_model.py") +
                        " " + shell_quote(model().string()) + " " +
                        shell_quote(private_key_.string()) + " " + signer_args);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace hallmark::reports::test
