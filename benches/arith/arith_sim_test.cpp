// ArithSim: any seed's prompt is recognised with its answer and difficulty,
// the difficulties spread from easy to hard, and written answers grade as meant.
#include "arith/arith_sim.h"

#include <catch2/catch.hpp>

#include "arith/arith.h"
#include "test_items.h"

using namespace qdrift;
using qdrift::testing::item_of;

TEST_CASE("the arith sim recognises its prompts and its answers score as intended", "[arith][sim]") {
  const Bench* bench = find_bench("arith");
  const std::unique_ptr<BenchSim> sim = make_arith_sim();
  auto items = bench->items({Tier::kSmoke, 3, {}});
  for (const Item& item : *items) {
    auto recognised = sim->recognise(item.prompt);
    REQUIRE(recognised);
    CHECK(recognised->item.prompt == item.prompt);
    CHECK(recognised->item.answer == item.answer);
    CHECK(recognised->difficulty == sim->difficulty(item));
    for (std::uint64_t noise : {0ull, 257ull, 514ull, 12345ull}) {
      ChatResponse right{sim->write_answer(item, item.prompt, true, noise), "", "stop"};
      ChatResponse wrong{sim->write_answer(item, item.prompt, false, noise), "", "stop"};
      CHECK(bench->score(item, right).correct);
      CHECK_FALSE(bench->score(item, wrong).correct);
    }
  }
  CHECK_FALSE(sim->recognise("What is the capital of France?"));
  CHECK_FALSE(sim->recognise("Compute 3 / 4. Show your working briefly, then give the result on its own line as "
                             "\"The final answer is N\"."));
}

TEST_CASE("arith difficulty follows the expression's shape and spreads over the items", "[arith][sim]") {
  CHECK(arith::difficulty_of("12 + 34") == Approx(0.1));
  CHECK(arith::difficulty_of("512 * 33 - 700 * (12 - 845)") == Approx(0.76));
  const std::unique_ptr<BenchSim> sim = make_arith_sim();
  auto items = find_bench("arith")->items({Tier::kStandard, 7, {}});
  double easiest = 1, hardest = 0;
  for (const Item& item : *items) {
    easiest = std::min(easiest, sim->difficulty(item));
    hardest = std::max(hardest, sim->difficulty(item));
  }
  CHECK(easiest < 0.2);
  CHECK(hardest > 0.7);
  CHECK(sim->difficulty(item_of("x", "not an arith prompt", "1")) == 0.5);
}
