/* The C interface of libhallmark_spm.so, a thin wrapper around SentencePiece that is loaded
   with dlopen(RTLD_LOCAL | RTLD_DEEPBIND) so that its protobuf never meets libtorch's (see
   fitness/tokenizer.h). Plain C types only; every buffer it returns is freed with
   hm_spm_free_buffer. Functions returning int return 0 on success. */
#ifndef HALLMARK_SPM_H_
#define HALLMARK_SPM_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HM_SPM_ABI_VERSION 1

typedef struct hm_spm hm_spm;

int hm_spm_abi_version(void);
/* NULL on failure, with *error set to a message (free with hm_spm_free_buffer). */
hm_spm* hm_spm_load(const char* model_path, char** error);
void hm_spm_free(hm_spm* spm);
void hm_spm_free_buffer(void* buffer);

int hm_spm_encode(const hm_spm* spm, const char* text, size_t text_len, int64_t** ids,
                  size_t* num_ids, char** error);
int hm_spm_decode(const hm_spm* spm, const int64_t* ids, size_t num_ids, char** text,
                  size_t* text_len, char** error);
/* The piece of an id, NUL-terminated; NULL for an id out of range. */
char* hm_spm_id_to_piece(const hm_spm* spm, int64_t id);

int64_t hm_spm_vocab_size(const hm_spm* spm);
int64_t hm_spm_bos_id(const hm_spm* spm);
int64_t hm_spm_eos_id(const hm_spm* spm);
int64_t hm_spm_pad_id(const hm_spm* spm);
int64_t hm_spm_unk_id(const hm_spm* spm);

#ifdef __cplusplus
}
#endif

#endif
