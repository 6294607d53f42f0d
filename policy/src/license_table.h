// The compiled-in license table behind license_kb.h.
#pragma once

#include <vector>

#include "policy/license_kb.h"

namespace hallmark::policy {

std::vector<License> build_license_table();

}  // namespace hallmark::policy
