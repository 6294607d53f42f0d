#pragma once

#include <map>
#include <string>
#include <vector>

#include "checkpoint/writer.h"

namespace hallmark::checkpoint {

// The 8-byte length plus the JSON header for `tensors` laid out back to back in order, padded
// with spaces to a multiple of 8 bytes. Throws InputError on a repeated name.
std::string build_header(const std::vector<TensorSpec>& tensors,
                         const std::map<std::string, std::string>& metadata);

}  // namespace hallmark::checkpoint
