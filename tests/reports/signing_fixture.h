// Test fixture: a scratch model directory with an EC key pair made by the openssl command line,
// signed by the independent Python signer (sign_model.py).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace hallmark::reports::test {

// Runs a shell command and returns its standard output; fails the test on a non-zero exit.
std::string run(const std::string& command);
// Runs a shell command and returns its exit status.
int run_status(const std::string& command);
std::string shell_quote(const std::string& text);
void write(const std::filesystem::path& path, std::string_view bytes);
std::string read(const std::filesystem::path& path);

class SignedModel {
 public:
  // curve: an openssl curve name, e.g. prime256v1, secp384r1, secp521r1.
  explicit SignedModel(const std::string& curve = "prime256v1");
  ~SignedModel();
  SignedModel(const SignedModel&) = delete;
  SignedModel& operator=(const SignedModel&) = delete;

  // Signs the model directory (writes model/model.sig) and returns the signer's root digest.
  // `signer_args` go to sign_model.py, e.g. "--digest sha384" or "--urlsafe".
  std::string sign(const std::string& signer_args = "");
  // A further key pair in the scratch directory; returns the public key path.
  std::filesystem::path make_key(const std::string& name, const std::string& curve,
                                 std::filesystem::path* private_key = nullptr) const;

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path model() const { return root_ / "model"; }
  std::filesystem::path signature() const { return model() / "model.sig"; }
  const std::filesystem::path& private_key() const { return private_key_; }
  const std::filesystem::path& public_key() const { return public_key_; }

 private:
  std::filesystem::path root_;
  std::filesystem::path private_key_;
  std::filesystem::path public_key_;
};

}  // namespace hallmark::reports::test
