#include <catch2/catch.hpp>
#include <cmath>

#include "qdrift/stats.h"

using namespace qdrift::stats;

TEST_CASE("Cohen's kappa against worked values", "[stats]") {
  // 50 cases: 20 both pass, 5 + 10 disagree, 15 both fail. p_o = 0.7;
  // p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = 0.4.
  const RaterCounts counts{20, 5, 10, 15};
  CHECK(counts.agreement() == Approx(0.7));
  CHECK(cohen_kappa(counts) == Approx(0.4));
  CHECK(cohen_kappa({10, 0, 0, 10}) == Approx(1.0));   // perfect agreement
  CHECK(cohen_kappa({0, 10, 10, 0}) == Approx(-1.0));  // perfect disagreement
  CHECK(cohen_kappa({5, 5, 5, 5}) == Approx(0.0));     // chance
  CHECK(std::isnan(cohen_kappa({0, 0, 0, 12})));       // one label throughout: undefined
  CHECK(std::isnan(cohen_kappa({})));
}
