// The humaneval bench over the synthetic tests/data/humaneval/HumanEval.jsonl (always)
// and the public copy in ../shared/data (conformance; skipped when absent): rows load
// into items that pin their tests, bad rows are one clear line, and every answer the
// simulator writes is graded as intended by a real run in the sandbox.
#include "humaneval/humaneval_bench.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "humaneval/shared_sandbox.h"
#include "qdrift/bench.h"
#include "qdrift/bench_sim.h"
#include "rows/offline_query.h"

using namespace qdrift;

namespace {

const std::string& kTestData = rows::kTestDataDir;


const Bench& bench() {
  const Bench* found = find_bench("humaneval");
  REQUIRE(found);
  return *found;
}

const BenchSim& sim() {
  const BenchSim* found = find_bench_sim("humaneval");
  REQUIRE(found);
  return *found;
}

struct Case {
  const Item* item;
  bool correct;
  std::uint64_t noise;
};

// Scores every case's simulated answer on a few threads (score() is thread-safe, as
// the runner's scoring queue needs); returns a description of each misgraded case.
std::vector<std::string> misgraded(const std::vector<Case>& cases) {
  std::vector<std::string> wrong(cases.size());
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < std::max(2u, std::thread::hardware_concurrency()); ++t)
    threads.emplace_back([&] {
      for (std::size_t i; (i = next++) < cases.size();) {
        const Case& c = cases[i];
        const std::string answer = sim().write_answer(*c.item, c.item->prompt, c.correct, c.noise);
        const Score score = bench().score(*c.item, {answer, "", "stop"});
        if (score.correct != c.correct)
          wrong[i] = c.item->id + (c.correct ? " right" : " wrong") + " answer, noise " + std::to_string(c.noise) +
                     ": " + score.explanation + "\n" + answer;
      }
    });
  for (std::thread& thread : threads) thread.join();
  std::vector<std::string> found;
  for (std::string& w : wrong)
    if (!w.empty()) found.push_back(std::move(w));
  return found;
}

std::vector<Case> every_shape(const std::vector<Item>& items) {
  std::vector<Case> cases;
  for (const Item& item : items) {
    for (std::uint64_t noise : {0ull, 1ull, 2ull}) cases.push_back({&item, true, noise});  // whole, function, body
    for (std::uint64_t noise : {0ull, 1ull}) cases.push_back({&item, false, noise});       // gives up, off by one
  }
  return cases;
}

void write_rows(const std::string& dir, const std::vector<nlohmann::json>& rows) {
  std::filesystem::create_directories(dir + "/humaneval");
  std::ofstream out(dir + "/humaneval/HumanEval.jsonl");
  for (const nlohmann::json& row : rows) out << row.dump() << "\n";
}

nlohmann::json good_row(int number) {
  return {{"task_id", "HumanEval/" + std::to_string(number)},
          {"prompt", "def twice(x):\n    \"\"\"Double x.\"\"\"\n"},
          {"canonical_solution", "    return 2 * x\n"},
          {"test", "def check(candidate):\n    assert candidate(3) == 6\n"},
          {"entry_point", "twice"}};
}

}  // namespace

TEST_CASE("humaneval reads its rows into items that carry the problem and its tests", "[humaneval]") {
  auto items = bench().items(rows::offline_query(kTestData));
  INFO((items.ok() ? "" : items.status().message()));
  REQUIRE(items.ok());
  REQUIRE(items->size() == 5);
  CHECK((*items)[0].id == "humaneval-0");
  CHECK((*items)[4].id == "humaneval-4");
  for (const Item& item : *items) {
    auto problem = humaneval::problem_of(item);
    REQUIRE(problem.ok());
    CHECK(item.prompt.find(problem->prompt) != std::string::npos);  // the signature and docstring are shown
    CHECK(item.prompt.find("```python") != std::string::npos);      // and the answer's shape is asked for
    CHECK(item.prompt.find(problem->test) == std::string::npos);    // the tests are not
    CHECK(bench().chat(item).size() == 1);
  }
  CHECK(bench().items(rows::offline_query(kTestData, Tier::kSmoke))->size() == 5);  // smoke: at most 50
  CHECK(bench().defaults().samples == 1);
  CHECK_FALSE(bench().defaults().think);
  CHECK(bench().sources().front().local_file == "humaneval/HumanEval.jsonl");
  // The tests are part of the pinned item set: changing one changes the sha256.
  std::vector<Item> changed = *items;
  auto record = nlohmann::json::parse(changed[0].answer);
  record["test"] = record["test"].get<std::string>() + "    assert True\n";
  changed[0].answer = record.dump();
  CHECK(items_sha256(changed) != items_sha256(*items));
}

TEST_CASE("humaneval task ids map to item ids and bad rows are one line naming file row and field", "[humaneval]") {
  CHECK(*humaneval::item_id("HumanEval/163") == "humaneval-163");
  CHECK_FALSE(humaneval::item_id("HumanEval/").ok());
  CHECK_FALSE(humaneval::item_id("HumanEval/1 2").ok());

  const std::string dir = std::filesystem::temp_directory_path() / "qdrift-humaneval-rows";
  const std::string file = dir + "/humaneval/HumanEval.jsonl";
  nlohmann::json missing = good_row(1);
  missing.erase("test");
  write_rows(dir, {good_row(0), missing});
  CHECK(bench().items(rows::offline_query(dir)).status().message() == file + ": row 2: field 'test' is missing");
  write_rows(dir, {good_row(0), good_row(0)});
  CHECK(bench().items(rows::offline_query(dir)).status().message() == file + ": row 2: field 'task_id' repeats humaneval-0");
  nlohmann::json odd_entry = good_row(0);
  odd_entry["entry_point"] = "twice(); import os";
  write_rows(dir, {odd_entry});
  CHECK(bench()
            .items(rows::offline_query(dir))
            .status()
            .message()
            .find("row 1: HumanEval record HumanEval/0: entry_point is not an identifier") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("humaneval grades the simulator's answers by running them in the sandbox", "[humaneval]") {
  auto prepared = bench().prepare_scoring({});
  INFO(prepared.status().message());
  REQUIRE(prepared.ok());
  CHECK(prepared->code_execution == "sandboxed");  // bubblewrap works on the machines these tests run on
  auto items = bench().items(rows::offline_query(kTestData));
  REQUIRE(items.ok());
  const std::vector<Case> cases = every_shape(*items);
  for (const std::string& problem : misgraded(cases)) FAIL_CHECK(problem);

  const Item& first = (*items)[0];
  const Score right = bench().score(first, {sim().write_answer(first, first.prompt, true, 0), "", "stop"});
  CHECK(right.answer == "pass");
  CHECK(right.explanation == "passed");
  const Score wrong = bench().score(first, {sim().write_answer(first, first.prompt, false, 0), "", "stop"});
  CHECK(wrong.answer == "fail");
  CHECK(wrong.explanation.rfind("failed: AssertionError", 0) == 0);
  const Score broken = bench().score(first, {"```python\n    return vowel_count\n```", "", "stop"});
  CHECK(broken.explanation == "failed: NameError: name 'vowel_count' is not defined");
  CHECK(bench().score(first, {"", "", "length"}).explanation == "no code in the response");
  // A program that ends the interpreter before the tests run does not pass.
  const Score exits = bench().score(first, {"```python\nimport sys\nsys.exit(0)\n```", "", "stop"});
  CHECK_FALSE(exits.correct);
  CHECK(exits.explanation == "failed: exited before check() returned");
}

TEST_CASE("humaneval conformance: every real item passes with its reference and fails with a wrong answer",
          "[humaneval][conformance]") {
  const std::string shared = QDRIFT_SHARED_DATA;
  if (!std::filesystem::exists(shared + "/humaneval/HumanEval.jsonl")) {
    WARN("skipped: " << shared << "/humaneval/HumanEval.jsonl is absent");
    return;
  }
  auto items = bench().items(rows::offline_query(shared));
  INFO((items.ok() ? "" : items.status().message()));
  REQUIRE(items.ok());
  REQUIRE(items->size() == 164);
  CHECK(bench().items(rows::offline_query(shared, Tier::kSmoke))->size() == 50);
  REQUIRE(bench().prepare_scoring({}).ok());
  const std::vector<Case> cases = every_shape(*items);
  CHECK(cases.size() == 5 * 164);  // three right shapes and two wrong ones per item
  for (const std::string& problem : misgraded(cases)) FAIL_CHECK(problem);
}
