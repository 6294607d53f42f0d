#pragma once

#include <string>

namespace hallmark {

// The hallmark version, as recorded in lineage and reports.
std::string version();

}  // namespace hallmark
