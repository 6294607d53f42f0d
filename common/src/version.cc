#include "common/version.h"

namespace hallmark {

std::string version() { return HALLMARK_VERSION; }

}  // namespace hallmark
