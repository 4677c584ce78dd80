// Each expected value names where it comes from; none is produced by this code.
#include <catch2/catch.hpp>

#include "qdrift/stats.h"

using namespace qdrift::stats;

TEST_CASE("McNemar exact and mid-p match known values", "[stats]") {
  // DESIGN.md (checked with Boost.Math, and by Python's exact binomial sums):
  // b=30, c=15 -> one-sided exact 0.0178, mid-p 0.0129; two-sided 0.0357.
  McNemarResult r = mcnemar(30, 15);
  CHECK(r.one_sided_exact == Approx(0.017848901777597348).epsilon(1e-9));
  CHECK(r.one_sided_mid == Approx(0.012948040896617385).epsilon(1e-9));
  CHECK(r.two_sided_exact == Approx(0.035697803555194696).epsilon(1e-9));
}

TEST_CASE("McNemar edges", "[stats]") {
  SECTION("no flips is no evidence") {
    McNemarResult r = mcnemar(0, 0);
    CHECK(r.one_sided_mid == 1.0);
    CHECK(r.two_sided_exact == 1.0);
  }
  SECTION("one item, one loss") {  // Bin(1, 1/2): P(X>=1) = 0.5, mid-p = 0.25
    McNemarResult r = mcnemar(1, 0);
    CHECK(r.one_sided_exact == Approx(0.5));
    CHECK(r.one_sided_mid == Approx(0.25));
    CHECK(r.two_sided_exact == Approx(1.0));
  }
  SECTION("one item, one win") {  // P(X>=0) = 1, mid-p = 0.5 + 0.25
    McNemarResult r = mcnemar(0, 1);
    CHECK(r.one_sided_exact == Approx(1.0));
    CHECK(r.one_sided_mid == Approx(0.75));
  }
  SECTION("balanced flips") {  // Bin(10, 1/2), k=5: P(X>5)=0.376953125, P(X=5)=0.24609375
    McNemarResult r = mcnemar(5, 5);
    CHECK(r.one_sided_exact == Approx(0.623046875));
    CHECK(r.one_sided_mid == Approx(0.5));
  }
  SECTION("large n stays finite and matches the normal approximation") {
    // 1,000,000 flips, 501,500 losses: z = 3.0 -> one-sided ~ 0.00135 (normal tail).
    McNemarResult r = mcnemar(501500, 498500);
    CHECK(r.one_sided_mid == Approx(0.00135).epsilon(0.02));
    CHECK(r.one_sided_mid > 0.0);
  }
}

TEST_CASE("Newcombe paired interval matches Newcombe (1998) table values", "[stats]") {
  // Newcombe, Statist. Med. 17:2635 (1998), method 10, as checked by the R package
  // propint's tests. There d = (f - g)/n with f = first right only; ours is
  // candidate - baseline, so the published interval is mirrored.
  PairedCounts a{36, 12, 2, 0};
  Interval ia = newcombe_paired(a);
  CHECK(a.delta() == Approx(-0.2));
  CHECK(ia.low == Approx(-0.3404).margin(1e-4));
  CHECK(ia.high == Approx(-0.0569).margin(1e-4));

  PairedCounts b{18, 12, 2, 18};
  Interval ib = newcombe_paired(b);
  CHECK(ib.low == Approx(-0.3290).margin(1e-4));
  CHECK(ib.high == Approx(-0.0562).margin(1e-4));

  PairedCounts c{53, 0, 0, 1};
  Interval ic = newcombe_paired(c);
  CHECK(ic.low == Approx(-0.0729).margin(1e-4));  // no flips: symmetric about 0
  CHECK(ic.high == Approx(0.0729).margin(1e-4));
}

TEST_CASE("Wilson interval matches a published value", "[stats]") {
  // Wilson (1927) score interval, 56/70, evaluated separately in Python: (0.69183, 0.87695).
  Interval w = wilson(56, 70);
  CHECK(w.low == Approx(0.69183).margin(1e-5));
  CHECK(w.high == Approx(0.87695).margin(1e-5));
}

TEST_CASE("Holm adjustment", "[stats]") {
  // Worked by hand: sorted 0.01, 0.02, 0.04 -> 0.03, 0.04, 0.04 (monotone), input order kept.
  std::vector<double> adjusted = holm_adjust({0.04, 0.01, 0.02});
  CHECK(adjusted[0] == Approx(0.04));
  CHECK(adjusted[1] == Approx(0.03));
  CHECK(adjusted[2] == Approx(0.04));
  CHECK(holm_adjust({0.6, 0.9}) == std::vector<double>{1.0, 1.0});
  CHECK(holm_adjust({}).empty());
}

TEST_CASE("Weighted Holm: equal weights are Holm - a heavy test is tested first and passes its weight on", "[stats]") {
  CHECK(holm_adjust_weighted({0.04, 0.01, 0.02}, {}) == holm_adjust({0.04, 0.01, 0.02}));
  CHECK(holm_adjust_weighted({0.04, 0.01, 0.02}, {2, 2, 2}) == holm_adjust({0.04, 0.01, 0.02}));
  // Weights 0.5, 0.25, 0.25 (worked by hand): order by p / w: 0.02/0.5 = 0.04, 0.012/0.25 = 0.048, 0.03/0.25 = 0.12.
  //   first:  0.02 * 1.0 / 0.5   = 0.04
  //   second: 0.012 * 0.5 / 0.25 = 0.024 -> max(0.04, 0.024) = 0.04
  //   third:  0.03 * 0.25 / 0.25 = 0.03  -> 0.04
  const std::vector<double> adjusted = holm_adjust_weighted({0.02, 0.012, 0.03}, {0.5, 0.25, 0.25});
  CHECK(adjusted[0] == Approx(0.04));
  CHECK(adjusted[1] == Approx(0.04));
  CHECK(adjusted[2] == Approx(0.04));
  // Alone at the first step the light test needs p * (sum of weights) / w: 0.012 * 4 = 0.048.
  CHECK(holm_adjust_weighted({0.9, 0.012, 0.9}, {0.5, 0.25, 0.25})[1] == Approx(0.048));
}

TEST_CASE("Items needed for McNemar", "[stats]") {
  // Connor (1987) by hand: f=0.2, loss=0.02, alpha=0.05 one-sided (z=1.6449), power 0.8
  // (z=0.8416): (1.6449*0.44721 + 0.8416*0.44677)^2 / 0.0004 = 3089.2 -> 3090.
  CHECK(mcnemar_items_needed(0.2, 0.02, 0.05, 0.8) == Approx(3090).margin(1));
  CHECK(mcnemar_items_needed(0.01, 0.02, 0.05, 0.8) == 0.0);  // a loss larger than the flips
}

TEST_CASE("Overall power: the normal approximation over benches pooled by inverse variance", "[stats]") {
  // Worked by hand: S = 1000 / 0.1 + 500 / 0.05 = 20000; loss 0.02: 0.02 * sqrt(20000) = 2.828;
  // z_0.975 = 1.960 at alpha 0.025: power = Phi(0.868) = 0.807.
  const std::vector<PlannedBench> benches = {{1000, 0.1}, {500, 0.05}};
  CHECK(overall_power(benches, 0.02, 0.025) == Approx(0.8073).margin(1e-3));
  // Items factor for power 0.9: ((1.960 + 1.2816) / 0.02)^2 / 20000 = 1.3136.
  CHECK(overall_items_factor(benches, 0.02, 0.025, 0.9) == Approx(1.3136).margin(1e-3));
  CHECK(overall_power({}, 0.02, 0.025) == 0.0);
}
