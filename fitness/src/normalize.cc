#include <cctype>

#include "fitness/scorer.h"

namespace hallmark::fitness {

std::string normalize_answer(std::string_view text, const ScorerSettings& settings) {
  // Bytes >= 0x80 (UTF-8) are kept as they are; only ASCII is case-folded or dropped.
  std::string out;
  bool pending_space = false;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80 && std::isspace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (settings.ignore_punctuation && c < 0x80 && std::ispunct(c)) continue;
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(settings.ignore_case && c < 0x80 ? static_cast<char>(std::tolower(c)) : ch);
  }
  return out;
}

}  // namespace hallmark::fitness
