// Tasks: a JSONL file of items, optionally with a small YAML task file that points at it and
// says how to prompt and score (in the spirit of lm-evaluation-harness task YAMLs).
// docs/tasks.md is the user documentation of both formats.
//
// JSONL item: {"prompt": str, "answer": str | [str, ...]}            (generative)
//          or {"prompt": str, "choices": [str, ...], "gold": int}     (multiple choice)
//          optional "id": str. Unknown keys are errors.
// YAML task file keys: task, data (path relative to the YAML file), scorer, regex,
// regex_select, ignore_case, ignore_punctuation, stop, max_new_tokens, description,
// target_delimiter, fewshot_delimiter, fewshot (inline items), fewshot_data (a JSONL file),
// num_fewshot. Unknown keys are errors.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace hallmark::fitness {

struct TaskItem {
  std::string id;                    // "id" or the 1-based line number
  std::string prompt;
  std::vector<std::string> answers;  // any of them counts as correct (generative)
  std::vector<std::string> choices;  // multiple choice
  int64_t gold = -1;                 // index into choices
  int64_t line = 0;                  // in the JSONL file
  // The reference answer for display: answers[0] or choices[gold].
  const std::string& target() const;
};

// How the task's scorer compares outputs; see scorer.h for the scorers.
struct ScorerSettings {
  std::string regex;                  // RE2 pattern: group 1 if it has one, else the match
  std::string regex_select = "last";  // "first" or "last" match
  bool ignore_case = true;
  bool ignore_punctuation = false;
};

struct Task {
  std::string name;
  std::filesystem::path source;  // the YAML or JSONL file given
  std::filesystem::path data;    // the JSONL items
  std::string scorer;            // a registered scorer name (scorer.h)
  ScorerSettings scorer_settings;
  std::vector<std::string> stop = {"\n"};
  int64_t max_new_tokens = 32;
  std::string description;  // put before everything else
  std::string target_delimiter = " ";
  std::string fewshot_delimiter = "\n\n";
  std::vector<TaskItem> fewshot;
  std::vector<TaskItem> items;

  // description + each few-shot example (prompt, target_delimiter, target, fewshot_delimiter)
  // + the item's prompt. Generative outputs and multiple-choice continuations follow it.
  std::string build_prompt(const TaskItem& item) const;
};

// A .yaml/.yml task file, or a bare .jsonl (name = file stem; scorer multiple_choice when the
// items have choices, exact_match otherwise; the defaults above). Throws InputError with
// FILE:LINE for a malformed JSONL line, naming the key for a bad or unknown YAML key, and
// listing the known scorers for an unknown scorer. An empty task is an error.
Task load_task(const std::filesystem::path& path);

// The items of a JSONL file; blank lines are skipped. Throws InputError("FILE:LINE: REASON").
std::vector<TaskItem> read_task_items(const std::filesystem::path& jsonl);

}  // namespace hallmark::fitness
