#include "safety_probes/csv.h"

#include <algorithm>
#include <cctype>

#include "common/error.h"

namespace hallmark::safety_probes {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Reads records one at a time, tracking the line number for errors.
class Reader {
 public:
  Reader(std::string_view text, const std::string& file) : text_(text), file_(file) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }

  bool done() const { return pos_ >= text_.size(); }
  size_t line() const { return line_; }

  // Skips blank lines; returns false at the end of the input.
  bool skip_blank_lines() {
    while (!done()) {
      if (text_[pos_] == '\n') {
        ++pos_;
        ++line_;
      } else if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') {
        pos_ += 2;
        ++line_;
      } else {
        return true;
      }
    }
    return false;
  }

  std::vector<std::string> record() {
    std::vector<std::string> fields;
    while (true) {
      fields.push_back(field());
      if (done()) return fields;
      char c = text_[pos_];
      if (c == ',') {
        ++pos_;
        continue;
      }
      // A line end finishes the record.
      pos_ += (c == '\r') ? 2 : 1;
      ++line_;
      return fields;
    }
  }

 private:
  bool at_line_end() const {
    return text_[pos_] == '\n' ||
           (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n');
  }

  std::string field() {
    std::string out;
    if (!done() && text_[pos_] == '"') return quoted();
    while (!done() && text_[pos_] != ',' && !at_line_end()) out += text_[pos_++];
    return out;
  }

  std::string quoted() {
    size_t start_line = line_;
    ++pos_;  // opening quote
    std::string out;
    while (true) {
      if (done()) {
        throw InputError(file_ + ":" + std::to_string(start_line) +
                         ": unterminated quoted field");
      }
      char c = text_[pos_++];
      if (c == '"') {
        if (!done() && text_[pos_] == '"') {
          out += '"';
          ++pos_;
          continue;
        }
        if (!done() && text_[pos_] != ',' && !at_line_end()) {
          throw InputError(file_ + ":" + std::to_string(line_) +
                           ": unexpected character after closing quote");
        }
        return out;
      }
      if (c == '\n') ++line_;
      out += c;
    }
  }

  std::string_view text_;
  const std::string& file_;
  size_t pos_ = 0;
  size_t line_ = 1;
};

}  // namespace

std::optional<size_t> CsvTable::find_column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (iequals(header[i], name)) return i;
  }
  return std::nullopt;
}

size_t CsvTable::column(std::string_view name, std::string_view layout) const {
  if (auto index = find_column(name)) return *index;
  throw InputError(file + ": missing column '" + std::string(name) + "' (" + std::string(layout) +
                   " layout)");
}

CsvTable parse_csv(std::string_view text, std::string file) {
  CsvTable table;
  table.file = std::move(file);
  Reader reader(text, table.file);
  if (!reader.skip_blank_lines()) throw InputError(table.file + ": empty CSV file");
  table.header = reader.record();
  for (auto& name : table.header) {
    auto first = name.find_first_not_of(" \t");
    auto last = name.find_last_not_of(" \t");
    name = first == std::string::npos ? "" : name.substr(first, last - first + 1);
  }
  while (reader.skip_blank_lines()) {
    size_t line = reader.line();
    auto row = reader.record();
    if (row.size() != table.header.size()) {
      throw InputError(table.file + ":" + std::to_string(line) + ": row has " +
                       std::to_string(row.size()) + " fields, the header has " +
                       std::to_string(table.header.size()));
    }
    table.rows.push_back(std::move(row));
    table.row_lines.push_back(line);
  }
  return table;
}

}  // namespace hallmark::safety_probes
