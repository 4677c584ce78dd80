// HumanEvalSim: difficulty grows with the reference solution's lines (capped
// at 1); an item whose record cannot be read is rated neutral.
#include "humaneval/humaneval_sim.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "test_items.h"

using namespace qdrift;
using qdrift::testing::item_of;

namespace {
Item item_with_solution(const std::string& solution) {
  const nlohmann::json record = {{"task_id", "HumanEval/0"},
                                 {"prompt", "def f():\n"},
                                 {"canonical_solution", solution},
                                 {"test", "def check(candidate):\n    assert candidate() == 1\n"},
                                 {"entry_point", "f"}};
  return item_of("humaneval-0", "Complete f.", record.dump());
}
}  // namespace

TEST_CASE("the humaneval sim rates items by the length of the reference solution", "[humaneval][sim]") {
  const std::unique_ptr<BenchSim> sim = make_humaneval_sim();
  CHECK(sim->bench_name() == "humaneval");
  CHECK(sim->difficulty(item_with_solution("    x = 1\n    return x\n")) == Approx(2.0 / 15));
  std::string long_solution;
  for (int i = 0; i < 20; ++i) long_solution += "    pass\n";
  CHECK(sim->difficulty(item_with_solution(long_solution + "    return 1\n")) == 1.0);
  CHECK(sim->difficulty(item_of("humaneval-9", "Complete g.", "not json")) == 0.5);
  const Item unreadable = item_of("humaneval-9", "Complete g.", "not json");
  CHECK(sim->write_answer(unreadable, "", true, 0) == "I cannot read this problem.");
  CHECK(sim->write_answer(item_with_solution("    return 1\n"), "", true, 0).find("return 1") != std::string::npos);
}
