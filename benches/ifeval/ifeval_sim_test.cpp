// IfevalSim: difficulty grows with an item's instruction count (capped at 1);
// an item whose instructions cannot be read is rated neutral.
#include "ifeval/ifeval_sim.h"

#include <catch2/catch.hpp>

#include "test_items.h"

using namespace qdrift;
using qdrift::testing::item_of;

TEST_CASE("the ifeval sim rates items by their number of instructions", "[ifeval][sim]") {
  const std::unique_ptr<BenchSim> sim = make_ifeval_sim();
  CHECK(sim->bench_name() == "ifeval");
  const std::string one = R"([{"id":"punctuation:no_comma","kwargs":{}}])";
  std::string five = "[";
  for (int i = 0; i < 5; ++i) five += std::string(i ? "," : "") + R"({"id":"punctuation:no_comma","kwargs":{}})";
  five += "]";
  CHECK(sim->difficulty(item_of("ifeval-1", "Say hi.", one)) == Approx(0.35));
  CHECK(sim->difficulty(item_of("ifeval-5", "Say hi.", five)) == 1.0);
  CHECK(sim->difficulty(item_of("ifeval-x", "Say hi.", "not json")) == 0.5);
  CHECK(sim->write_answer(item_of("ifeval-x", "Say hi.", "not json"), "Say hi.", true, 0).empty());
}
