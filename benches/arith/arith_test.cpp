#include "arith/arith.h"
#include "common/final_number.h"

#include <catch2/catch.hpp>
#include <set>

using namespace qdrift;

TEST_CASE("arith evaluates with precedence and parentheses", "[arith]") {
  CHECK(arith::evaluate("37 * 48 - 129") == 37 * 48 - 129);
  CHECK(arith::evaluate("(120 + 35) * 14 - 999") == (120 + 35) * 14 - 999);
  CHECK(arith::evaluate("512 * 33 - 700 * (12 - 845)") == 512 * 33 - 700 * (12 - 845));
  CHECK(arith::evaluate("-3 * -4") == 12);
  CHECK_FALSE(arith::evaluate("3 +"));
  CHECK_FALSE(arith::evaluate("(3 + 4"));
  CHECK_FALSE(arith::evaluate("3 / 4"));
}

TEST_CASE("arith extracts the final number", "[arith]") {
  using scoring::extract_final_number;
  CHECK(extract_final_number("2 + 3 = 5, then 5 * 2 = 10.\nThe final answer is 10.") == "10");
  CHECK(extract_final_number("The final answer is 7. Wait, 8 was a typo? 9") == "7");
  CHECK(extract_final_number("The final answer is **-1,234**") == "-1234");
  CHECK(extract_final_number("#### $1,000") == "1000");
  CHECK(extract_final_number("first 12 then 13.") == "13");
  CHECK(extract_final_number("The Final Answer Is: 42") == "42");
  CHECK_FALSE(extract_final_number("no digits here"));
}

TEST_CASE("arith items are deterministic per seed and unique", "[arith]") {
  const Bench* bench = find_bench("arith");
  REQUIRE(bench != nullptr);
  auto standard = bench->items({Tier::kStandard, 7, {}});
  auto again = bench->items({Tier::kStandard, 7, {}});
  auto other_seed = bench->items({Tier::kStandard, 8, {}});
  auto smoke = bench->items({Tier::kSmoke, 7, {}});
  REQUIRE(standard.ok());
  CHECK(standard->size() == 400);
  CHECK(smoke->size() == 50);
  CHECK(items_sha256(*standard) == items_sha256(*again));
  CHECK(items_sha256(*standard) != items_sha256(*other_seed));
  CHECK((*smoke)[10].prompt == (*standard)[10].prompt);  // smoke is a fixed slice of standard
  std::set<std::string> ids, prompts;
  for (const Item& item : *standard) {
    ids.insert(item.id);
    prompts.insert(item.prompt);
  }
  CHECK(ids.size() == 400);
  CHECK(prompts.size() == 400);
}
