// Task files: YAML settings pointing at JSONL items, or a bare JSONL file.
#include "fitness/task.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "common/error.h"
#include "fitness/scorer.h"
#include "fitness/src/task_item_parse.h"

namespace hallmark::fitness {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

[[noreturn]] void fail(const fs::path& file, const std::string& reason) {
  throw InputError(file.string() + ": " + reason);
}

// Plain YAML scalars that read as integers become JSON integers; everything else strings.
json to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& child : node) out.push_back(to_json(child));
      return out;
    }
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& kv : node) out[kv.first.as<std::string>()] = to_json(kv.second);
      return out;
    }
    case YAML::NodeType::Scalar: {
      if (node.Tag() != "!") {
        int64_t value = 0;
        if (YAML::convert<int64_t>::decode(node, value)) return value;
      }
      return node.as<std::string>();
    }
    default:
      return nullptr;
  }
}

std::string get_string(const YAML::Node& node, const fs::path& file, const std::string& key) {
  if (!node.IsScalar()) fail(file, key + " must be a string");
  return node.as<std::string>();
}

int64_t get_positive(const YAML::Node& node, const fs::path& file, const std::string& key) {
  int64_t value = 0;
  if (!node.IsScalar() || !YAML::convert<int64_t>::decode(node, value) || value < 0) {
    fail(file, key + " must be a non-negative integer");
  }
  return value;
}

bool get_bool(const YAML::Node& node, const fs::path& file, const std::string& key) {
  bool value = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) fail(file, key + " must be true or false");
  return value;
}

std::vector<std::string> get_strings(const YAML::Node& node, const fs::path& file, const std::string& key) {
  if (node.IsScalar()) return {node.as<std::string>()};
  if (!node.IsSequence()) fail(file, key + " must be a string or a list of strings");
  std::vector<std::string> out;
  for (const auto& item : node) out.push_back(get_string(item, file, key));
  return out;
}

// Every item must suit the scorer: choices for log-likelihood scorers, answers otherwise.
void check_items(const Task& task, const Scorer& scorer) {
  for (const auto* list : {&task.fewshot, &task.items}) {
    for (const TaskItem& item : *list) {
      const bool has_choices = !item.choices.empty();
      if (scorer.uses_loglikelihood() != has_choices) {
        fail(task.data.empty() ? task.source : task.data,
             "line " + std::to_string(item.line) + ": scorer " + task.scorer + " needs " +
                 (scorer.uses_loglikelihood() ? "choices and gold" : "an answer"));
      }
    }
  }
}

Task load_yaml(const fs::path& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path.string());
  } catch (const YAML::BadFile&) {
    fail(path, "cannot read the task file");
  } catch (const YAML::Exception& e) {
    fail(path, std::string("malformed YAML: ") + e.what());
  }
  if (!root.IsMap()) fail(path, "a task file must be a YAML mapping");
  static const std::set<std::string> known = {
      "task", "data", "scorer", "regex", "regex_select", "ignore_case", "ignore_punctuation", "stop",
      "max_new_tokens", "description", "target_delimiter", "fewshot_delimiter", "fewshot", "fewshot_data",
      "num_fewshot"};
  Task task;
  task.source = path;
  task.name = path.stem().string();
  std::optional<int64_t> num_fewshot;
  std::vector<TaskItem> fewshot_file;
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>();
    const YAML::Node& v = kv.second;
    if (!known.count(key)) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      fail(path, "unknown key '" + key + "' (known: " + list + ")");
    }
    if (key == "task") task.name = get_string(v, path, key);
    if (key == "data") task.data = path.parent_path() / get_string(v, path, key);
    if (key == "scorer") task.scorer = get_string(v, path, key);
    if (key == "regex") task.scorer_settings.regex = get_string(v, path, key);
    if (key == "regex_select") task.scorer_settings.regex_select = get_string(v, path, key);
    if (key == "ignore_case") task.scorer_settings.ignore_case = get_bool(v, path, key);
    if (key == "ignore_punctuation") task.scorer_settings.ignore_punctuation = get_bool(v, path, key);
    if (key == "stop") task.stop = get_strings(v, path, key);
    if (key == "max_new_tokens") task.max_new_tokens = get_positive(v, path, key);
    if (key == "description") task.description = get_string(v, path, key);
    if (key == "target_delimiter") task.target_delimiter = get_string(v, path, key);
    if (key == "fewshot_delimiter") task.fewshot_delimiter = get_string(v, path, key);
    if (key == "num_fewshot") num_fewshot = get_positive(v, path, key);
    if (key == "fewshot_data") fewshot_file = read_task_items(path.parent_path() / get_string(v, path, key));
    if (key == "fewshot") {
      if (!v.IsSequence()) fail(path, "fewshot must be a list of items");
      int64_t index = 0;
      for (const auto& item : v) {
        ++index;
        task.fewshot.push_back(parse_task_item(to_json(item), path.string() + ": fewshot " + std::to_string(index), index));
      }
    }
  }
  if (task.data.empty()) fail(path, "missing data (the JSONL file of items)");
  if (task.max_new_tokens < 1) fail(path, "max_new_tokens must be at least 1");
  task.items = read_task_items(task.data);
  task.fewshot.insert(task.fewshot.end(), fewshot_file.begin(), fewshot_file.end());
  if (num_fewshot) {
    if (*num_fewshot > static_cast<int64_t>(task.fewshot.size())) {
      fail(path, "num_fewshot " + std::to_string(*num_fewshot) + " but only " +
                     std::to_string(task.fewshot.size()) + " few-shot examples");
    }
    task.fewshot.resize(static_cast<size_t>(*num_fewshot));
  }
  return task;
}

}  // namespace

std::string Task::build_prompt(const TaskItem& item) const {
  std::string prompt = description;
  for (const TaskItem& example : fewshot) {
    prompt += example.prompt + target_delimiter + example.target() + fewshot_delimiter;
  }
  return prompt + item.prompt;
}

Task load_task(const fs::path& path) {
  const std::string ext = path.extension().string();
  Task task;
  if (ext == ".yaml" || ext == ".yml") {
    task = load_yaml(path);
  } else if (ext == ".jsonl") {
    task.source = path;
    task.data = path;
    task.name = path.stem().string();
    task.items = read_task_items(path);
  } else {
    fail(path, "a task is a .yaml/.yml task file or a .jsonl file of items");
  }
  if (task.items.empty()) fail(task.data, "no items");
  if (task.scorer.empty()) task.scorer = task.items.front().choices.empty() ? "exact_match" : "multiple_choice";
  std::unique_ptr<Scorer> scorer;
  try {
    scorer = make_scorer(task.scorer, task.scorer_settings);
  } catch (const InputError& e) {
    fail(task.source, e.what());
  }
  check_items(task, *scorer);
  return task;
}

}  // namespace hallmark::fitness
