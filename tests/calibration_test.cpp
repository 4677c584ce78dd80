// The cheap end of the proof by simulation (the full figures come from
// build/stats_calibration): grade_run's verdict, fed runs drawn from the
// simulator's item model, keeps false alarms at alpha under serving noise and
// catches a plain loss. Fixed seeds, so the test is deterministic.
#include <cmath>

#include <catch2/catch.hpp>

#include "../perf/item_model.h"
#include "qdrift/report.h"

using namespace qdrift;
using namespace qdrift::calibration;

namespace {

constexpr double kAlpha = 0.05;

// Share of `comparisons` fresh baseline/candidate pairs graded degraded.
double degraded_share(const Design& design, Damage damage, int comparisons, std::uint64_t cell) {
  int degraded = 0;
  for (int i = 0; i < comparisons; ++i) {
    Rng rng(stream_seed(7, cell, static_cast<std::uint64_t>(i)));
    const std::vector<double> margins = draw_margins(design, rng);
    RunFile baseline = make_run_file(design, 1, "baseline");
    RunFile candidate = make_run_file(design, 1, "run");
    draw_run(baseline, probabilities(margins), rng);
    draw_run(candidate, probabilities(margins, damage), rng);
    degraded += grade_run(baseline, candidate, kAlpha).verdict == Verdict::kDegraded;
  }
  return static_cast<double>(degraded) / comparisons;
}

}  // namespace

TEST_CASE("the calibration item model reproduces the simulator's int4 loss", "[calibration]") {
  // docs/architecture.md "The simulator": int4 shifts margins by 0.2 exp(-m^2/4.5) + 0.01, about 1.7 points.
  CHECK(expected_drop({0.2, 0.01}) == Approx(0.017).margin(0.002));
  const Damage six = damage_for_drop(0.06);
  CHECK(expected_drop(six) == Approx(0.06).epsilon(1e-6));
  CHECK(six.uniform == Approx(0.1 * six.focused));
}

TEST_CASE("grade_run false alarms stay at alpha under serving noise", "[calibration]") {
  const int comparisons = 400;
  const double rate = degraded_share(unstratified_design(1000), {}, comparisons, 0xca1);
  const double se = std::sqrt(kAlpha * (1 - kAlpha) / comparisons);
  INFO("null false-alarm rate " << rate << " over " << comparisons << " comparisons");
  CHECK(rate <= kAlpha + 3 * se);
}

TEST_CASE("grade_run detects a planted six point loss on 400 items", "[calibration]") {
  const double rate = degraded_share(unstratified_design(400), damage_for_drop(0.06), 200, 0xca2);
  INFO("detection rate " << rate << " over 200 comparisons");
  CHECK(rate >= 0.80);
}
