#include "merge/child_writer.h"

#include <ATen/ATen.h>

#include "checkpoint/aten.h"
#include "checkpoint/writer.h"
#include "common/atomic_output.h"
#include "common/error.h"
#include "merge/src/executor.h"
#include "merge/src/model_card.h"
#include "merge/src/plan.h"

namespace hallmark::merge {
namespace {

namespace fs = std::filesystem;

const char* const kTokenizerFiles[] = {"tokenizer.model", "tokenizer.json", "tokenizer_config.json",
                                       "special_tokens_map.json", "added_tokens.json"};

std::string torch_dtype_name(checkpoint::DType dtype) {
  switch (dtype) {
    case checkpoint::DType::F16: return "float16";
    case checkpoint::DType::BF16: return "bfloat16";
    default: return "float32";
  }
}

void copy_if_present(const fs::path& from_dir, const fs::path& to_dir, const char* name) {
  std::error_code ec;
  if (fs::is_regular_file(from_dir / name, ec)) fs::copy_file(from_dir / name, to_dir / name);
}

}  // namespace

Attribution merge_to_directory(const Recipe& recipe, const fs::path& out,
                               const WriteChildOptions& options) {
  AtomicDir dir(out, options.overwrite);
  const Parents parents = Parents::open_for(recipe, ParentOptions{options.device, false});
  const MergePlan plan = plan_merge(recipe, parents);
  const fs::path tokenizer_dir =
      recipe.tokenizer_source && *recipe.tokenizer_source != "base"
          ? checkpoint::resolve_model(recipe.locate(*recipe.tokenizer_source))
          : parents.checkpoint(plan.reference).dir();

  std::vector<checkpoint::TensorSpec> specs;
  for (const auto& job : plan.jobs) specs.push_back({job.name, job.dtype, job.shape});
  checkpoint::ShardedWriter writer(dir.path(), specs);
  Executor executor(plan, parents, options.merge, /*reuse_output=*/true);
  for (const auto& job : plan.jobs) {
    const at::Tensor tensor = executor.run(job).to(at::kCPU).contiguous();
    const auto view = checkpoint::view_of(job.name, tensor);
    writer.write(job.name, view.bytes);
  }
  writer.finish();

  nlohmann::json config = plan.config;
  for (const auto& job : plan.jobs)
    if (!job.copy_only && config.is_object()) {
      config["torch_dtype"] = torch_dtype_name(job.dtype);
      break;
    }
  write_file_atomic(dir.path() / "config.json", config.dump(2) + "\n");
  const fs::path reference_dir = parents.checkpoint(plan.reference).dir();
  copy_if_present(reference_dir, dir.path(), "generation_config.json");
  for (const char* name : kTokenizerFiles) copy_if_present(tokenizer_dir, dir.path(), name);

  const Attribution attribution = executor.attribution();
  write_file_atomic(dir.path() / "README.md",
                    model_card(recipe, attribution, options.merge.seed, out.filename().string()));
  dir.commit();
  return attribution;
}

}  // namespace hallmark::merge
