#include "policy/spdx.h"

#include <cctype>
#include <string>

#include "common/error.h"

namespace hallmark::policy::spdx {
namespace {

struct Token {
  enum class Type { word, open, close, plus, end };
  Type type;
  std::string text;
  size_t column;  // 1-based
};

bool id_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) { tokenize(); }

  NodePtr parse_all() {
    if (tokens_.front().type == Token::Type::end) fail(1, "empty expression");
    NodePtr node = parse_or();
    const Token& t = peek();
    if (t.type != Token::Type::end) fail(t.column, "unexpected '" + t.text + "'");
    return node;
  }

 private:
  [[noreturn]] void fail(size_t column, const std::string& reason) const {
    throw InputError("SPDX expression '" + std::string(text_) + "': column " + std::to_string(column) +
                     ": " + reason);
  }

  void tokenize() {
    size_t i = 0;
    while (i < text_.size()) {
      char c = text_[i];
      if (c == ' ' || c == '\t') {
        ++i;
      } else if (c == '(') {
        tokens_.push_back({Token::Type::open, "(", i + 1});
        ++i;
      } else if (c == ')') {
        tokens_.push_back({Token::Type::close, ")", i + 1});
        ++i;
      } else if (c == '+') {
        if (i == 0 || !id_char(text_[i - 1])) fail(i + 1, "'+' must follow a license id directly");
        tokens_.push_back({Token::Type::plus, "+", i + 1});
        ++i;
      } else if (id_char(c)) {
        size_t start = i;
        while (i < text_.size() && (id_char(text_[i]) || text_[i] == ':')) ++i;
        tokens_.push_back({Token::Type::word, std::string(text_.substr(start, i - start)), start + 1});
      } else {
        fail(i + 1, std::string("unexpected character '") + c + "'");
      }
    }
    tokens_.push_back({Token::Type::end, "end of expression", text_.size() + 1});
  }

  const Token& peek() const { return tokens_[pos_]; }
  bool at_operator(std::string_view op) const {
    return peek().type == Token::Type::word && iequals(peek().text, op);
  }
  static bool is_operator(std::string_view w) {
    return iequals(w, "AND") || iequals(w, "OR") || iequals(w, "WITH");
  }

  NodePtr binary(bool is_and, NodePtr left, NodePtr right) {
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::conjunction;
    n->is_and = is_and;
    n->left = std::move(left);
    n->right = std::move(right);
    return n;
  }

  NodePtr parse_or() {
    NodePtr left = parse_and();
    if (!at_operator("OR")) return left;
    ++pos_;
    return binary(false, left, parse_or());
  }

  NodePtr parse_and() {
    NodePtr left = parse_atom();
    if (!at_operator("AND")) return left;
    ++pos_;
    return binary(true, left, parse_and());
  }

  NodePtr parse_atom() {
    const Token& t = peek();
    if (t.type == Token::Type::open) {
      ++pos_;
      NodePtr inner = parse_or();
      if (peek().type != Token::Type::close) {
        fail(peek().column, "expected ')' to close the '(' at column " + std::to_string(t.column) +
                                ", found " + describe(peek()));
      }
      ++pos_;
      return inner;
    }
    if (t.type != Token::Type::word || is_operator(t.text)) {
      fail(t.column, "expected a license id, found " + describe(t));
    }
    ++pos_;
    auto n = std::make_shared<Node>();
    n->license = reference(t);
    if (peek().type == Token::Type::plus) {
      if (n->license.find("LicenseRef-") != std::string::npos) fail(peek().column, "'+' cannot follow a LicenseRef");
      n->plus = true;
      ++pos_;
    }
    if (at_operator("WITH")) {
      ++pos_;
      const Token& e = peek();
      if (e.type != Token::Type::word || is_operator(e.text) || e.text.find(':') != std::string::npos) {
        fail(e.column, "expected a license exception id after WITH, found " + describe(e));
      }
      n->exception = e.text;
      ++pos_;
    }
    return n;
  }

  std::string reference(const Token& t) const {
    const std::string& w = t.text;
    size_t colon = w.find(':');
    if (colon == std::string::npos) {
      if (w.rfind("LicenseRef-", 0) == 0 && w.size() == 11) fail(t.column + 11, "expected an idstring after LicenseRef-");
      return w;
    }
    if (w.rfind("DocumentRef-", 0) != 0 || colon == 12) {
      fail(t.column + colon, "':' is only allowed in DocumentRef-ID:LicenseRef-ID");
    }
    std::string rest = w.substr(colon + 1);
    if (rest.rfind("LicenseRef-", 0) != 0 || rest.size() == 11 || rest.find(':') != std::string::npos) {
      fail(t.column + colon + 1, "expected LicenseRef-ID after '" + w.substr(0, colon + 1) + "'");
    }
    return w;
  }

  static std::string describe(const Token& t) {
    return t.type == Token::Type::end ? "end of expression" : "'" + t.text + "'";
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

int precedence(const Node& n) {
  if (n.kind == Node::Kind::license) return 3;
  return n.is_and ? 2 : 1;
}

void collect(const Node& n, std::vector<const Node*>& out) {
  if (n.kind == Node::Kind::license) {
    out.push_back(&n);
    return;
  }
  collect(*n.left, out);
  collect(*n.right, out);
}

}  // namespace

NodePtr parse(std::string_view expression) { return Parser(expression).parse_all(); }

std::string to_string(const Node& n) {
  if (n.kind == Node::Kind::license) {
    std::string s = n.license + (n.plus ? "+" : "");
    if (!n.exception.empty()) s += " WITH " + n.exception;
    return s;
  }
  // Right grouping is implied; a left operand of equal precedence needs parentheses.
  auto side = [&](const Node& c, bool left) {
    std::string s = to_string(c);
    bool paren = precedence(c) < precedence(n) || (left && precedence(c) == precedence(n));
    return paren ? "(" + s + ")" : s;
  };
  return side(*n.left, true) + (n.is_and ? " AND " : " OR ") + side(*n.right, false);
}

nlohmann::json to_json(const Node& n) {
  if (n.kind == Node::Kind::license) {
    nlohmann::json j{{"license", n.license}};
    if (n.plus) j["plus"] = true;
    if (!n.exception.empty()) j["exception"] = n.exception;
    return j;
  }
  return {{"left", to_json(*n.left)}, {"conjunction", n.is_and ? "and" : "or"}, {"right", to_json(*n.right)}};
}

std::vector<const Node*> leaves(const Node& node) {
  std::vector<const Node*> out;
  collect(node, out);
  return out;
}

}  // namespace hallmark::policy::spdx
