// GpqaSim: the index holds seed-0 items, so an item is found by its question
// whatever seed shuffled its choices, and the answer follows the shuffle.
#include "gpqa/gpqa_sim.h"

#include <catch2/catch.hpp>

#include "gpqa/gpqa.h"
#include "rows/offline_query.h"

using namespace qdrift;

TEST_CASE("the gpqa sim finds an item whatever the seed's choice order", "[benches][sim]") {
  const Bench* gpqa = find_bench("gpqa");
  const std::unique_ptr<BenchSim> sim = make_gpqa_sim();
  auto seed0 = *gpqa->items(rows::offline_query(rows::kTestDataDir, Tier::kFull, 0));
  auto seed7 = *gpqa->items(rows::offline_query(rows::kTestDataDir, Tier::kFull, 7));
  REQUIRE(seed0.size() == seed7.size());
  for (std::size_t i = 0; i < seed0.size(); ++i) {
    CHECK(sim->key(seed0[i].prompt) == sim->key(seed7[i].prompt));
    CHECK(sim->key(seed0[i].prompt).find("\n\nA) ") == std::string::npos);
    CHECK(sim->difficulty(seed0[i]) == 0.7);
    // The sim holds the seed-0 item and answers a seed-7 prompt: the letter must follow the shuffle.
    for (std::uint64_t noise : {0ull, 256ull}) {
      CHECK(gpqa->score(seed7[i], {sim->write_answer(seed0[i], seed7[i].prompt, true, noise), "", "stop"}).correct);
      CHECK_FALSE(
          gpqa->score(seed7[i], {sim->write_answer(seed0[i], seed7[i].prompt, false, noise), "", "stop"}).correct);
    }
  }
  CHECK(gpqa::shown_choices("Q?\n\nA) a\nB) b\nC) c\nD) d") == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(gpqa::shown_choices("Q? no choices").empty());
}
