// MmluProSim: difficulty grows with the options a prompt lists, and a wrong
// answer is another of the shown letters.
#include "mmlu_pro/mmlu_pro_sim.h"

#include <catch2/catch.hpp>

#include "mmlu_pro/mmlu_pro.h"
#include "rows/offline_query.h"
#include "test_items.h"

using namespace qdrift;
using qdrift::testing::item_of;

TEST_CASE("the mmlu_pro sim rates items by their number of options", "[benches][sim]") {
  const std::unique_ptr<BenchSim> sim = make_mmlu_pro_sim();
  CHECK(mmlu_pro::option_count("Question: q\nOptions:\nA. one\nB. two\nC. three\n") == 3);
  CHECK(mmlu_pro::option_count("no options here") == 0);
  CHECK(sim->difficulty(item_of("x", "Question: q\nOptions:\nA. one\nB. two\nC. three\n", "A")) == Approx(0.42));
  const Bench* bench = find_bench("mmlu_pro");
  auto items = bench->items(rows::offline_query(rows::kTestDataDir));
  REQUIRE(items.ok());
  for (const Item& item : *items) {
    const std::size_t options = mmlu_pro::option_count(item.prompt);
    CHECK(options >= 2);
    CHECK(sim->difficulty(item) == Approx(0.3 + 0.04 * static_cast<double>(options)));
    const std::string wrong = sim->write_answer(item, item.prompt, false, 5);
    const Score score = bench->score(item, {wrong, "", "stop"});
    CHECK_FALSE(score.correct);
    CHECK(score.answer[0] < static_cast<char>('A' + options));
  }
}
