// Gsm8kSim: items are rated by the lines of their reference solution (read
// from the rows, as the item keeps only the number), and answers grade as meant.
#include "gsm8k/gsm8k_sim.h"

#include <catch2/catch.hpp>

#include "rows/offline_query.h"

using namespace qdrift;

TEST_CASE("the gsm8k sim rates items by the length of their reference solution", "[benches][sim]") {
  const Bench* bench = find_bench("gsm8k");
  const std::unique_ptr<BenchSim> sim = make_gsm8k_sim();
  auto rated = sim->items(*bench, rows::offline_query(rows::kTestDataDir).data);
  REQUIRE(rated.ok());
  REQUIRE(rated->size() == 8);
  // tests/data/gsm8k: "12*5=60 rolls.\n60-38=22 left.\n#### 22" has two line breaks, the third item one.
  CHECK((*rated)[0].item.id == "gsm8k-0000");
  CHECK((*rated)[0].difficulty == Approx(2.0 / 8));
  CHECK((*rated)[2].difficulty == Approx(1.0 / 8));
  for (const SimItem& rated_item : *rated) {
    const Item& item = rated_item.item;
    CHECK(bench->score(item, {sim->write_answer(item, item.prompt, true, 257), "", "stop"}).correct);
    CHECK_FALSE(bench->score(item, {sim->write_answer(item, item.prompt, false, 257), "", "stop"}).correct);
  }
  CHECK_FALSE(sim->items(*bench, rows::offline_query("/nonexistent").data).ok());
}
