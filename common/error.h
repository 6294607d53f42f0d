// Error types shared by every module. Libraries throw; cli/ catches once and maps the type to
// the exit code: InputError -> 2 (bad input or usage), CheckFailed -> 1 (a check or policy
// failed). Messages are one line that names the file, tensor or rule and the reason.
#pragma once

#include <stdexcept>
#include <string>

namespace hallmark {

// The user gave us something we cannot use: a malformed file, an unknown key, a bad value.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Everything was well-formed, but a verification or policy rule did not hold.
class CheckFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace hallmark
