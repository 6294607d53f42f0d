// Model card front matter: the YAML block between a first line "---" and the next "---".
#include <yaml-cpp/yaml.h>

#include <string>

#include "common/error.h"
#include "common/files.h"
#include "provenance/metadata.h"

namespace hallmark::provenance {
namespace {

struct FrontMatter {
  std::string yaml;
  int first_line = 0;  // 1-based card line of the first YAML line
};

// Splits off one line (without its "\n" or "\r\n") starting at `pos`; advances `pos`.
std::string_view next_line(std::string_view text, size_t& pos) {
  size_t end = text.find('\n', pos);
  if (end == std::string_view::npos) end = text.size();
  std::string_view line = text.substr(pos, end - pos);
  pos = end < text.size() ? end + 1 : end;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool is_fence(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  return line == "---";
}

std::optional<FrontMatter> split_front_matter(std::string_view text, std::string_view source) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 byte order mark
  size_t pos = 0;
  if (!is_fence(next_line(text, pos))) return std::nullopt;
  FrontMatter fm;
  fm.first_line = 2;
  size_t start = pos;
  while (pos < text.size()) {
    size_t line_start = pos;
    std::string_view line = next_line(text, pos);
    if (is_fence(line) || line == "...") {
      fm.yaml = std::string(text.substr(start, line_start - start));
      return fm;
    }
  }
  throw InputError(std::string(source) + ":1:1: front matter opened by '---' is never closed");
}

std::string where(std::string_view source, const FrontMatter& fm, const YAML::Mark& mark) {
  if (mark.is_null()) return std::string(source);
  return std::string(source) + ":" + std::to_string(fm.first_line + mark.line) + ":" +
         std::to_string(mark.column + 1);
}

class CardReader {
 public:
  CardReader(std::string_view source, const FrontMatter& fm) : source_(source), fm_(fm) {}

  std::optional<std::string> scalar(const YAML::Node& root, const char* key) const {
    YAML::Node n = root[key];
    if (!n || n.IsNull()) return std::nullopt;
    if (!n.IsScalar()) bad(n, key, "a single value");
    return n.Scalar();
  }

  // A single value or a list of values.
  std::vector<std::string> list(const YAML::Node& root, const char* key) const {
    YAML::Node n = root[key];
    std::vector<std::string> out;
    if (!n || n.IsNull()) return out;
    if (n.IsScalar()) {
      out.push_back(n.Scalar());
      return out;
    }
    if (!n.IsSequence()) bad(n, key, "a value or a list of values");
    for (const auto& item : n) {
      if (!item.IsScalar()) bad(item, key, "a list of plain values");
      out.push_back(item.Scalar());
    }
    return out;
  }

  [[noreturn]] void bad(const YAML::Node& n, const char* key, const char* expected) const {
    throw InputError(where(source_, fm_, n.Mark()) + ": '" + key + "' must be " + expected);
  }

 private:
  std::string_view source_;
  const FrontMatter& fm_;
};

}  // namespace

ModelCard parse_model_card(std::string_view text, std::string_view source_name) {
  ModelCard card;
  std::optional<FrontMatter> fm = split_front_matter(text, source_name);
  if (!fm) return card;
  card.has_front_matter = true;
  YAML::Node root;
  try {
    root = YAML::Load(fm->yaml);
  } catch (const YAML::ParserException& e) {
    throw InputError(where(source_name, *fm, e.mark) + ": invalid YAML: " + e.msg);
  }
  if (!root || root.IsNull()) return card;
  if (!root.IsMap())
    throw InputError(where(source_name, *fm, root.Mark()) +
                     ": front matter must be a mapping of keys to values");
  CardReader r(source_name, *fm);
  card.license = r.scalar(root, "license");
  card.license_name = r.scalar(root, "license_name");
  card.license_link = r.scalar(root, "license_link");
  card.base_model = r.list(root, "base_model");
  card.base_model_relation = r.scalar(root, "base_model_relation");
  card.datasets = r.list(root, "datasets");
  card.tags = r.list(root, "tags");
  card.library_name = r.scalar(root, "library_name");
  return card;
}

ModelCard read_model_card(const std::filesystem::path& readme) {
  return parse_model_card(read_file(readme), readme.string());
}

}  // namespace hallmark::provenance
