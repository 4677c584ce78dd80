#include "util/json_lines.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

#include "process.h"

using namespace qdrift;
using qdrift::testing::TempDir;
using qdrift::testing::write_text;

TEST_CASE("json lines are visited in order - a torn last line is dropped - a visitor's error stops the read",
          "[json_lines]") {
  TempDir dir;
  const std::string path = dir.file("read");
  write_text(path, "{\"a\":1}\n{\"a\":2}\n{\"a\":");
  std::vector<int> seen;
  auto read = read_json_lines(path, [&](int number, const std::string& text, const nlohmann::json& j) {
    seen.push_back(number * 10 + j["a"].get<int>());
    CHECK(text == j.dump());
    return Status::Ok();
  });
  REQUIRE(read.ok());
  CHECK(seen == std::vector<int>{11, 22});
  CHECK(read->dropped_lines == 1);
  CHECK(read->kept_bytes == 16);
  auto stopped = read_json_lines(path, [](int number, const std::string&, const nlohmann::json&) {
    return number == 2 ? Status::BadInput("line two is wrong") : Status::Ok();
  });
  CHECK(stopped.status().message() == "line two is wrong");
}

TEST_CASE("an appender ends a whole last line that lost its newline before writing", "[json_lines]") {
  TempDir dir;
  const std::string path = dir.file("append");
  write_text(path, "{\"a\":1}");
  JsonLinesAppender appender;
  REQUIRE(appender.open(path, /*append=*/true, std::nullopt, "test file").ok());
  REQUIRE(appender.write("{\"a\":2}").ok());
  appender.close();
  std::ifstream in(path, std::ios::binary);
  CHECK(std::string(std::istreambuf_iterator<char>(in), {}) == "{\"a\":1}\n{\"a\":2}\n");
}
