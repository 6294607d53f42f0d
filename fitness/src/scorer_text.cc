// Scorers of generated text: exact_match, contains and regex extraction.
#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <optional>

#include "common/error.h"
#include "fitness/src/builtin_scorers.h"

namespace hallmark::fitness {
namespace {

bool matches_any(const TaskItem& item, const std::string& output, const ScorerSettings& settings,
                 bool substring) {
  return std::any_of(item.answers.begin(), item.answers.end(), [&](const std::string& answer) {
    const std::string target = normalize_answer(answer, settings);
    return substring ? output.find(target) != std::string::npos : output == target;
  });
}

class ExactMatch : public Scorer {
 public:
  explicit ExactMatch(ScorerSettings settings) : settings_(std::move(settings)) {}
  bool uses_loglikelihood() const override { return false; }
  std::vector<std::string> metrics() const override { return {"exact_match"}; }
  ItemScore score_output(const TaskItem& item, std::string_view output) const override {
    std::string normalized = normalize_answer(output, settings_);
    const bool hit = matches_any(item, normalized, settings_, false);
    return {{hit ? 1.0 : 0.0}, std::move(normalized)};
  }

 private:
  ScorerSettings settings_;
};

class Contains : public Scorer {
 public:
  explicit Contains(ScorerSettings settings) : settings_(std::move(settings)) {}
  bool uses_loglikelihood() const override { return false; }
  std::vector<std::string> metrics() const override { return {"contains"}; }
  ItemScore score_output(const TaskItem& item, std::string_view output) const override {
    std::string normalized = normalize_answer(output, settings_);
    const bool hit = matches_any(item, normalized, settings_, true);
    return {{hit ? 1.0 : 0.0}, std::move(normalized)};
  }

 private:
  ScorerSettings settings_;
};

// "1,234" and "1234.0" are the same number.
std::optional<double> parse_number(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c != ',') digits.push_back(c);
  }
  if (!digits.empty() && digits.front() == '+') digits.erase(0, 1);
  double value = 0;
  const char* end = digits.data() + digits.size();
  const auto [ptr, ec] = std::from_chars(digits.data(), end, value);
  if (ec != std::errc() || ptr != end || digits.empty()) return std::nullopt;
  return value;
}

class RegexExtract : public Scorer {
 public:
  RegexExtract(ScorerSettings settings, const std::string& default_pattern)
      : settings_(std::move(settings)) {
    if (settings_.regex.empty()) settings_.regex = default_pattern;
    if (settings_.regex.empty()) throw InputError("scorer regex needs a `regex` pattern");
    if (settings_.regex_select != "first" && settings_.regex_select != "last") {
      throw InputError("regex_select must be first or last, got '" + settings_.regex_select + "'");
    }
    re_ = std::make_unique<RE2>(settings_.regex, RE2::Quiet);
    if (!re_->ok()) throw InputError("invalid regex '" + settings_.regex + "': " + re_->error());
  }
  bool uses_loglikelihood() const override { return false; }
  std::vector<std::string> metrics() const override { return {"exact_match"}; }

  ItemScore score_output(const TaskItem& item, std::string_view output) const override {
    const std::optional<std::string> found = extract(output);
    if (!found) return {{0.0}, "[no match]"};
    const std::string extracted = normalize_answer(*found, settings_);
    const auto as_number = parse_number(extracted);
    const bool hit = std::any_of(item.answers.begin(), item.answers.end(), [&](const std::string& answer) {
      const std::string target = normalize_answer(answer, settings_);
      const auto target_number = parse_number(target);
      if (as_number && target_number) return *as_number == *target_number;
      return extracted == target;
    });
    return {{hit ? 1.0 : 0.0}, extracted};
  }

 private:
  // Group 1 when the pattern has groups, else the whole match; the first or last match.
  std::optional<std::string> extract(std::string_view output) const {
    re2::StringPiece input(output.data(), output.size());
    re2::StringPiece groups[2];
    const int wanted = re_->NumberOfCapturingGroups() >= 1 ? 2 : 1;
    std::optional<std::string> result;
    size_t pos = 0;
    while (pos <= input.size() &&
           re_->Match(input, pos, input.size(), RE2::UNANCHORED, groups, wanted)) {
      const re2::StringPiece& picked = groups[wanted - 1];
      result = std::string(picked.data() == nullptr ? "" : std::string(picked.data(), picked.size()));
      if (settings_.regex_select == "first") break;
      const size_t end = static_cast<size_t>(groups[0].data() - input.data()) + groups[0].size();
      pos = groups[0].empty() ? end + 1 : end;
    }
    return result;
  }

  ScorerSettings settings_;
  std::unique_ptr<RE2> re_;
};

}  // namespace

std::vector<std::pair<std::string, ScorerFactory>> text_scorers() {
  return {
      {"exact_match", [](const ScorerSettings& s) { return std::make_unique<ExactMatch>(s); }},
      {"contains", [](const ScorerSettings& s) { return std::make_unique<Contains>(s); }},
      {"regex", [](const ScorerSettings& s) { return std::make_unique<RegexExtract>(s, ""); }},
      {"last_number",
       [](const ScorerSettings& s) {
         ScorerSettings last = s;
         last.regex_select = "last";
         return std::make_unique<RegexExtract>(last, "(-?[0-9][0-9,]*(?:\\.[0-9]+)?)");
       }},
      {"hash_number",
       [](const ScorerSettings& s) {
         ScorerSettings first = s;
         first.regex_select = "first";
         return std::make_unique<RegexExtract>(first, "####\\s*(-?[0-9][0-9,]*(?:\\.[0-9]+)?)");
       }},
  };
}

}  // namespace hallmark::fitness
