// SPDX license expressions (SPDX specification 2.3, Annex D): license ids, "+", WITH exceptions,
// AND, OR, parentheses, LicenseRef- and DocumentRef-...:LicenseRef- references. Operators are
// matched case-insensitively; precedence is + > WITH > AND > OR; AND and OR group to the right,
// as the npm package spdx-expression-parse does, so the trees can be compared one to one.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace hallmark::policy::spdx {

struct Node;
using NodePtr = std::shared_ptr<const Node>;

struct Node {
  enum class Kind { license, conjunction };
  Kind kind = Kind::license;
  // Kind::license: the id as written (a license id, "LicenseRef-x" or "DocumentRef-d:LicenseRef-x").
  std::string license;
  bool plus = false;       // "id+": this version or any later one
  std::string exception;   // WITH exception id, or empty
  // Kind::conjunction
  bool is_and = false;     // AND, else OR
  NodePtr left, right;
};

// Parses an expression. Throws InputError("EXPR: column N: REASON") with a 1-based column.
NodePtr parse(std::string_view expression);

// The canonical text: single spaces, uppercase operators, parentheses only where needed.
std::string to_string(const Node& node);

// The tree in the shape spdx-expression-parse produces: {"license", "plus"?, "exception"?} or
// {"left", "conjunction": "and"|"or", "right"}.
nlohmann::json to_json(const Node& node);

// The license leaves in order of appearance.
std::vector<const Node*> leaves(const Node& node);

}  // namespace hallmark::policy::spdx
