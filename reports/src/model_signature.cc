#include "reports/model_signature.h"

#include <fstream>
#include <sstream>

#include "common/error.h"
#include "provenance/manifest.h"
#include "reports/dsse.h"
#include "reports/src/ec_public_key.h"
#include "reports/src/in_toto_statement.h"
#include "reports/src/sigstore_bundle.h"

namespace hallmark::reports {
namespace fs = std::filesystem;
namespace {

provenance::SignatureCheck failed(std::string detail) {
  provenance::SignatureCheck c;
  c.status = provenance::SignatureStatus::kFailed;
  c.detail = std::move(detail);
  return c;
}

std::string read_signature(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot read the signature file");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The signature file relative to the model directory, or empty when it lies outside.
std::string relative_inside(const fs::path& file, const fs::path& dir) {
  fs::path rel = fs::absolute(file).lexically_normal().lexically_relative(
      fs::absolute(dir).lexically_normal());
  if (rel.empty() || *rel.begin() == "..") return {};
  return rel.generic_string();
}

// verify_manifest's messages start with the directory, which the audit already names.
std::string without_dir_prefix(const std::string& message, const fs::path& dir) {
  const std::string prefix = dir.string() + ": ";
  return message.compare(0, prefix.size(), prefix) == 0 ? message.substr(prefix.size()) : message;
}

}  // namespace

provenance::SignatureCheck verify_model_signature(const fs::path& model_dir,
                                                  const fs::path& signature_file,
                                                  const fs::path& public_key_pem) {
  const detail::EcPublicKey key = detail::EcPublicKey::load(public_key_pem);
  const std::string text = read_signature(signature_file);
  const std::string inside = relative_inside(signature_file, model_dir);
  const std::string source = inside.empty() ? signature_file.string() : inside;

  detail::SigstoreBundle bundle;
  try {
    bundle = detail::parse_bundle(text, source);
  } catch (const InputError& e) {
    return failed(e.what());
  }
  if (!bundle.key_hint.empty() && bundle.key_hint != key.hint())
    return failed(source + " names signing key " + bundle.key_hint + ", not " +
                  public_key_pem.filename().string() + " (" + key.hint() + ")");
  auto check = [&key](std::string_view message, std::string_view sig) {
    return key.verify(message, sig);
  };
  if (!verify_envelope(bundle.envelope, check))
    return failed(source + ": no DSSE signature verifies with " +
                  public_key_pem.filename().string() + " (" + key.curve() + ")");
  if (bundle.envelope.payload_type != kInTotoPayloadType)
    return failed(source + ": payloadType \"" + bundle.envelope.payload_type + "\" is not " +
                  std::string(kInTotoPayloadType));

  detail::ModelSigningStatement statement;
  provenance::Manifest signed_manifest;
  try {
    statement = detail::parse_statement(bundle.envelope.payload, source);
    signed_manifest = provenance::manifest_from_predicate(statement.predicate);
  } catch (const InputError& e) {
    return failed(source + ": " + e.what());
  }
  if (signed_manifest.root_digest != statement.root_digest)
    return failed(source + ": the signed resources hash to " + signed_manifest.root_digest +
                  " but the subject's root digest is " + statement.root_digest);

  if (!inside.empty()) signed_manifest.ignore_paths.push_back(inside);
  try {
    provenance::verify_manifest(model_dir, signed_manifest);
  } catch (const CheckFailed& e) {
    return failed(without_dir_prefix(e.what(), model_dir));
  }

  provenance::SignatureCheck c;
  c.status = provenance::SignatureStatus::kVerified;
  c.key_hint = key.hint();
  c.root_digest = statement.root_digest;
  c.detail = source + " verified with " + public_key_pem.filename().string() + " (" + key.curve() +
             "); " + std::to_string(signed_manifest.files.size()) +
             " files match the signed manifest";
  return c;
}

provenance::SignatureVerifier signature_verifier() {
  return [](const fs::path& model_dir, const fs::path& signature_file, const fs::path& key) {
    return verify_model_signature(model_dir, signature_file, key);
  };
}

}  // namespace hallmark::reports
