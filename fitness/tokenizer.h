// A SentencePiece tokenizer (tokenizer.model) with ids identical to the reference
// implementation.
//
// Debian's libtorch and libsentencepiece both export protobuf symbols and crash when linked
// into one process, so SentencePiece lives in a separate shared library with a C interface
// (libhallmark_spm.so, built from fitness/spm/) that is loaded with
// dlopen(RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND) on first use. It is looked up at, in order:
// $HALLMARK_SPM_LIB; libhallmark_spm.so beside the running executable; ../lib/ from it; the
// build tree it was compiled in. Executables that load it must be compiled with -fPIC.
// (Sanitizer builds, where ASan refuses RTLD_DEEPBIND, use dlmopen into a namespace of its own.)
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hallmark::fitness {

class Tokenizer {
 public:
  // Throws InputError("PATH: no tokenizer ...") when the file is missing or SentencePiece
  // cannot read it, and InputError naming the wrapper library when it cannot be loaded.
  static Tokenizer load(const std::filesystem::path& model_file);

  // Token ids of `text`, with the BOS id first when add_bos and the model has one.
  std::vector<int64_t> encode(std::string_view text, bool add_bos = false) const;
  // Text of the ids; BOS/EOS/PAD (control) ids decode to nothing, as in SentencePiece.
  std::string decode(std::span<const int64_t> ids) const;
  std::string id_to_piece(int64_t id) const;

  int64_t vocab_size() const;
  // -1 when the model has no such token.
  int64_t bos_id() const;
  int64_t eos_id() const;
  int64_t pad_id() const;
  int64_t unk_id() const;

  const std::filesystem::path& path() const { return path_; }
  // The wrapper library in use (for diagnostics).
  static std::filesystem::path library_path();

 private:
  struct Handle;
  Tokenizer() = default;  // only load() makes one
  std::shared_ptr<Handle> handle_;
  std::filesystem::path path_;
};

}  // namespace hallmark::fitness
