// Scorers, metrics with standard errors, and their registry.

#include <cmath>

#include "common/error.h"
#include "fitness/metric.h"
#include "fitness/scorer.h"

// Catch2 last: libtorch's headers pull in glog, whose CHECK macro would replace Catch's.
#include <catch2/catch.hpp>

using namespace hallmark;
using namespace hallmark::fitness;

namespace {

TaskItem answer(std::vector<std::string> answers) {
  TaskItem item;
  item.prompt = "q";
  item.answers = std::move(answers);
  return item;
}

double score(const std::string& scorer, const TaskItem& item, const std::string& output, ScorerSettings s = {}) {
  return make_scorer(scorer, s)->score_output(item, output).values.at(0);
}

}  // namespace

TEST_CASE("normalisation", "[scorer]") {
  ScorerSettings s;
  CHECK(normalize_answer("  Hello,\t  World!\n", s) == "hello, world!");
  s.ignore_punctuation = true;
  CHECK(normalize_answer("  Hello,\t  World!\n", s) == "hello world");
  s.ignore_case = false;
  CHECK(normalize_answer("Café  ÉTÉ", s) == "Café ÉTÉ");  // non-ASCII bytes untouched
  CHECK(normalize_answer("", s).empty());
}

TEST_CASE("exact_match and contains", "[scorer]") {
  CHECK(score("exact_match", answer({"Paris"}), "  paris ") == 1.0);
  CHECK(score("exact_match", answer({"Paris"}), "Paris.") == 0.0);
  ScorerSettings punct;
  punct.ignore_punctuation = true;
  CHECK(score("exact_match", answer({"Paris"}), "Paris.", punct) == 1.0);
  ScorerSettings cased;
  cased.ignore_case = false;
  CHECK(score("exact_match", answer({"Paris"}), "paris", cased) == 0.0);
  CHECK(score("exact_match", answer({"Lyon", "Paris"}), "paris") == 1.0);  // any answer counts
  CHECK(score("contains", answer({"Paris"}), "I think it is PARIS, France") == 1.0);
  CHECK(score("contains", answer({"Paris"}), "Lyon") == 0.0);
  const ItemScore s = make_scorer("contains", {})->score_output(answer({"x"}), " A  B ");
  CHECK(s.extracted == "a b");
}

TEST_CASE("regex extraction", "[scorer]") {
  CHECK(score("last_number", answer({"42"}), "First 7, then 12, finally 42.") == 1.0);
  CHECK(score("last_number", answer({"1234"}), "the total is 1,234") == 1.0);
  CHECK(score("last_number", answer({"5"}), "5.0") == 1.0);  // numerically equal
  CHECK(score("last_number", answer({"-3"}), "it is -3") == 1.0);
  CHECK(score("last_number", answer({"42"}), "no number here") == 0.0);
  CHECK(make_scorer("last_number", {})->score_output(answer({"1"}), "none").extracted == "[no match]");
  CHECK(score("hash_number", answer({"72"}), "48 + 24 = 72\n#### 72\nand then 5") == 1.0);
  CHECK(score("hash_number", answer({"72"}), "48 + 24 = 72") == 0.0);
  ScorerSettings first;
  first.regex = "answer: ([a-z]+)";
  first.regex_select = "first";
  CHECK(score("regex", answer({"cat"}), "answer: cat ... answer: dog", first) == 1.0);
  ScorerSettings last = first;
  last.regex_select = "last";
  CHECK(score("regex", answer({"dog"}), "answer: cat ... answer: dog", last) == 1.0);
  ScorerSettings whole;
  whole.regex = "[0-9]+";  // no group: the whole match
  CHECK(score("regex", answer({"9"}), "a1b22c9", whole) == 1.0);
  ScorerSettings empty_matches;
  empty_matches.regex = "x*";  // matches the empty string everywhere: must terminate
  CHECK(score("regex", answer({"xx"}), "aaxxa", empty_matches) == 0.0);
  ScorerSettings bad;
  bad.regex = "(unclosed";
  CHECK_THROWS_WITH(make_scorer("regex", bad), Catch::Contains("invalid regex '(unclosed'"));
  CHECK_THROWS_WITH(make_scorer("regex", {}), Catch::Contains("needs a `regex` pattern"));
}

TEST_CASE("multiple choice acc and acc_norm", "[scorer]") {
  TaskItem item;
  item.prompt = "q";
  item.choices = {"a", "a much longer choice"};
  item.gold = 1;
  const auto mc = make_scorer("multiple_choice", {});
  REQUIRE(mc->uses_loglikelihood());
  CHECK((mc->metrics() == std::vector<std::string>{"acc", "acc_norm"}));
  // Raw: choice 0 wins (-2 > -10); per character: -2/1 < -10/20, choice 1 wins.
  std::vector<ContinuationScore> scores(2);
  scores[0].logprob = -2.0;
  scores[1].logprob = -10.0;
  const ItemScore s = mc->score_choices(item, scores);
  CHECK((s.values == std::vector<double>{0.0, 1.0}));
  CHECK(s.extracted == "a");
  scores[1].logprob = -1.0;
  CHECK((mc->score_choices(item, scores).values == std::vector<double>{1.0, 1.0}));
  // Character length counts code points: "é" is one character.
  item.choices = {"éé", "ab"};
  item.gold = 0;
  scores[0].logprob = -2.0;
  scores[1].logprob = -2.0;  // a tie goes to the first choice
  CHECK((mc->score_choices(item, scores).values == std::vector<double>{1.0, 1.0}));
  CHECK_THROWS_AS(mc->score_output(item, "x"), std::logic_error);
}

TEST_CASE("metrics carry the standard error of the mean", "[metric]") {
  // Bernoulli with p = 0.75 over 4 items: sample variance 0.25, stderr sqrt(0.25 / 4) = 0.25.
  const MetricValue m = mean_with_std_error("acc", {1, 1, 0, 1});
  CHECK(m.value == Approx(0.75));
  CHECK(m.std_error == Approx(0.25));
  CHECK(m.count == 4);
  // numpy: np.std([2,4,4,4,5,5,7,9], ddof=1) / sqrt(8) = 0.7559289
  CHECK(mean_with_std_error("x", {2, 4, 4, 4, 5, 5, 7, 9}).std_error == Approx(0.7559289).epsilon(1e-6));
  CHECK(mean_with_std_error("x", {1, 1, 1}).std_error == 0.0);
  CHECK(std::isnan(mean_with_std_error("x", {1}).std_error));
  CHECK_THROWS_AS(mean_with_std_error("x", {}), std::invalid_argument);
}

TEST_CASE("scorer registry", "[scorer]") {
  const auto names = scorer_names();
  CHECK((names == std::vector<std::string>{"contains", "exact_match", "hash_number", "last_number", "multiple_choice", "regex"}));
  CHECK_THROWS_WITH(make_scorer("bleu", {}),
                    "unknown scorer 'bleu' (known: contains, exact_match, hash_number, last_number, multiple_choice, regex)");
  CHECK_THROWS_AS(register_scorer("contains", [](const ScorerSettings&) { return std::unique_ptr<Scorer>(); }),
                  std::logic_error);
}
