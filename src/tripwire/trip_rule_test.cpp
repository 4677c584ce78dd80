// The trip rule over hand-made per-sequence scores: which metric it uses, and
// that it needs both a significant and a large excess over the noise floor.
#include "tripwire/trip_rule.h"

#include <catch2/catch.hpp>
#include <vector>

using namespace qdrift::tripwire;

namespace {

// `n` sequences with mean KL `kl` (or unavailable) and |Δ logprob| `abs_diff`;
// a small per-sequence wobble so the paired test sees spread, not ties.
std::vector<SequenceScore> scores(std::size_t n, double kl, double abs_diff) {
  std::vector<SequenceScore> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double wobble = 1 + 0.01 * static_cast<double>(i % 5);
    out[i].mean_kl = kl * wobble;
    out[i].mean_abs_logprob_difference = abs_diff * wobble;
    out[i].top1_agreement = 0.99;
  }
  return out;
}

}  // namespace

TEST_CASE("the trip rule trips on a large, consistent excess of KL", "[tripwire]") {
  const auto floor = scores(40, 0.001, 0.01);
  const TripDecision d = decide(floor, scores(40, 0.01, 0.05), 0.05);
  CHECK(d.tripped);
  CHECK(d.metric == "kl");
  CHECK(d.p_value < 0.05);
  CHECK(d.drift == Approx(0.01 * 1.02));
  CHECK(d.floor_drift == Approx(0.001 * 1.02));
  CHECK(d.top1_agreement == Approx(0.99));
}

TEST_CASE("the trip rule ignores an excess too small to matter", "[tripwire]") {
  // Every sequence drifts more than the floor (p tiny) but by less than kMinKlExcess.
  const auto floor = scores(40, 0.001, 0.01);
  const TripDecision d = decide(floor, scores(40, 0.0015, 0.01), 0.05);
  CHECK(d.p_value < 0.05);
  CHECK_FALSE(d.tripped);
}

TEST_CASE("without KL on both sides the trip rule uses the absolute logprob difference", "[tripwire]") {
  auto floor = scores(40, 0.001, 0.01);
  floor[3].mean_kl = kUnavailable;  // one sequence without alternatives is enough
  const TripDecision d = decide(floor, scores(40, 0.5, 0.2), 0.05);
  CHECK(d.metric == "abs_logprob_diff");
  CHECK(d.tripped);
  CHECK_FALSE(available(d.floor_mean_kl));
  CHECK(d.abs_logprob_diff == Approx(0.2 * 1.02));
  const TripDecision same = decide(floor, scores(40, 0.5, 0.01), 0.05);
  CHECK_FALSE(same.tripped);  // KL is ignored once it is not comparable
}

TEST_CASE("the trip rule with nothing to pair does not trip", "[tripwire]") {
  const TripDecision d = decide({}, scores(3, 1, 1), 0.05);
  CHECK_FALSE(d.tripped);
  CHECK(d.p_value == 1);
}
