// JSON Lines parsing: blank lines, CRLF, and errors naming file:line.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "data/text_rows.h"

using namespace qdrift;
using nlohmann::json;

TEST_CASE("jsonl reads one object per line and skips blank lines", "[dataset]") {
  auto rows = parse_jsonl_rows("{\"q\":\"a\",\"n\":1}\n\n   \r\n{\"q\":\"b\",\"n\":[2]}\r\n{\"q\":\"c\"}", "t.jsonl");
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 3);
  CHECK((*rows)[0] == json{{"q", "a"}, {"n", 1}});
  CHECK((*rows)[1]["n"] == json::array({2}));
  CHECK((*rows)[2]["q"] == "c");
}

TEST_CASE("jsonl malformed line is reported with its line number", "[dataset]") {
  auto rows = parse_jsonl_rows("{\"q\":1}\n\n{\"q\":2}\n{\"q\": 3,\n{\"q\":5}\n", "data/x.jsonl");
  REQUIRE_FALSE(rows.ok());
  CHECK(rows.status().kind() == ErrorKind::kBadInput);
  const std::string& message = rows.status().message();
  CHECK(message.rfind("data/x.jsonl:4: invalid JSON: column ", 0) == 0);
  CHECK(message.find("json.exception") == std::string::npos);
  CHECK(message.find('\n') == std::string::npos);
}

// Found by fuzz/dataset_rows_fuzz.cpp: both used to escape as exceptions or broken text.
TEST_CASE("jsonl a number too large and broken utf8 are errors naming the line", "[dataset]") {
  auto huge = parse_jsonl_rows("{\"q\":1}\n{\"q\": 1e999}\n", "t.jsonl");
  REQUIRE_FALSE(huge.ok());
  CHECK(huge.status().message().rfind("t.jsonl:2: invalid JSON: number overflow", 0) == 0);
  auto broken = parse_jsonl_rows("{\"q\": \"caf\xC3\"}\n", "t.jsonl");
  REQUIRE_FALSE(broken.ok());
  const std::string& message = broken.status().message();
  CHECK((message.find("caf\xC3\"") == std::string::npos));  // the broken byte is never quoted as is
  CHECK(broken.status().message().rfind("t.jsonl:1: invalid JSON", 0) == 0);
}

TEST_CASE("jsonl a line that is not an object is an error", "[dataset]") {
  auto rows = parse_jsonl_rows("{\"q\":1}\n[1,2]\n", "t.jsonl");
  REQUIRE_FALSE(rows.ok());
  CHECK(rows.status().message() == "t.jsonl:2: expected a JSON object per line, found array");
}

TEST_CASE("jsonl invalid UTF-8 inside a string is an error naming the line", "[dataset]") {
  auto rows = parse_jsonl_rows("{\"q\":\"ok\"}\n{\"q\":\"\xC3\x28\"}\n", "t.jsonl");
  REQUIRE_FALSE(rows.ok());
  CHECK(rows.status().message().rfind("t.jsonl:2: invalid JSON", 0) == 0);
}

TEST_CASE("jsonl empty text is zero rows", "[dataset]") {
  auto rows = parse_jsonl_rows("", "t.jsonl");
  REQUIRE(rows.ok());
  CHECK(rows->empty());
}
