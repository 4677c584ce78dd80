// MathSim: later problems are rated harder by their row's place in the file,
// a row the bench drops keeps its place, and answers grade as meant.
#include "math/math_sim.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "process.h"
#include "rows/offline_query.h"

using namespace qdrift;

TEST_CASE("the math sims rate problems by their place in the contest", "[benches][sim]") {
  const Bench* bench = find_bench("aime_2026");
  const std::unique_ptr<BenchSim> sim = make_math_sim(MathContest::kAime, 2026);
  CHECK(sim->bench_name() == "aime_2026");
  CHECK(make_math_sim(MathContest::kHmmtFeb, 2025)->bench_name() == "hmmt_feb_2025");
  auto rated = sim->items(*bench, rows::offline_query(rows::kTestDataDir).data);
  REQUIRE(rated.ok());
  REQUIRE(rated->size() == 4);
  for (std::size_t i = 0; i < 4; ++i) CHECK((*rated)[i].difficulty == Approx(0.5 + 0.5 * static_cast<double>(i) / 4));
  const Item& item = rated->front().item;
  CHECK(bench->score(item, {sim->write_answer(item, item.prompt, true, 1), "", "stop"}).correct);
  CHECK_FALSE(bench->score(item, {sim->write_answer(item, item.prompt, false, 1), "", "stop"}).correct);
}

TEST_CASE("a math row the bench drops as ungradable still counts in the others' places", "[benches][sim]") {
  const testing::TempDir dir;
  std::filesystem::create_directories(dir.file("math"));
  testing::write_text(dir.file("math/aime_2026.jsonl"),
                      "{\"problem\": \"One?\", \"answer\": \"1\"}\n"
                      "{\"problem\": \"Bell?\", \"answer\": \"\\u0007x\"}\n"
                      "{\"problem\": \"Three?\", \"answer\": \"3\"}\n");
  const Bench* bench = find_bench("aime_2026");
  auto rated = make_math_sim(MathContest::kAime, 2026)->items(*bench, rows::offline_query(dir.path()).data);
  REQUIRE(rated.ok());
  REQUIRE(rated->size() == 2);
  CHECK((*rated)[0].difficulty == Approx(0.5));
  CHECK((*rated)[1].item.answer == "3");
  CHECK((*rated)[1].difficulty == Approx(0.5 + 0.5 * 2.0 / 3));
}
