#include "fitness/tokenizer.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <string>
#include <system_error>

#include "common/error.h"
#include "fitness/spm/hallmark_spm.h"

namespace hallmark::fitness {
namespace {

namespace fs = std::filesystem;

constexpr const char* kLibraryName = "libhallmark_spm.so";

// The functions of libhallmark_spm.so, resolved once per process.
struct SpmApi {
  fs::path path;
  decltype(&hm_spm_load) load = nullptr;
  decltype(&hm_spm_free) free = nullptr;
  decltype(&hm_spm_free_buffer) free_buffer = nullptr;
  decltype(&hm_spm_encode) encode = nullptr;
  decltype(&hm_spm_decode) decode = nullptr;
  decltype(&hm_spm_id_to_piece) id_to_piece = nullptr;
  decltype(&hm_spm_vocab_size) vocab_size = nullptr;
  decltype(&hm_spm_bos_id) bos_id = nullptr;
  decltype(&hm_spm_eos_id) eos_id = nullptr;
  decltype(&hm_spm_pad_id) pad_id = nullptr;
  decltype(&hm_spm_unk_id) unk_id = nullptr;
};

fs::path executable_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

std::vector<fs::path> candidate_paths() {
  if (const char* env = std::getenv("HALLMARK_SPM_LIB"); env != nullptr && *env != '\0') {
    return {fs::path(env)};  // an explicit choice is the only one tried
  }
  std::vector<fs::path> paths;
  if (const fs::path dir = executable_dir(); !dir.empty()) {
    paths.push_back(dir / kLibraryName);
    paths.push_back(dir.parent_path() / "lib" / kLibraryName);
  }
#ifdef HALLMARK_SPM_BUILD_PATH
  paths.push_back(fs::path(HALLMARK_SPM_BUILD_PATH));
#endif
  return paths;
}

// RTLD_DEEPBIND keeps the wrapper's protobuf symbols bound inside it. AddressSanitizer refuses
// RTLD_DEEPBIND, so sanitizer builds load the (uninstrumented) wrapper into a link namespace of
// its own instead, where it cannot see libtorch's protobuf at all.
void* open_library(const fs::path& path) {
#if defined(__SANITIZE_ADDRESS__)
  return dlmopen(LM_ID_NEWLM, path.c_str(), RTLD_NOW | RTLD_LOCAL);
#else
  return dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
#endif
}

template <typename F>
void resolve(void* lib, const char* name, F& fn, const fs::path& path) {
  fn = reinterpret_cast<F>(dlsym(lib, name));
  if (fn == nullptr) {
    throw InputError(path.string() + ": SentencePiece wrapper lacks symbol " + name);
  }
}

SpmApi open_api() {
  std::string tried;
  for (const fs::path& path : candidate_paths()) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      tried += (tried.empty() ? "" : ", ") + path.string();
      continue;
    }
    void* lib = open_library(path);
    if (lib == nullptr) {
      throw InputError(path.string() + ": cannot load the SentencePiece wrapper: " + dlerror());
    }
    SpmApi api;
    api.path = path;
    decltype(&hm_spm_abi_version) abi = nullptr;
    resolve(lib, "hm_spm_abi_version", abi, path);
    if (abi() != HM_SPM_ABI_VERSION) {
      throw InputError(path.string() + ": SentencePiece wrapper has ABI version " +
                       std::to_string(abi()) + ", expected " + std::to_string(HM_SPM_ABI_VERSION));
    }
    resolve(lib, "hm_spm_load", api.load, path);
    resolve(lib, "hm_spm_free", api.free, path);
    resolve(lib, "hm_spm_free_buffer", api.free_buffer, path);
    resolve(lib, "hm_spm_encode", api.encode, path);
    resolve(lib, "hm_spm_decode", api.decode, path);
    resolve(lib, "hm_spm_id_to_piece", api.id_to_piece, path);
    resolve(lib, "hm_spm_vocab_size", api.vocab_size, path);
    resolve(lib, "hm_spm_bos_id", api.bos_id, path);
    resolve(lib, "hm_spm_eos_id", api.eos_id, path);
    resolve(lib, "hm_spm_pad_id", api.pad_id, path);
    resolve(lib, "hm_spm_unk_id", api.unk_id, path);
    return api;  // the library stays loaded for the life of the process
  }
  throw InputError(std::string("cannot find ") + kLibraryName + " (tried " + tried +
                   "; set HALLMARK_SPM_LIB)");
}

const SpmApi& api() {
  static std::once_flag once;
  static SpmApi instance;
  static std::string failure;
  std::call_once(once, [] {
    try {
      instance = open_api();
    } catch (const InputError& e) {
      failure = e.what();
    }
  });
  if (!failure.empty()) throw InputError(failure);
  return instance;
}

// Takes ownership of a buffer from the wrapper.
struct Buffer {
  void* data = nullptr;
  ~Buffer() {
    if (data != nullptr) api().free_buffer(data);
  }
};

}  // namespace

struct Tokenizer::Handle {
  hm_spm* spm = nullptr;
  ~Handle() {
    if (spm != nullptr) api().free(spm);
  }
};

Tokenizer Tokenizer::load(const fs::path& model_file) {
  std::error_code ec;
  if (!fs::is_regular_file(model_file, ec)) {
    throw InputError(model_file.string() + ": no tokenizer (SentencePiece tokenizer.model not found)");
  }
  const SpmApi& spm = api();
  char* error = nullptr;
  hm_spm* handle = spm.load(model_file.c_str(), &error);
  if (handle == nullptr) {
    Buffer owned{error};
    throw InputError(model_file.string() + ": not a SentencePiece model: " +
                     (error != nullptr ? error : "unknown error"));
  }
  Tokenizer tokenizer;
  tokenizer.handle_ = std::make_shared<Handle>();
  tokenizer.handle_->spm = handle;
  tokenizer.path_ = model_file;
  return tokenizer;
}

std::vector<int64_t> Tokenizer::encode(std::string_view text, bool add_bos) const {
  char* error = nullptr;
  int64_t* ids = nullptr;
  size_t n = 0;
  if (api().encode(handle_->spm, text.data(), text.size(), &ids, &n, &error) != 0) {
    Buffer owned{error};
    throw InputError(path_.string() + ": cannot encode text: " + (error ? error : ""));
  }
  Buffer owned{ids};
  std::vector<int64_t> out;
  out.reserve(n + 1);
  if (add_bos && bos_id() >= 0) out.push_back(bos_id());
  out.insert(out.end(), ids, ids + n);
  return out;
}

std::string Tokenizer::decode(std::span<const int64_t> ids) const {
  char* error = nullptr;
  char* text = nullptr;
  size_t len = 0;
  if (api().decode(handle_->spm, ids.data(), ids.size(), &text, &len, &error) != 0) {
    Buffer owned{error};
    throw InputError(path_.string() + ": cannot decode ids: " + (error ? error : ""));
  }
  Buffer owned{text};
  return std::string(text, len);
}

std::string Tokenizer::id_to_piece(int64_t id) const {
  char* piece = api().id_to_piece(handle_->spm, id);
  if (piece == nullptr) {
    throw InputError(path_.string() + ": token id " + std::to_string(id) + " out of range");
  }
  Buffer owned{piece};
  return std::string(piece);
}

int64_t Tokenizer::vocab_size() const { return api().vocab_size(handle_->spm); }
int64_t Tokenizer::bos_id() const { return api().bos_id(handle_->spm); }
int64_t Tokenizer::eos_id() const { return api().eos_id(handle_->spm); }
int64_t Tokenizer::pad_id() const { return api().pad_id(handle_->spm); }
int64_t Tokenizer::unk_id() const { return api().unk_id(handle_->spm); }

fs::path Tokenizer::library_path() { return api().path; }

}  // namespace hallmark::fitness
