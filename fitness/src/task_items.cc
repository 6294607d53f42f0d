// The JSONL item format of tasks.
#include <nlohmann/json.hpp>

#include <string>

#include "common/error.h"
#include "common/files.h"
#include "fitness/task.h"
#include "fitness/src/task_item_parse.h"

namespace hallmark::fitness {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& where, const std::string& reason) { throw InputError(where + ": " + reason); }

std::vector<std::string> string_list(const json& value, const std::string& where, const char* key) {
  std::vector<std::string> out;
  if (value.is_string()) return {value.get<std::string>()};
  if (!value.is_array() || value.empty()) fail(where, std::string(key) + " must be a string or a non-empty list of strings");
  for (const auto& v : value) {
    if (!v.is_string()) fail(where, std::string(key) + " must hold strings only");
    out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace

const std::string& TaskItem::target() const {
  if (!choices.empty() && gold >= 0 && gold < static_cast<int64_t>(choices.size())) return choices[gold];
  static const std::string none;
  return answers.empty() ? none : answers.front();
}

TaskItem parse_task_item(const json& j, const std::string& where, int64_t line) {
  if (!j.is_object()) fail(where, "an item must be a JSON object");
  TaskItem item;
  item.line = line;
  item.id = std::to_string(line);
  for (const auto& [key, value] : j.items()) {
    if (key == "prompt") {
      if (!value.is_string()) fail(where, "prompt must be a string");
      item.prompt = value.get<std::string>();
    } else if (key == "answer") {
      item.answers = string_list(value, where, "answer");
    } else if (key == "choices") {
      if (!value.is_array() || value.size() < 2) fail(where, "choices must be a list of at least two strings");
      item.choices = string_list(value, where, "choices");
    } else if (key == "gold") {
      if (!value.is_number_integer()) fail(where, "gold must be an integer index into choices");
      item.gold = value.get<int64_t>();
    } else if (key == "id") {
      if (!value.is_string() && !value.is_number_integer()) fail(where, "id must be a string or an integer");
      item.id = value.is_string() ? value.get<std::string>() : std::to_string(value.get<int64_t>());
    } else {
      fail(where, "unknown key '" + key + "' (known: prompt, answer, choices, gold, id)");
    }
  }
  if (!j.contains("prompt")) fail(where, "missing prompt");
  const bool generative = !item.answers.empty();
  const bool choice = !item.choices.empty() || j.contains("gold");
  if (generative == choice) fail(where, "an item needs either answer, or choices and gold");
  if (choice) {
    if (item.choices.empty()) fail(where, "gold without choices");
    if (!j.contains("gold")) fail(where, "choices without gold");
    if (item.gold < 0 || item.gold >= static_cast<int64_t>(item.choices.size())) {
      fail(where, "gold " + std::to_string(item.gold) + " is not an index into " +
                      std::to_string(item.choices.size()) + " choices");
    }
  }
  return item;
}

std::vector<TaskItem> read_task_items(const std::filesystem::path& jsonl) {
  const std::string text = read_file(jsonl);
  std::vector<TaskItem> items;
  size_t start = 0;
  for (int64_t line = 1; start < text.size(); ++line) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view row(text.data() + start, end - start);
    start = end + 1;
    if (row.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const std::string where = jsonl.string() + ":" + std::to_string(line);
    json j;
    try {
      j = json::parse(row);
    } catch (const json::parse_error& e) {
      fail(where, std::string("malformed JSON: ") + e.what());
    }
    items.push_back(parse_task_item(j, where, line));
  }
  return items;
}

}  // namespace hallmark::fitness
