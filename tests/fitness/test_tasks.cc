// Task files: JSONL items, YAML settings, few-shot prompts and bad input.

#include <fstream>

#include "common/error.h"
#include "fitness/task.h"
#include "tiny_model.h"

// Catch2 last: libtorch's headers pull in glog, whose CHECK macro would replace Catch's.
#include <catch2/catch.hpp>

using namespace hallmark;
using namespace hallmark::fitness;
using namespace hallmark::fitness::testing;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace

TEST_CASE("a bare JSONL task picks its scorer from the items", "[task]") {
  ScratchDir scratch;
  write(scratch.path() / "math.jsonl",
        "{\"prompt\": \"2+2=\", \"answer\": \"4\"}\n\n{\"prompt\": \"3+3=\", \"answer\": [\"6\", \"six\"], \"id\": \"b\"}\n");
  const Task gen = load_task(scratch.path() / "math.jsonl");
  CHECK(gen.name == "math");
  CHECK(gen.scorer == "exact_match");
  REQUIRE(gen.items.size() == 2);
  CHECK(gen.items[0].id == "1");
  CHECK(gen.items[1].id == "b");
  CHECK(gen.items[1].line == 3);
  CHECK((gen.items[1].answers == std::vector<std::string>{"6", "six"}));
  CHECK((gen.stop == std::vector<std::string>{"\n"}));
  write(scratch.path() / "mc.jsonl", "{\"prompt\": \"Sky?\", \"choices\": [\"blue\", \"green\"], \"gold\": 0}\n");
  const Task mc = load_task(scratch.path() / "mc.jsonl");
  CHECK(mc.scorer == "multiple_choice");
  CHECK(mc.items[0].target() == "blue");
}

TEST_CASE("a YAML task file with few-shot examples", "[task]") {
  ScratchDir scratch;
  fs::create_directories(scratch.path() / "data");
  write(scratch.path() / "data" / "items.jsonl", "{\"prompt\": \"Q: 5+5?\\nA:\", \"answer\": \"10\"}\n");
  write(scratch.path() / "data" / "train.jsonl",
        "{\"prompt\": \"Q: 2+2?\\nA:\", \"answer\": \"4\"}\n{\"prompt\": \"Q: 9+1?\\nA:\", \"answer\": \"10\"}\n");
  write(scratch.path() / "arith.yaml",
        "task: arithmetic\n"
        "data: data/items.jsonl\n"
        "scorer: last_number\n"
        "stop: [\"\\n\\n\", \"Q:\"]\n"
        "max_new_tokens: 12\n"
        "description: \"Add.\\n\\n\"\n"
        "fewshot:\n"
        "  - prompt: \"Q: 1+1?\\nA:\"\n"
        "    answer: \"2\"\n"
        "fewshot_data: data/train.jsonl\n"
        "num_fewshot: 2\n");
  const Task task = load_task(scratch.path() / "arith.yaml");
  CHECK(task.name == "arithmetic");
  CHECK(task.scorer == "last_number");
  CHECK(task.max_new_tokens == 12);
  CHECK((task.stop == std::vector<std::string>{"\n\n", "Q:"}));
  REQUIRE(task.fewshot.size() == 2);
  CHECK(task.build_prompt(task.items[0]) == "Add.\n\nQ: 1+1?\nA: 2\n\nQ: 2+2?\nA: 4\n\nQ: 5+5?\nA:");
}

TEST_CASE("multiple-choice few-shot examples use the gold choice", "[task]") {
  ScratchDir scratch;
  write(scratch.path() / "mc.jsonl", "{\"prompt\": \"Sky?\", \"choices\": [\"blue\", \"green\"], \"gold\": 0}\n");
  write(scratch.path() / "mc.yaml",
        "data: mc.jsonl\nscorer: multiple_choice\ntarget_delimiter: \" -> \"\nfewshot_delimiter: \"\\n\"\n"
        "fewshot:\n  - {prompt: \"Grass?\", choices: [\"red\", \"green\"], gold: 1}\n");
  const Task task = load_task(scratch.path() / "mc.yaml");
  CHECK(task.name == "mc");
  CHECK(task.build_prompt(task.items[0]) == "Grass? -> green\nSky?");
}

TEST_CASE("bad task input fails with one line naming the file and line", "[task][bad-input]") {
  ScratchDir scratch;
  const fs::path jsonl = scratch.path() / "t.jsonl";
  auto error_of = [](const fs::path& p) {
    try {
      load_task(p);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  write(jsonl, "{\"prompt\": \"a\", \"answer\": \"b\"}\n{\"prompt\": \"a\", \"answer\": \n");
  CHECK_THAT(error_of(jsonl), Catch::StartsWith(jsonl.string() + ":2: malformed JSON"));
  write(jsonl, "{\"prompt\": \"a\", \"answer\": \"b\", \"label\": 1}\n");
  CHECK(error_of(jsonl) == jsonl.string() + ":1: unknown key 'label' (known: prompt, answer, choices, gold, id)");
  write(jsonl, "{\"answer\": \"b\"}\n");
  CHECK(error_of(jsonl) == jsonl.string() + ":1: missing prompt");
  write(jsonl, "{\"prompt\": \"a\"}\n");
  CHECK(error_of(jsonl) == jsonl.string() + ":1: an item needs either answer, or choices and gold");
  write(jsonl, "{\"prompt\": \"a\", \"choices\": [\"x\", \"y\"], \"gold\": 2}\n");
  CHECK(error_of(jsonl) == jsonl.string() + ":1: gold 2 is not an index into 2 choices");
  write(jsonl, "[1, 2]\n");
  CHECK(error_of(jsonl) == jsonl.string() + ":1: an item must be a JSON object");
  write(jsonl, "\n\n");
  CHECK(error_of(jsonl) == jsonl.string() + ": no items");
  CHECK_THAT(error_of(scratch.path() / "missing.jsonl"), Catch::Contains("missing.jsonl"));
  CHECK_THAT(error_of(scratch.path() / "task.txt"), Catch::Contains("a task is a .yaml/.yml task file or a .jsonl file"));

  write(jsonl, "{\"prompt\": \"a\", \"answer\": \"b\"}\n");
  const fs::path yaml = scratch.path() / "t.yaml";
  write(yaml, "data: t.jsonl\nscorer: bleu\n");
  CHECK(error_of(yaml) == yaml.string() +
                              ": unknown scorer 'bleu' (known: contains, exact_match, hash_number, last_number, "
                              "multiple_choice, regex)");
  write(yaml, "data: t.jsonl\nscorers: exact_match\n");
  CHECK_THAT(error_of(yaml), Catch::StartsWith(yaml.string() + ": unknown key 'scorers' (known: "));
  write(yaml, "scorer: exact_match\n");
  CHECK(error_of(yaml) == yaml.string() + ": missing data (the JSONL file of items)");
  write(yaml, "data: t.jsonl\nscorer: multiple_choice\n");
  CHECK(error_of(yaml) == jsonl.string() + ": line 1: scorer multiple_choice needs choices and gold");
  write(yaml, "data: t.jsonl\nmax_new_tokens: lots\n");
  CHECK(error_of(yaml) == yaml.string() + ": max_new_tokens must be a non-negative integer");
  write(yaml, "data: t.jsonl\nnum_fewshot: 3\n");
  CHECK(error_of(yaml) == yaml.string() + ": num_fewshot 3 but only 0 few-shot examples");
  write(yaml, "data: [unclosed\n");
  CHECK_THAT(error_of(yaml), Catch::StartsWith(yaml.string() + ": malformed YAML"));
  write(yaml, "data: t.jsonl\nscorer: regex\nregex: \"(bad\"\n");
  CHECK_THAT(error_of(yaml), Catch::StartsWith(yaml.string() + ": invalid regex '(bad'"));
}
