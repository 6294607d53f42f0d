#include "merge/src/model_card.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "common/version.h"

namespace hallmark::merge {
namespace {

// A YAML double-quoted scalar (JSON strings are valid YAML).
std::string quoted(const std::string& s) { return nlohmann::json(s).dump(); }

std::string percent(double share) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", share * 100.0);
  return buffer;
}

}  // namespace

std::string model_card(const Recipe& recipe, const Attribution& attribution, uint64_t seed,
                       const std::string& title) {
  std::string card = "---\nbase_model:\n";
  for (const auto& p : attribution.parents) card += "- " + quoted(p.model) + "\n";
  card += "base_model_relation: merge\ntags:\n- merge\n- hallmark\n- " +
          quoted(recipe.merge_method) + "\n---\n\n";
  card += "# " + title + "\n\n";
  card += "This model is a merge of pre-trained language models made with hallmark " + version() +
          " (`hallmark merge`), merge method `" + recipe.merge_method + "`, seed " +
          std::to_string(seed) + ".\n\n";
  card += "## Parents\n\n| model | role | tensors it contributes to | share of the change |\n"
          "| --- | --- | --- | --- |\n";
  for (const auto& p : attribution.parents)
    card += "| " + p.model + " | " + (p.is_base ? "base" : "merged") + " | " +
            std::to_string(p.tensors) + " | " + (p.is_base ? "-" : percent(p.share)) + " |\n";
  card += "\n## Recipe\n\nReproduce with `hallmark merge recipe.yaml --out DIR --seed " +
          std::to_string(seed) + "`:\n\n```yaml\n" + recipe.text;
  if (!recipe.text.empty() && recipe.text.back() != '\n') card += "\n";
  card += "```\n";
  return card;
}

}  // namespace hallmark::merge
