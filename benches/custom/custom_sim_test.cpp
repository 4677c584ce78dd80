// CustomSim: built only for custom benches, from the bench's own spec; its
// answers round-trip through the bench's score() (custom_bench_test.cpp covers
// every phrasing and answer type).
#include "custom/custom_sim.h"

#include <catch2/catch.hpp>

#include "custom/custom_bench.h"
#include "custom/custom_spec.h"
#include "test_items.h"

using namespace qdrift;
using qdrift::testing::item_of;

TEST_CASE("a custom sim is built from a custom bench's spec and from nothing else", "[custom][sim]") {
  CHECK(make_custom_sim(*find_bench("arith")) == nullptr);
  CHECK(custom::spec_of(*find_bench("arith")) == nullptr);
  auto bench = load_custom_bench(std::string(QDRIFT_SOURCE_DIR) + "/examples/tradequiz/tradecalc.json");
  REQUIRE(bench.ok());
  REQUIRE(custom::spec_of(**bench));
  CHECK(custom::spec_of(**bench)->name == (*bench)->name());
  const std::unique_ptr<BenchSim> sim = make_custom_sim(**bench);
  REQUIRE(sim);
  CHECK(sim->bench_name() == (*bench)->name());
  CHECK(sim->difficulty(item_of("x", "p", "1")) == 0.5);  // a spec says nothing about how hard an item is
  auto items = (*bench)->items({Tier::kSmoke, 0, {}});
  REQUIRE(items.ok());
  const Item& item = items->front();
  CHECK(sim->key(item.prompt) == item.prompt);
  CHECK((*bench)->score(item, {sim->write_answer(item, item.prompt, true, 9), "", "stop"}).correct);
  CHECK_FALSE((*bench)->score(item, {sim->write_answer(item, item.prompt, false, 9), "", "stop"}).correct);
}
