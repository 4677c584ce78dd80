// Expected values come from independent Python computations (exact enumeration,
// Simpson integration, hand formulas), noted beside each check.
#include <catch2/catch.hpp>

#include "qdrift/stats.h"

using namespace qdrift::stats;

TEST_CASE("McNemar normal approximation", "[stats]") {
  // z = (15 - 30) / sqrt(45) = -2.2361; Phi(z) = 0.012674.
  McNemarZ z = mcnemar_z(30, 15);
  CHECK(z.z == Approx(-2.2360680));
  CHECK(z.one_sided == Approx(0.0126737).epsilon(1e-5));
  CHECK(mcnemar_z(0, 0).one_sided == 1.0);
}

TEST_CASE("tests that cannot reach alpha leave the Holm family", "[stats]") {
  CHECK(mcnemar_min_mid_p(0) == 1.0);
  CHECK(mcnemar_min_mid_p(3) == Approx(0.0625));  // 2^-(3+1)
  // A cap-hit test with no discordant pairs (min p 1) must not double the accuracy p.
  std::vector<double> adjusted = holm_adjust_attainable({0.03, 1.0}, {mcnemar_min_mid_p(40), 1.0}, 0.05);
  CHECK(adjusted[0] == Approx(0.03));
  CHECK(adjusted[1] == 1.0);
  // Two attainable tests are corrected as usual.
  adjusted = holm_adjust_attainable({0.03, 0.02}, {0.001, 0.001}, 0.05);
  CHECK(adjusted[0] == Approx(0.04));
  CHECK(adjusted[1] == Approx(0.04));
}

TEST_CASE("McNemar power and minimum detectable loss invert items needed", "[stats]") {
  // At the 3090 items Connor's formula asks for (f=0.2, loss=0.02), power is 0.80.
  CHECK(mcnemar_power(3090, 0.2, 0.02, 0.05) == Approx(0.80).margin(0.002));
  CHECK(mcnemar_minimum_detectable_loss(3090, 0.2, 0.05, 0.8) == Approx(0.02).margin(1e-4));
  CHECK(mcnemar_power(100, 0.2, 0.0, 0.05) == 0.0);
}

TEST_CASE("flip e-value matches numeric integration", "[stats]") {
  // Simpson's rule on 2^(n+1) * int_{1/2}^1 p^b (1-p)^c dp.
  CHECK(flip_e_value(0, 0) == Approx(1.0));
  CHECK(flip_e_value(1, 0) == Approx(1.5));
  CHECK(flip_e_value(10, 0) == Approx(186.0909091));
  CHECK(flip_e_value(5, 5) == Approx(0.3694084));
  CHECK(flip_e_value(30, 15) == Approx(4.3783433));
  CHECK(flip_e_value(0, 8) == Approx(0.1111111));
  CHECK(flip_e_value(0, 2000) >= 0.0);
}

TEST_CASE("sign-flip p matches exact enumeration", "[stats]") {
  // All 2^7 sign patterns of the nonzero differences: P(T* < T) = 1/128 (no positive
  // sign), P(T* = T) = 7/128 (one), so the mid-p is (1 + 3.5) / 128 = 0.03516.
  PairedDifferences d{{-1, -1, -1, -1, 1, -1, -1, 0}, {}};
  CHECK(sign_flip_p(d) == Approx(0.03516).margin(0.01));  // Monte-Carlo error of 200 hits
  CHECK(sign_flip_p({{0, 0, 0}, {}}) == 1.0);
  CHECK(sign_flip_p(d) == sign_flip_p(d));  // deterministic draws
}

TEST_CASE("paired mean with Miller's standard error and a t interval", "[stats]") {
  // mean -0.15, sd/sqrt(5) = 0.2031010, t(0.975, 4) = 2.776445.
  PairedMean m = paired_mean({0.25, 0, -0.5, 0.25, -0.75});
  CHECK(m.mean == Approx(-0.15));
  CHECK(m.standard_error == Approx(0.2031010));
  CHECK(m.ci95.low == Approx(-0.7138986));
  CHECK(m.ci95.high == Approx(0.4138986));
}

TEST_CASE("stratified difference reweights and applies the finite-population correction", "[stats]") {
  // W = 0.25, 0.75; means 0, -0.5; var = W1^2 (1-5/100) s1^2/5 + W2^2 (1-4/300) s2^2/4.
  StratifiedEstimate e = stratified_difference({{100, {1, 0, 0, -1, 0}}, {300, {0, -1, -1, 0}}});
  CHECK(e.delta == Approx(-0.375));
  CHECK(e.standard_error == Approx(0.2284458));
  REQUIRE(e.weighted.weights.size() == 9);
  CHECK(e.weighted.weights[0] == Approx(0.25 / 5));
  CHECK(e.weighted.weights[8] == Approx(0.75 / 4));
  // A census of every stratum has no sampling error.
  CHECK(stratified_difference({{3, {1, 0, -1}}}).standard_error == 0.0);
}

TEST_CASE("paired token ratio with a delta-method interval", "[stats]") {
  // 1200 / 1000 = 1.2, log-scale delta method: (1.0899755, 1.3211306).
  RatioEstimate r = paired_ratio({100, 200, 300, 400}, {150, 220, 330, 500});
  REQUIRE(r.defined);
  CHECK(r.ratio == Approx(1.2));
  CHECK(r.ci95.low == Approx(1.0899755));
  CHECK(r.ci95.high == Approx(1.3211306));
  CHECK_FALSE(paired_ratio({0, 0}, {1, 2}).defined);
}
