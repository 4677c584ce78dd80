// find_bench_sim: every built-in bench has a sim, a registered custom bench
// gets one built from its spec, and an unknown name has none.
#include <catch2/catch.hpp>

#include "qdrift/bench_sim.h"

using namespace qdrift;

TEST_CASE("every built-in bench has a sim named for it", "[sim]") {
  REQUIRE(register_custom_benches({}).ok());
  for (const Bench* bench : all_benches()) {
    const BenchSim* sim = find_bench_sim(bench->name());
    INFO(bench->name());
    REQUIRE(sim);
    CHECK(sim->bench_name() == bench->name());
  }
  CHECK(find_bench_sim("nosuch") == nullptr);
}

TEST_CASE("a registered custom bench gets a sim that answers from its spec", "[sim][custom]") {
  const std::string spec = std::string(QDRIFT_SOURCE_DIR) + "/examples/tradequiz/tradequiz.json";
  REQUIRE(register_custom_benches({spec}).ok());
  const Bench* bench = find_bench("tradequiz");
  REQUIRE(bench);
  const BenchSim* sim = find_bench_sim("tradequiz");
  REQUIRE(sim);
  CHECK(find_bench_sim("tradequiz") == sim);  // built once
  CHECK(sim->bench_name() == "tradequiz");
  auto items = bench->items({Tier::kSmoke, 0, {}});
  REQUIRE(items.ok());
  const Item& item = items->front();
  CHECK(bench->score(item, {sim->write_answer(item, item.prompt, true, 3), "", "stop"}).correct);
  CHECK_FALSE(bench->score(item, {sim->write_answer(item, item.prompt, false, 3), "", "stop"}).correct);
  // Registered again, the bench is another object (another spec, maybe): so is its sim.
  REQUIRE(register_custom_benches({spec}).ok());
  CHECK(find_bench_sim("tradequiz") != nullptr);
  CHECK(find_bench_sim("tradequiz") != sim);
  REQUIRE(register_custom_benches({}).ok());
  CHECK(find_bench_sim("tradequiz") == nullptr);
}
