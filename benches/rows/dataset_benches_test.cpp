// The dataset benches over the synthetic files in tests/data (always) and the
// public copies in ../shared/data (conformance; skipped when absent): every
// item's right answer, as the simulator writes it, scores right and a wrong one
// wrong; tiers, shuffles and bad rows behave as documented.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>

#include "gpqa/gpqa.h"
#include "qdrift/bench.h"
#include "qdrift/bench_sim.h"
#include "rows/offline_query.h"

using namespace qdrift;

namespace {

const std::vector<std::string> kDatasetBenches = {"gsm8k",     "mmlu_pro",      "gpqa",     "aime_2026",
                                                  "aime_2025", "hmmt_feb_2026", "hmmt_feb_2025"};


// Right answers score right and wrong ones wrong, in every wording the sim uses.
void check_round_trip(const Bench& bench, const std::vector<Item>& items, int* checked) {
  const BenchSim* sim = find_bench_sim(bench.name());
  REQUIRE(sim);
  for (const Item& item : items)
    for (std::uint64_t noise : {0ull, 1ull, 256ull, 257ull, 515ull}) {
      const ChatResponse right{sim->write_answer(item, item.prompt, true, noise), "", "stop"};
      const ChatResponse wrong{sim->write_answer(item, item.prompt, false, noise), "", "stop"};
      const Score r = bench.score(item, right), w = bench.score(item, wrong);
      INFO(bench.name() << " " << item.id << " gold " << item.answer << ": " << right.content << " -> " << r.explanation
                        << " | " << wrong.content << " -> " << w.explanation);
      CHECK(r.correct);
      CHECK_FALSE(w.correct);
      ++*checked;
    }
}

const std::string& kTestData = rows::kTestDataDir;

}  // namespace

TEST_CASE("dataset benches read the synthetic test files and grade their own answers", "[benches]") {
  for (const std::string& name : kDatasetBenches) {
    const Bench* bench = find_bench(name);
    REQUIRE(bench);
    auto items = bench->items(rows::offline_query(kTestData));
    INFO(name << ": " << (items.ok() ? "" : items.status().message()));
    REQUIRE(items.ok());
    CHECK(items->size() >= 4);
    std::set<std::string> ids;
    for (const Item& item : *items) ids.insert(item.id);
    CHECK(ids.size() == items->size());
    int checked = 0;
    check_round_trip(*bench, *items, &checked);
  }
}

TEST_CASE("gpqa shuffles choices per seed and records the order", "[benches]") {
  const Bench* gpqa = find_bench("gpqa");
  auto seed0 = *gpqa->items(rows::offline_query(kTestData, Tier::kFull, 0));
  auto seed7 = *gpqa->items(rows::offline_query(kTestData, Tier::kFull, 7));
  REQUIRE(seed0.size() == seed7.size());
  int reordered = 0;
  for (std::size_t i = 0; i < seed0.size(); ++i) {
    CHECK(seed0[i].id == seed7[i].id);
    reordered += seed0[i].prompt != seed7[i].prompt;
  }
  CHECK(reordered > 0);
  // The order is recorded with the item: which dataset answer each letter shows.
  CHECK(seed7[0].detail.rfind("choices A=", 0) == 0);
  CHECK(seed7[0].detail.find("=C") != std::string::npos);
  CHECK(gpqa::choice_order("x", 1).size() == 4);
}

TEST_CASE("mmlu_pro tiers: full is everything and standard a reweighted slice per category", "[benches]") {
  const Bench* mmlu = find_bench("mmlu_pro");
  auto full = *mmlu->items(rows::offline_query(kTestData, Tier::kFull));
  auto standard = *mmlu->items(rows::offline_query(kTestData, Tier::kStandard, 3));
  CHECK(full.size() == 12);
  CHECK(standard.size() == 3);  // round(0.3 x 4) = 1 of each of 3 categories
  double weight = 0;
  for (const Item& item : standard) weight += item.weight;
  CHECK(weight == Approx(12));
  std::set<std::string> strata;
  for (const Item& item : standard) strata.insert(item.stratum);
  CHECK(strata.size() == 3);
}

TEST_CASE("a malformed dataset row is one line naming the file row and field", "[benches]") {
  const std::string dir = std::filesystem::temp_directory_path() / "qdrift-bad-rows";
  std::filesystem::create_directories(dir + "/gsm8k");
  std::ofstream(dir + "/gsm8k/test.jsonl") << R"({"question":"q1","answer":"1\n#### 1"})" "\n"
                                           << R"({"question":"q2"})" "\n";
  auto items = find_bench("gsm8k")->items(rows::offline_query(dir));
  REQUIRE_FALSE(items.ok());
  CHECK(items.status().message() == dir + "/gsm8k/test.jsonl: row 2: field 'answer' is missing");
  std::ofstream(dir + "/gsm8k/test.jsonl") << R"({"question":"q1","answer":"no final line"})" "\n";
  CHECK(find_bench("gsm8k")->items(rows::offline_query(dir)).status().message() ==
        dir + "/gsm8k/test.jsonl: row 1: field 'answer' has no '#### N' final line");
  std::filesystem::remove_all(dir);
}

TEST_CASE("conformance: every public gold answer scores right as the sim writes it and a wrong one wrong", "[benches][conformance]") {
  const std::string shared = QDRIFT_SHARED_DATA;
  if (!std::filesystem::exists(shared)) {
    WARN("skipped: " << shared << " is absent");
    return;
  }
  const std::map<std::string, std::size_t> expected = {{"gsm8k", 1319},    {"gpqa", 198},          {"aime_2025", 30},
                                                       {"aime_2026", 30},  {"hmmt_feb_2025", 30}, {"hmmt_feb_2026", 33}};
  for (const auto& [name, count] : expected) {
    const Bench* bench = find_bench(name);
    auto items = bench->items(rows::offline_query(shared));
    INFO(name << ": " << (items.ok() ? "" : items.status().message()));
    REQUIRE(items.ok());
    CHECK(items->size() == count);  // no item dropped as ungradable
    int checked = 0;
    check_round_trip(*bench, *items, &checked);
    CHECK(checked == static_cast<int>(5 * count));
  }
}
