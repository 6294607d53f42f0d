// The built-in scorers. The registry adds them on first use: static registration objects in a
// static library would be dropped by the linker when nothing else references their file.
#pragma once

#include "fitness/scorer.h"

namespace hallmark::fitness {

// exact_match, contains, regex, last_number, hash_number.
std::vector<std::pair<std::string, ScorerFactory>> text_scorers();
// multiple_choice.
std::vector<std::pair<std::string, ScorerFactory>> multiple_choice_scorers();

}  // namespace hallmark::fitness
