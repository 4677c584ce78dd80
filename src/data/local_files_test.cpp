// Local files in their published formats. The conformance cases read the public
// copies in QDRIFT_SHARED_DATA at run time (nothing of them is copied here) and
// pass with a warning when that folder is absent.
#include "data/local_files.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "process.h"

using namespace qdrift;
using nlohmann::json;

namespace {

bool shared_data_present() {
  std::error_code ec;
  if (std::filesystem::is_directory(QDRIFT_SHARED_DATA, ec)) return true;
  WARN("skipped: no shared data folder at " QDRIFT_SHARED_DATA);
  return false;
}

// Loads through load_rows with the network off, as `run --data-dir` would.
std::vector<json> load_shared(const std::string& file, LocalFormat format = LocalFormat::kJsonl) {
  qdrift::testing::TempDir cache;
  DatasetSource source;
  source.bench = "conformance";
  source.dataset = "shared/data";
  source.config = "default";
  source.split = "test";
  source.local_file = file;
  source.local_format = format;
  DataOptions options;
  options.data_dir = QDRIFT_SHARED_DATA;
  options.cache_dir = cache.path();
  options.allow_network = false;
  auto loaded = load_rows(source, options);
  INFO(loaded.status().message());
  REQUIRE(loaded.ok());
  CHECK(loaded->origin == RowsOrigin::kDataDir);
  CHECK(loaded->sha256 == rows_sha256(loaded->rows));
  return std::move(loaded)->rows;
}

bool non_empty_string(const json& row, const char* key) {
  return row.contains(key) && row[key].is_string() &&
         row[key].get<std::string>().find_first_not_of(" \t\r\n") != std::string::npos;
}

}  // namespace

TEST_CASE("local file found as declared or flat and read by format", "[dataset]") {
  qdrift::testing::TempDir dir;
  DatasetSource source;
  source.local_file = "sub/rows.csv";
  CHECK_FALSE(find_local_file(dir.path(), source));
  CHECK_FALSE(find_local_file("", source));
  qdrift::testing::write_text(dir.file("rows.csv"), "a,b\n1,\"2\"\n");
  REQUIRE(find_local_file(dir.path(), source) == dir.file("rows.csv"));
  auto rows = read_local_rows(dir.file("rows.csv"), LocalFormat::kCsv);
  REQUIRE(rows.ok());
  CHECK(rows->at(0) == json{{"a", "1"}, {"b", "2"}});
  auto missing = read_local_rows(dir.file("nope.jsonl"), LocalFormat::kJsonl);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message().find(dir.file("nope.jsonl")) == 0);
}

TEST_CASE("conformance gpqa diamond csv has 198 complete questions", "[dataset]") {
  if (!shared_data_present()) return;
  std::vector<json> rows = load_shared("gpqa/gpqa_diamond.csv", LocalFormat::kCsv);
  REQUIRE(rows.size() == 198);
  for (const json& row : rows) {
    REQUIRE(row.size() == 78);
    for (const char* key :
         {"Question", "Correct Answer", "Incorrect Answer 1", "Incorrect Answer 2", "Incorrect Answer 3"}) {
      INFO(key);
      REQUIRE(non_empty_string(row, key));
    }
  }
}

TEST_CASE("conformance gsm8k test jsonl has 1319 problems with a final answer", "[dataset]") {
  if (!shared_data_present()) return;
  std::vector<json> rows = load_shared("gsm8k/test.jsonl");
  REQUIRE(rows.size() == 1319);
  for (const json& row : rows) {
    REQUIRE(non_empty_string(row, "question"));
    REQUIRE(non_empty_string(row, "answer"));
    REQUIRE(row["answer"].get<std::string>().find("#### ") != std::string::npos);
  }
}

TEST_CASE("conformance humaneval jsonl has 164 tasks", "[dataset]") {
  if (!shared_data_present()) return;
  std::vector<json> rows = load_shared("humaneval/HumanEval.jsonl");
  REQUIRE(rows.size() == 164);
  for (const json& row : rows) {
    for (const char* key : {"task_id", "prompt", "entry_point", "test"}) REQUIRE(non_empty_string(row, key));
  }
}

TEST_CASE("conformance ifeval input data has 541 prompts", "[dataset]") {
  if (!shared_data_present()) return;
  std::vector<json> rows = load_shared("ifeval/input_data.jsonl");
  REQUIRE(rows.size() == 541);
  for (const json& row : rows) {
    REQUIRE(non_empty_string(row, "prompt"));
    REQUIRE(row["instruction_id_list"].is_array());
    REQUIRE(row["kwargs"].is_array());
    REQUIRE(row["kwargs"].size() == row["instruction_id_list"].size());
  }
}

TEST_CASE("conformance math jsonl files have 30 30 30 and 33 problems", "[dataset]") {
  if (!shared_data_present()) return;
  const std::vector<std::pair<std::string, std::size_t>> files = {{"math/aime_2025.jsonl", 30},
                                                                  {"math/aime_2026.jsonl", 30},
                                                                  {"math/hmmt_feb_2025.jsonl", 30},
                                                                  {"math/hmmt_feb_2026.jsonl", 33}};
  for (const auto& [file, count] : files) {
    INFO(file);
    std::vector<json> rows = load_shared(file);
    REQUIRE(rows.size() == count);
    for (const json& row : rows) {
      REQUIRE(non_empty_string(row, "problem"));
      REQUIRE(row.contains("answer"));
    }
  }
}
