// The SentencePiece wrapper behind hallmark_spm.h. It is the only code that includes
// SentencePiece; nothing from libtorch is linked into it.
#include "fitness/spm/hallmark_spm.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include <sentencepiece_processor.h>

struct hm_spm {
  sentencepiece::SentencePieceProcessor processor;
};

namespace {

char* copy_string(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out == nullptr) return nullptr;
  std::memcpy(out, s.data(), s.size());
  out[s.size()] = '\0';
  return out;
}

void set_error(char** error, const std::string& message) {
  if (error != nullptr) *error = copy_string(message);
}

}  // namespace

extern "C" {

int hm_spm_abi_version(void) { return HM_SPM_ABI_VERSION; }

hm_spm* hm_spm_load(const char* model_path, char** error) {
  auto spm = std::unique_ptr<hm_spm>(new (std::nothrow) hm_spm);
  if (!spm) {
    set_error(error, "out of memory");
    return nullptr;
  }
  const auto status = spm->processor.Load(model_path);
  if (!status.ok()) {
    set_error(error, status.ToString());
    return nullptr;
  }
  return spm.release();
}

void hm_spm_free(hm_spm* spm) { delete spm; }

void hm_spm_free_buffer(void* buffer) { std::free(buffer); }

int hm_spm_encode(const hm_spm* spm, const char* text, size_t text_len, int64_t** ids,
                  size_t* num_ids, char** error) {
  std::vector<int> pieces;
  const auto status = spm->processor.Encode(std::string_view(text, text_len), &pieces);
  if (!status.ok()) {
    set_error(error, status.ToString());
    return 1;
  }
  *num_ids = pieces.size();
  *ids = static_cast<int64_t*>(std::malloc(sizeof(int64_t) * (pieces.empty() ? 1 : pieces.size())));
  if (*ids == nullptr) {
    set_error(error, "out of memory");
    return 1;
  }
  for (size_t i = 0; i < pieces.size(); ++i) (*ids)[i] = pieces[i];
  return 0;
}

int hm_spm_decode(const hm_spm* spm, const int64_t* ids, size_t num_ids, char** text,
                  size_t* text_len, char** error) {
  const int size = spm->processor.GetPieceSize();
  std::vector<int> pieces(num_ids);
  for (size_t i = 0; i < num_ids; ++i) {
    if (ids[i] < 0 || ids[i] >= size) {
      set_error(error, "token id " + std::to_string(ids[i]) + " out of range [0, " +
                           std::to_string(size) + ")");
      return 1;
    }
    pieces[i] = static_cast<int>(ids[i]);
  }
  std::string out;
  const auto status = spm->processor.Decode(pieces, &out);
  if (!status.ok()) {
    set_error(error, status.ToString());
    return 1;
  }
  *text = copy_string(out);
  *text_len = out.size();
  if (*text == nullptr) {
    set_error(error, "out of memory");
    return 1;
  }
  return 0;
}

char* hm_spm_id_to_piece(const hm_spm* spm, int64_t id) {
  if (id < 0 || id >= spm->processor.GetPieceSize()) return nullptr;
  return copy_string(spm->processor.IdToPiece(static_cast<int>(id)));
}

int64_t hm_spm_vocab_size(const hm_spm* spm) { return spm->processor.GetPieceSize(); }
int64_t hm_spm_bos_id(const hm_spm* spm) { return spm->processor.bos_id(); }
int64_t hm_spm_eos_id(const hm_spm* spm) { return spm->processor.eos_id(); }
int64_t hm_spm_pad_id(const hm_spm* spm) { return spm->processor.pad_id(); }
int64_t hm_spm_unk_id(const hm_spm* spm) { return spm->processor.unk_id(); }

}  // extern "C"
