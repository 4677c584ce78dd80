// CSV parsing: RFC 4180 quoting (commas, doubled quotes and line breaks inside
// quotes), line endings, and errors that name file:line. Synthetic text only.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "data/text_rows.h"

using namespace qdrift;
using nlohmann::json;

namespace {

std::vector<json> parse_ok(std::string_view text) {
  auto rows = parse_csv_rows(text, "t.csv");
  INFO(rows.status().message());
  REQUIRE(rows.ok());
  return std::move(rows).value();
}

std::string parse_error(std::string_view text) {
  auto rows = parse_csv_rows(text, "t.csv");
  REQUIRE_FALSE(rows.ok());
  CHECK(rows.status().kind() == ErrorKind::kBadInput);
  return rows.status().message();
}

}  // namespace

TEST_CASE("csv header row names the keys of each row", "[dataset]") {
  auto rows = parse_ok("id,question,answer\n1,two plus two,4\n2,three,3\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0] == json{{"id", "1"}, {"question", "two plus two"}, {"answer", "4"}});
  CHECK(rows[1]["answer"] == "3");
}

TEST_CASE("csv quoted fields hold commas doubled quotes and line breaks", "[dataset]") {
  const std::string text =
      "q,a\n"
      "\"one, two\",\"say \"\"hi\"\"\"\n"
      "\"line one\nline two\r\nline three\",\"\"\n"
      "plain,\"\"\"\"\n";
  auto rows = parse_ok(text);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0]["q"] == "one, two");
  CHECK(rows[0]["a"] == "say \"hi\"");
  CHECK(rows[1]["q"] == "line one\nline two\r\nline three");  // kept as written
  CHECK(rows[1]["a"] == "");
  CHECK(rows[2]["a"] == "\"");
}

TEST_CASE("csv accepts CRLF a missing final newline empty lines a BOM and a trailing empty field", "[dataset]") {
  auto rows = parse_ok("\xEF\xBB\xBFk,v\r\nx,1\r\n\r\ny,\r\n\nz,3");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].contains("k"));  // not "\xEF\xBB\xBFk"
  CHECK(rows[1]["v"] == "");
  CHECK(rows[2]["v"] == "3");
}

TEST_CASE("csv a record after a multi-line field reports its own line", "[dataset]") {
  // Line 2 opens a quoted field that ends on line 4; the bad record starts on line 5.
  const std::string message = parse_error("a,b\n\"x\ny\nz\",1\nonly-one-field\n");
  CHECK(message == "t.csv:5: 1 fields, but the header has 2");
}

TEST_CASE("csv rejects what RFC 4180 forbids with file and line", "[dataset]") {
  CHECK(parse_error("a,b\n1,2\n\"never closed,3\n4,5\n") == "t.csv:3: a quoted field is never closed");
  CHECK(parse_error("a,b\n1,x\"y\n") == "t.csv:2: a quote inside an unquoted field (quote the whole field)");
  CHECK(parse_error("a,b\n\"x\"y,1\n").find("t.csv:2: text after a closing quote") == 0);
  CHECK(parse_error("a,b\n1,2,3\n") == "t.csv:2: 3 fields, but the header has 2");
  CHECK(parse_error("a,a\n1,2\n") == "t.csv:1: column 'a' twice");
  CHECK(parse_error("") == "t.csv: empty file (a CSV needs a header row)");
}

TEST_CASE("csv rejects bytes that are not UTF-8 naming the line", "[dataset]") {
  CHECK(parse_error("a\nok\n\xC3\x28\n") == "t.csv:3: not valid UTF-8");
  CHECK(parse_error("a\n\xE2\x82\n") == "t.csv:2: not valid UTF-8");      // cut short
  CHECK(parse_error("a\n\xC0\xAF\n") == "t.csv:2: not valid UTF-8");      // overlong '/'
  CHECK(parse_error("a\n\xED\xA0\x80\n") == "t.csv:2: not valid UTF-8");  // a surrogate
  auto rows = parse_ok("a\n\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\n");      // é € 😀
  CHECK(rows[0]["a"] == "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
}
