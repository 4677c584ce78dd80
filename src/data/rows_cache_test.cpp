// Cache files: round trip, the canonical sha256, safe paths, and one-line
// errors (naming the file and the re-pull command) for every kind of damage.
#include "data/rows_cache.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "process.h"
#include "util/files.h"

using namespace qdrift;
using nlohmann::json;
using qdrift::testing::TempDir;

namespace {

DatasetSource toy_source() {
  DatasetSource source;
  source.bench = "toy";
  source.dataset = "acme/toy-set";
  source.config = "main";
  source.split = "test";
  return source;
}

std::vector<json> toy_rows() {
  return {json{{"q", "one, \"two\"\nthree"}, {"n", 1}}, json{{"q", "é"}, {"n", 2.5}, {"list", {1, 2}}}};
}

}  // namespace

TEST_CASE("cache path nests dataset config and split and refuses escapes", "[dataset]") {
  auto path = rows_cache_path("/c", toy_source());
  REQUIRE(path.ok());
  CHECK(*path == "/c/datasets/acme/toy-set/main/test.json");
  for (const auto& [dataset, config, split] :
       std::vector<std::tuple<std::string, std::string, std::string>>{{"../x", "main", "test"},
                                                                      {"a/b/c", "main", "test"},
                                                                      {"a/b", "..", "test"},
                                                                      {"a/b", "main", "te/st"},
                                                                      {"a/b", "", "test"},
                                                                      {"a/b", "main", "t\nx"}}) {
    DatasetSource source = toy_source();
    source.dataset = dataset;
    source.config = config;
    source.split = split;
    CHECK_FALSE(rows_cache_path("/c", source).ok());
  }
}

TEST_CASE("rows sha256 ignores key order and sees any change", "[dataset]") {
  const std::string reference = rows_sha256({json::parse(R"({"a":1,"b":"x"})")});
  CHECK(rows_sha256({json::parse(R"({"b":"x","a":1})")}) == reference);
  CHECK(rows_sha256({json::parse(R"({"a":1,"b":"y"})")}) != reference);
  CHECK(rows_sha256({json::parse(R"({"a":"1","b":"x"})")}) != reference);  // a string is not a number
  CHECK(rows_sha256({}) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("cache round trip keeps rows and stamps schema source and sha", "[dataset]") {
  TempDir dir;
  const std::string path = dir.file("c.json");
  REQUIRE(write_rows_cache(path, toy_source(), toy_rows(), "2026-01-02T03:04:05Z").ok());
  auto cached = read_rows_cache(path, toy_source());
  INFO(cached.status().message());
  REQUIRE(cached.ok());
  CHECK(cached->rows == toy_rows());
  CHECK(cached->sha256 == rows_sha256(toy_rows()));
  CHECK(cached->fetched_at == "2026-01-02T03:04:05Z");

  const json file = json::parse(*read_file(path));
  CHECK(file["schema"] == 1);
  CHECK(file["source"] == json{{"dataset", "acme/toy-set"}, {"config", "main"}, {"split", "test"}});
  CHECK(file["num_rows"] == 2);
  CHECK(file["sha256"] == cached->sha256);
}

TEST_CASE("cache damage is one line naming the file and the re-pull", "[dataset]") {
  TempDir dir;
  const std::string path = dir.file("c.json");
  REQUIRE(write_rows_cache(path, toy_source(), toy_rows(), "t").ok());
  const std::string good = *read_file(path);
  auto error_after = [&](const std::string& text, const DatasetSource& source = toy_source()) {
    REQUIRE(write_file_atomically(path, text).ok());
    auto cached = read_rows_cache(path, source);
    REQUIRE_FALSE(cached.ok());
    const std::string& message = cached.status().message();
    CHECK(message.rfind(path + ": ", 0) == 0);
    CHECK(message.find("run `qdrift data pull --bench toy` to fetch it again") != std::string::npos);
    CHECK(message.find('\n') == std::string::npos);
    return message;
  };
  std::string edited = good;
  edited.replace(edited.find("three"), 5, "THREE");  // same length, still valid JSON
  CHECK(error_after(edited).find("sha256 mismatch") != std::string::npos);
  CHECK(error_after(good.substr(0, good.size() / 2)).find("not JSON") != std::string::npos);
  std::string newer = good;
  newer.replace(newer.find("\"schema\":1"), 10, "\"schema\":9");
  CHECK(error_after(newer).find("newer qdrift (schema 9") != std::string::npos);
  CHECK(error_after("[]").find("no schema") != std::string::npos);
  DatasetSource other = toy_source();
  other.split = "train";
  REQUIRE(write_rows_cache(path, toy_source(), toy_rows(), "t").ok());
  CHECK(error_after(good, other).find("rather than acme/toy-set (main/train)") != std::string::npos);
}
