// The SentencePiece wrapper against python3-sentencepiece on tokenizers trained by spm_train.

#include <fstream>

#include "common/error.h"
#include "fitness/tokenizer.h"
#include "tiny_model.h"

// Catch2 last: libtorch's headers pull in glog, whose CHECK macro would replace Catch's.
#include <catch2/catch.hpp>

using namespace hallmark;
using namespace hallmark::fitness;
using namespace hallmark::fitness::testing;

namespace {

std::vector<std::string> sample_texts() {
  std::vector<std::string> texts = {
      "", " ", "hello world", "  leading and trailing spaces  ", "The merged model signs the report.",
      "naïve café, Zoë! 3 + 4 = 7", "unseen glyphs: 漢字 and emoji 🙂", "line one\nline two\ttab",
      "twelve numbers twelve numbers twelve numbers", "<s> not a control token </s>"};
  for (const auto& s : corpus_sentences(20)) texts.push_back(s);
  return texts;
}

}  // namespace

TEST_CASE("tokenizer ids equal python3-sentencepiece", "[tokenizer][python]") {
  if (!python_available()) {
    WARN("/usr/bin/python3 lacks torch or sentencepiece; reference comparison skipped");
    return;
  }
  ScratchDir scratch;
  const auto texts = sample_texts();
  std::ofstream(scratch.path() / "texts.json") << nlohmann::json(texts).dump();
  for (const auto& [type, vocab] : {std::pair<std::string, int>{"unigram", 300}, {"bpe", 400}}) {
    SECTION(type) {
      const auto model = train_tokenizer(scratch.path(), type, vocab);
      const auto out = scratch.path() / ("ref-" + type + ".json");
      REQUIRE(run_python("reference_spm.py", {model.string(), (scratch.path() / "texts.json").string(), out.string()}) == 0);
      const auto ref = read_json(out);
      const Tokenizer tok = Tokenizer::load(model);
      CHECK(tok.vocab_size() == ref["vocab_size"].get<int64_t>());
      CHECK(tok.vocab_size() <= vocab);
      CHECK(tok.bos_id() == ref["bos"].get<int64_t>());
      CHECK(tok.eos_id() == ref["eos"].get<int64_t>());
      CHECK(tok.pad_id() == ref["pad"].get<int64_t>());
      CHECK(tok.unk_id() == ref["unk"].get<int64_t>());
      CHECK(tok.pad_id() == 3);
      for (size_t i = 0; i < texts.size(); ++i) {
        INFO(type << " text: '" << texts[i] << "'");
        const auto ids = tok.encode(texts[i]);
        CHECK(ids == ref["ids"][i].get<std::vector<int64_t>>());
        CHECK(tok.decode(ids) == ref["decoded"][i].get<std::string>());
        const auto with_bos = tok.encode(texts[i], /*add_bos=*/true);
        REQUIRE(!with_bos.empty());
        CHECK(with_bos.front() == tok.bos_id());
        CHECK(std::vector<int64_t>(with_bos.begin() + 1, with_bos.end()) == ids);
      }
      for (int64_t id = 0; id < 50; ++id) CHECK(tok.id_to_piece(id) == ref["pieces"][id].get<std::string>());
      // Control tokens decode to nothing.
      const std::vector<int64_t> control = {tok.bos_id(), tok.eos_id()};
      CHECK(tok.decode(control).empty());
    }
  }
}

TEST_CASE("tokenizer bad input", "[tokenizer]") {
  ScratchDir scratch;
  CHECK_THROWS_WITH(Tokenizer::load(scratch.path() / "tokenizer.model"),
                    Catch::Contains("no tokenizer (SentencePiece tokenizer.model not found)"));
  std::ofstream(scratch.path() / "garbage.model") << "this is not a protobuf";
  CHECK_THROWS_WITH(Tokenizer::load(scratch.path() / "garbage.model"), Catch::Contains("not a SentencePiece model"));
  const auto model = train_tokenizer(scratch.path(), "unigram", 300);
  const Tokenizer tok = Tokenizer::load(model);
  const std::vector<int64_t> bad = {tok.vocab_size()};
  CHECK_THROWS_WITH(tok.decode(bad), Catch::Contains("out of range"));
  CHECK_THROWS_AS(tok.id_to_piece(-1), InputError);
  CHECK(Tokenizer::library_path().filename() == "libhallmark_spm.so");
}
