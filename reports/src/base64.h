// Base64 decoding as DSSE requires of envelopes: the standard and the URL-safe alphabets are
// both accepted, with or without padding.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hallmark::reports::detail {

// The decoded bytes, or nullopt for a character outside both alphabets, misplaced or wrong
// padding, or a length that no encoding produces.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace hallmark::reports::detail
