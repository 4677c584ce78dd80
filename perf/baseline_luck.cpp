// How much does one committed baseline's luck decide later verdicts, and how much
// would a baseline with R samples per item and a test that allows for its luck
// help? grade_run uses this test for a baseline collected with --repeats R
// (luck_margin_test, include/qdrift/report.h); here its rejection region is
// applied exactly. Items follow perf/item_model.h at K = 1, 1,000 items.
//
//   build/baseline_luck [--baselines N] [--seed S]
//
// For each of N fixed baselines every rate is exact (Poisson-binomial sums over
// the items' true probabilities), so the spread across baselines carries no
// Monte-Carlo noise of the candidates:
// - today: the candidate's outcomes against the baseline's single sample, one-sided
//   mid-p McNemar at alpha;
// - R samples: T = sum_i (y_i - pbar_i), the candidate's outcome minus the
//   baseline's per-item mean over R samples, rejected when
//   T < -(z_(1-alpha) * s_C + z_gamma * s_B), where s_C^2 = sum_i v_i with
//   v_i = R/(R-1) pbar_i (1 - pbar_i) (unbiased), and s_B^2 = s_C^2 / R: the
//   candidate's noise at alpha plus the baseline's luck up to its gamma quantile.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include "item_model.h"

using namespace qdrift;
using namespace qdrift::calibration;

namespace {

constexpr double kAlpha = 0.05;
constexpr int kItems = 1000;

double z_upper(double p) { return boost::math::quantile(boost::math::complement(boost::math::normal_distribution<double>(), p)); }

// P(sum of Bernoulli(q_i) < bound) exactly.
double below(const std::vector<double>& q, double bound) {
  const std::vector<double> dist = poisson_binomial(q);
  double total = 0;
  for (std::size_t s = 0; s < dist.size() && static_cast<double>(s) < bound; ++s) total += dist[s];
  return total;
}

struct BaselineRates {
  double false_alarm = 0;  // given this baseline, over null candidates
  double power = 0;        // given this baseline, against the planted loss
};

// One fixed baseline of R samples per item: its rates under the luck-margin test
// (R > 1) or today's McNemar on its first sample (R = 1).
BaselineRates rates(const std::vector<double>& p, const std::vector<double>& damaged, int repeats, double gamma,
                    Rng& rng) {
  std::vector<double> mean(p.size());
  std::vector<bool> first(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) {
    int right = 0;
    for (int r = 0; r < repeats; ++r) {
      const bool hit = uniform01(rng) < p[i];
      right += hit;
      if (r == 0) first[i] = hit;
    }
    mean[i] = static_cast<double>(right) / repeats;
  }
  if (repeats == 1) return {exact_conditional_rate(first, p, kAlpha), exact_conditional_rate(first, damaged, kAlpha)};
  double variance = 0, expected = 0;
  for (double m : mean) {
    variance += repeats / (repeats - 1.0) * m * (1 - m);
    expected += m;
  }
  const double s_c = std::sqrt(variance), s_b = s_c / std::sqrt(static_cast<double>(repeats));
  const double bound = expected - (z_upper(kAlpha) * s_c + z_upper(1 - gamma) * s_b);
  return {below(p, bound), below(damaged, bound)};
}

struct Row {
  int repeats;
  double gamma;
  std::vector<double> false_alarms;
  double power = 0;
};


}  // namespace

int main(int argc, char** argv) {
  int baselines = 200;
  std::uint64_t seed = 20261207;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--baselines") && i + 1 < argc) baselines = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--seed") && i + 1 < argc) seed = std::strtoull(argv[++i], nullptr, 0);
    else {
      std::fprintf(stderr, "usage: %s [--baselines N] [--seed S]\n", argv[0]);
      return 2;
    }
  }
  const Design design = unstratified_design(kItems);
  const Damage loss = damage_for_drop(0.02);
  std::vector<Row> rows = {{1, 0, {}}, {4, 0.5, {}}, {4, 0.9, {}}, {4, 0.93, {}}, {4, 0.95, {}}, {8, 0.9, {}}};
  for (Row& row : rows) {
    row.false_alarms.assign(static_cast<std::size_t>(baselines), 0);
    std::vector<double> power(static_cast<std::size_t>(baselines));
    parallel_for(baselines, [&](int b) {
      Rng items(stream_seed(seed, 0x900, static_cast<std::uint64_t>(b)));  // the same items for every row
      const std::vector<double> margins = draw_margins(design, items);
      Rng draws(stream_seed(seed, 0xa00 + static_cast<std::uint64_t>(row.repeats), static_cast<std::uint64_t>(b)));
      const BaselineRates r = rates(probabilities(margins), probabilities(margins, loss), row.repeats, row.gamma, draws);
      row.false_alarms[static_cast<std::size_t>(b)] = r.false_alarm;
      power[static_cast<std::size_t>(b)] = r.power;
    });
    for (double x : power) row.power += x / baselines;
  }
  std::printf("%d fixed baselines of %d items (K = 1 candidates), alpha %.2f; every rate exact given the baseline\n\n",
              baselines, kItems, kAlpha);
  std::printf("%-44s %8s %8s %8s %8s %10s\n", "baseline and test", "mean FA", "median", "p90", "worst", "power 2pt");
  for (const Row& row : rows) {
    const std::string label = row.repeats == 1 ? "1 sample, McNemar mid-p (today)"
                                               : fmt::format("{} samples, luck margin at gamma {:.2f}", row.repeats, row.gamma);
    double mean = 0;
    for (double x : row.false_alarms) mean += x / baselines;
    std::printf("%-44s %7.2f%% %7.2f%% %7.2f%% %7.2f%% %9.1f%%\n", label.c_str(), 100 * mean,
                100 * stats::quantile(row.false_alarms, 0.5), 100 * stats::quantile(row.false_alarms, 0.9),
                100 * *std::max_element(row.false_alarms.begin(), row.false_alarms.end()), 100 * row.power);
  }
  return 0;
}
