#include "zoo/src/spm_train.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace hallmark::zoo {

void run_spm_train(const std::filesystem::path& dir, const TokenizerSettings& settings) {
  auto log = std::filesystem::absolute(dir / "spm_train.log");
  // Llama's layout: unk 0, bos 1, eos 2, no pad; BPE with split digits and byte fallback.
  std::vector<std::string> args = {
      "spm_train",
      "--input=corpus.txt",
      "--model_prefix=tokenizer",
      "--model_type=bpe",
      "--vocab_size=" + std::to_string(settings.vocab_size),
      "--hard_vocab_limit=false",
      "--character_coverage=1.0",
      "--byte_fallback=true",
      "--split_digits=true",
      "--input_sentence_size=0",
      "--shuffle_input_sentence=false",
      "--num_threads=1",
      "--random_seed=1",
      "--unk_id=0",
      "--bos_id=1",
      "--eos_id=2",
      "--pad_id=-1",
      "--minloglevel=1",
  };
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, "spm_train", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw std::runtime_error(
        "cannot run spm_train (install the Debian package sentencepiece): " +
        std::string(std::strerror(rc)));
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("spm_train failed; its output is in " + log.string());
  }
}

}  // namespace hallmark::zoo
