#include <catch2/catch.hpp>

#include "common/error.h"
#include "safety_probes/csv.h"

using hallmark::InputError;
using hallmark::safety_probes::parse_csv;

TEST_CASE("csv: quoted fields keep commas, quotes and newlines") {
  auto t = parse_csv("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"line1\nline2\"\nplain,,last\n", "f.csv");
  REQUIRE(t.header == std::vector<std::string>{"a", "b", "c"});
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0] == std::vector<std::string>{"x, y", "say \"hi\"", "line1\nline2"});
  CHECK(t.rows[1] == std::vector<std::string>{"plain", "", "last"});
  CHECK(t.row_lines == std::vector<size_t>{2, 4});
}

TEST_CASE("csv: CRLF line ends, a byte order mark and no final newline") {
  auto t = parse_csv("\xEF\xBB\xBFgoal,target\r\nDo X,Sure\r\n\r\n\"Do, Y\",Ok", "f.csv");
  CHECK(t.header == std::vector<std::string>{"goal", "target"});
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0] == std::vector<std::string>{"Do X", "Sure"});
  CHECK(t.rows[1] == std::vector<std::string>{"Do, Y", "Ok"});
}

TEST_CASE("csv: an empty last field and a trailing comma") {
  auto t = parse_csv("a,b\n1,\n", "f.csv");
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0] == std::vector<std::string>{"1", ""});
}

TEST_CASE("csv: column lookup is case-insensitive and names the file when missing") {
  auto t = parse_csv("Prompt,Label\nx,safe\n", "probes.csv");
  CHECK(t.find_column("prompt") == 0u);
  CHECK(t.column("label", "XSTest") == 1u);
  CHECK_THROWS_WITH(t.column("type", "XSTest prompt,type,label"),
                    "probes.csv: missing column 'type' (XSTest prompt,type,label layout)");
}

TEST_CASE("csv: malformed input is one line naming file and line") {
  CHECK_THROWS_WITH(parse_csv("a,b\n\"open,x\n", "f.csv"), "f.csv:2: unterminated quoted field");
  CHECK_THROWS_WITH(parse_csv("a,b\n\"q\"x,y\n", "f.csv"),
                    "f.csv:2: unexpected character after closing quote");
  CHECK_THROWS_WITH(parse_csv("a,b\n1,2,3\n", "f.csv"),
                    "f.csv:2: row has 3 fields, the header has 2");
  CHECK_THROWS_AS(parse_csv("", "f.csv"), InputError);
  CHECK_THROWS_AS(parse_csv("\n\n", "f.csv"), InputError);
}
