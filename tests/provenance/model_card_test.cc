// Model card front matter and provenance.json parsing, including the positions of errors.
#include <catch2/catch.hpp>

#include "common/error.h"
#include "provenance/metadata.h"

using namespace hallmark;
using namespace hallmark::provenance;

TEST_CASE("model card front matter with every field", "[metadata]") {
  const char* card = R"(---
license: other
license_name: llama3.1
license_link: https://llama.meta.com/llama3_1/license/
base_model:
- meta-llama/Llama-3.1-8B
- org/other-model
base_model_relation: merge
datasets: [tatsu-lab/alpaca, openai/gsm8k]
tags:
- mergekit
- merge
library_name: transformers
pipeline_tag: text-generation
---
# My model

Some --- text.
)";
  ModelCard c = parse_model_card(card, "README.md");
  CHECK(c.has_front_matter);
  CHECK(c.license == "other");
  CHECK(c.license_name == "llama3.1");
  CHECK(c.license_link == "https://llama.meta.com/llama3_1/license/");
  CHECK(c.base_model == std::vector<std::string>{"meta-llama/Llama-3.1-8B", "org/other-model"});
  CHECK(c.base_model_relation == "merge");
  CHECK(c.datasets == std::vector<std::string>{"tatsu-lab/alpaca", "openai/gsm8k"});
  CHECK(c.tags == std::vector<std::string>{"mergekit", "merge"});
  CHECK(c.library_name == "transformers");
}

TEST_CASE("base_model as a single string, CRLF lines and a byte order mark", "[metadata]") {
  ModelCard c = parse_model_card(
      "\xEF\xBB\xBF---\r\nlicense: apache-2.0\r\nbase_model: org/base\r\n---\r\nbody\r\n", "x.md");
  CHECK(c.has_front_matter);
  CHECK(c.license == "apache-2.0");
  CHECK(c.base_model == std::vector<std::string>{"org/base"});
  CHECK(c.datasets.empty());
  CHECK_FALSE(c.library_name);
}

TEST_CASE("a card without front matter has no metadata", "[metadata]") {
  ModelCard c = parse_model_card("# Title\n\nlicense: mit\n", "README.md");
  CHECK_FALSE(c.has_front_matter);
  CHECK_FALSE(c.license);
  ModelCard empty = parse_model_card("---\n---\n# Title\n", "README.md");
  CHECK(empty.has_front_matter);
  CHECK_FALSE(empty.license);
}

TEST_CASE("bad YAML is reported with file, line and column of the card", "[metadata]") {
  // Line 4 of the card (line 3 of the YAML) has a second mapping value on one line; the
  // parser stops at the second colon, column 14.
  const char* card = "---\nlicense: mit\ntags: [a, b]\nbase_model: a: b\n---\n";
  CHECK_THROWS_AS(parse_model_card(card, "models/p1/README.md"), InputError);
  CHECK_THROWS_WITH(parse_model_card(card, "models/p1/README.md"),
                    Catch::StartsWith("models/p1/README.md:4:14: invalid YAML"));
}

TEST_CASE("wrong value types name the key and position", "[metadata]") {
  CHECK_THROWS_WITH(parse_model_card("---\ntags: [x]\nlicense:\n  - mit\n  - apache-2.0\n---\n",
                                     "README.md"),
                    Catch::StartsWith("README.md:4:3: 'license' must be a single value"));
  CHECK_THROWS_WITH(parse_model_card("---\ndatasets: {a: 1}\n---\n", "README.md"),
                    Catch::Contains("'datasets' must be a value or a list"));
  CHECK_THROWS_WITH(parse_model_card("---\n- a\n- b\n---\n", "README.md"),
                    Catch::Contains("must be a mapping"));
}

TEST_CASE("unclosed front matter is bad input", "[metadata]") {
  CHECK_THROWS_WITH(parse_model_card("---\nlicense: mit\n# Title\n", "README.md"),
                    Catch::StartsWith("README.md:1:1:") && Catch::Contains("never closed"));
}

TEST_CASE("provenance file with datasets", "[metadata]") {
  const char* text = R"({
  "datasets": [
    {"name": "alpaca-subset", "source": "https://huggingface.co/datasets/tatsu-lab/alpaca",
     "license": "cc-by-nc-4.0", "collection": "filtered by length",
     "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
     "path": "data/train.jsonl"},
    {"name": "undocumented"}
  ]
})";
  ProvenanceFile p = parse_provenance_file(text, "provenance.json");
  REQUIRE(p.datasets.size() == 2);
  CHECK(p.datasets[0].name == "alpaca-subset");
  CHECK(p.datasets[0].license == "cc-by-nc-4.0");
  CHECK(p.datasets[0].collection == "filtered by length");
  CHECK(p.datasets[0].path == "data/train.jsonl");
  CHECK(p.datasets[1].name == "undocumented");
  CHECK_FALSE(p.datasets[1].sha256);
}

TEST_CASE("bad provenance files", "[metadata]") {
  CHECK_THROWS_WITH(parse_provenance_file("{\n  \"datasets\": [\n    {\"name\": tru}\n  ]\n}",
                                          "p/provenance.json"),
                    Catch::StartsWith("p/provenance.json:3:17: invalid JSON"));
  CHECK_THROWS_WITH(parse_provenance_file(R"({"datasets": [{"name": "a", "digest": "x"}]})", "f"),
                    Catch::Contains("datasets[0]") && Catch::Contains("unknown key 'digest'"));
  CHECK_THROWS_WITH(parse_provenance_file(R"({"datasets": [{"name": "a", "sha256": "ABC"}]})",
                                          "f"),
                    Catch::Contains("64 lowercase hex"));
  CHECK_THROWS_WITH(parse_provenance_file(R"({"datasets": [{"source": "x"}]})", "f"),
                    Catch::Contains("'name' is required"));
  CHECK_THROWS_WITH(parse_provenance_file(R"({"datasets": [{"name": "a", "path": "../x"}]})",
                                          "f"),
                    Catch::Contains("stay inside"));
  CHECK_THROWS_WITH(parse_provenance_file(R"({"datasets": [{"name": "a"}, {"name": "a"}]})", "f"),
                    Catch::Contains("declared twice"));
  CHECK_THROWS_WITH(parse_provenance_file(R"({"data": []})", "f"),
                    Catch::Contains("unknown key 'data'"));
  CHECK_THROWS_AS(parse_provenance_file(R"({"datasets": [{"name": 3}]})", "f"), InputError);
}
