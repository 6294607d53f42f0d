// A CSV reader for the probe layouts users have on disk (RFC 4180: quoted fields, "" escapes,
// commas and newlines inside quotes, CRLF or LF line ends, an optional UTF-8 byte order mark).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hallmark::safety_probes {

struct CsvTable {
  std::string file;                           // for error messages
  std::vector<std::string> header;            // the first record
  std::vector<std::vector<std::string>> rows; // every later record, each as wide as the header
  std::vector<size_t> row_lines;              // the line each row starts on (1-based)

  // The index of a header column, compared case-insensitively; nullopt when absent.
  std::optional<size_t> find_column(std::string_view name) const;
  // Throws InputError("FILE: missing column 'NAME' (LAYOUT needs ...)") when absent.
  size_t column(std::string_view name, std::string_view layout) const;
};

// Parses `text`; `file` only names it in errors. Throws InputError("FILE:LINE: REASON") for an
// unterminated quote, text after a closing quote, a row whose width differs from the header's,
// or an empty input. Blank lines between records are skipped.
CsvTable parse_csv(std::string_view text, std::string file);

}  // namespace hallmark::safety_probes
