#include <map>
#include <mutex>
#include <stdexcept>

#include "common/error.h"
#include "fitness/scorer.h"
#include "fitness/src/builtin_scorers.h"

namespace hallmark::fitness {
namespace {

using Registry = std::map<std::string, ScorerFactory, std::less<>>;

Registry& registry() {
  static Registry scorers = [] {
    Registry builtin;
    for (auto group : {text_scorers(), multiple_choice_scorers()}) {
      for (auto& [name, factory] : group) builtin.emplace(name, std::move(factory));
    }
    return builtin;
  }();
  return scorers;
}

std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace

ItemScore Scorer::score_output(const TaskItem&, std::string_view) const {
  throw std::logic_error("this scorer ranks choices by log-likelihood; it does not score text");
}

ItemScore Scorer::score_choices(const TaskItem&, const std::vector<ContinuationScore>&) const {
  throw std::logic_error("this scorer scores generated text; it does not rank choices");
}

bool register_scorer(std::string name, ScorerFactory factory) {
  std::lock_guard lock(registry_mutex());
  if (!registry().emplace(name, std::move(factory)).second) {
    throw std::logic_error("scorer " + name + " registered twice");
  }
  return true;
}

std::vector<std::string> scorer_names() {
  std::lock_guard lock(registry_mutex());
  std::vector<std::string> names;
  for (const auto& [name, factory] : registry()) names.push_back(name);
  return names;
}

std::unique_ptr<Scorer> make_scorer(std::string_view name, const ScorerSettings& settings) {
  ScorerFactory factory;
  {
    std::lock_guard lock(registry_mutex());
    auto it = registry().find(name);
    if (it != registry().end()) factory = it->second;
  }
  if (!factory) {
    std::string known;
    for (const auto& n : scorer_names()) known += (known.empty() ? "" : ", ") + n;
    throw InputError("unknown scorer '" + std::string(name) + "' (known: " + known + ")");
  }
  return factory(settings);
}

}  // namespace hallmark::fitness
