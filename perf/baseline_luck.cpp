// How much does one committed baseline's luck decide later verdicts, and how much
// would a baseline with R samples per item and a test that allows for its luck
// help? grade_run uses this test for a baseline collected with --repeats R
// (luck_margin_test, include/qdrift/report.h); here its rejection region is
// applied exactly. Items follow perf/item_model.h at K = 1, 1,000 items.
//
//   build/baseline_luck [--baselines N] [--seed S]
//
// The goal names the worst of 200 baselines. That is an order statistic
// which itself varies from one panel of 200 to the next, so the program draws N
// (default 4,000) and reports the 99.5th percentile (the worst of 200 in
// expectation) with its 95% interval, and the share of disjoint panels of 200
// whose worst stays at or below 20%.
//
// For the grade_run row, every baseline is also handed to the real
// luck_margin_test (include/qdrift/report.h) as records of R samples per item, and
// the program stops if its p-value disagrees with the rejection region used here.
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
#include "qdrift/record.h"
#include "qdrift/report.h"

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

// A bench of one sample per item per repeat, as collect-baseline --repeats writes it.
BenchRecord bench_of(const std::vector<std::vector<bool>>& hits, int repeats) {
  BenchRecord bench;
  bench.name = "sim";
  bench.settings.samples = 1;
  bench.repeats = repeats;
  for (std::size_t i = 0; i < hits.size(); ++i) {
    ItemRecord item;
    item.id = std::to_string(i);
    for (bool hit : hits[i]) {
      SampleRecord sample;
      sample.correct = hit;
      item.samples.push_back(sample);
    }
    bench.items.push_back(std::move(item));
  }
  return bench;
}

// The candidates whose sum of outcomes is just inside and just outside the
// rejection region must get p < alpha and p >= alpha from grade_run's own test.
void check_grade_run_agrees(const std::vector<std::vector<bool>>& hits, double bound) {
  const int repeats = static_cast<int>(hits.front().size());
  const BenchRecord baseline = bench_of(hits, repeats);
  auto p_with = [&](long right) {
    std::vector<std::vector<bool>> outcome(hits.size());
    for (std::size_t i = 0; i < hits.size(); ++i) outcome[i] = {static_cast<long>(i) < right};
    return luck_margin_test(baseline, bench_of(outcome, 1)).p_value;
  };
  const long inside = static_cast<long>(std::ceil(bound)) - 1;  // the largest sum below the bound
  if ((inside >= 0 && !(p_with(inside) < kAlpha)) || !(p_with(inside + 1) >= kAlpha)) {
    std::fprintf(stderr, "luck_margin_test disagrees with the rejection region at sum %ld (bound %.3f)\n", inside, bound);
    std::exit(1);
  }
}

// One fixed baseline of R samples per item: its rates under the luck-margin test
// (R > 1) or today's McNemar on its first sample (R = 1).
BaselineRates rates(const std::vector<double>& p, const std::vector<double>& damaged, int repeats, double gamma,
                    Rng& rng) {
  std::vector<double> mean(p.size());
  std::vector<bool> first(p.size());
  std::vector<std::vector<bool>> hits(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) {
    int right = 0;
    for (int r = 0; r < repeats; ++r) {
      const bool hit = uniform01(rng) < p[i];
      hits[i].push_back(hit);
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
  if (gamma == kBaselineLuckQuantile) check_grade_run_agrees(hits, bound);
  return {below(p, bound), below(damaged, bound)};
}

struct Row {
  int repeats;
  double gamma;
  std::vector<double> false_alarms;
  double power = 0;
};

// The 99.5th percentile of the conditional false-alarm rates, with the 95%
// interval of an order statistic (ranks nq ± 1.96 sqrt(nq(1-q))).
struct Tail {
  double value, low, high;
};
Tail tail(std::vector<double> rates, double q) {
  std::sort(rates.begin(), rates.end());
  const double n = static_cast<double>(rates.size()), spread = 1.96 * std::sqrt(n * q * (1 - q));
  auto at = [&](double rank) { return rates[static_cast<std::size_t>(std::clamp(rank, 0.0, n - 1))]; };
  return {at(std::ceil(n * q) - 1), at(std::floor(n * q - spread) - 1), at(std::ceil(n * q + spread) - 1)};
}

// Of the disjoint panels of `panel` baselines, the share whose worst is <= limit.
double panels_within(const std::vector<double>& rates, std::size_t panel, double limit) {
  std::size_t panels = 0, within = 0;
  for (std::size_t start = 0; start + panel <= rates.size(); start += panel, ++panels)
    within += *std::max_element(rates.begin() + static_cast<long>(start), rates.begin() + static_cast<long>(start + panel)) <= limit;
  return panels ? static_cast<double>(within) / static_cast<double>(panels) : 0.0;
}

}  // namespace

int main(int argc, char** argv) {
  int baselines = 4000;
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
  std::vector<Row> rows = {{1, 0, {}}, {4, kBaselineLuckQuantile, {}}, {4, 0.95, {}}, {8, kBaselineLuckQuantile, {}}};
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
  std::printf("%d fixed baselines of %d items (K = 1 candidates), alpha %.2f; every rate exact given the baseline.\n"
              "p99.5 is the worst of 200 in expectation, with its 95%% interval; 'panels' is the share of\n"
              "disjoint panels of 200 baselines whose worst is <= 20%%. grade_run's test agreed on every baseline.\n\n",
              baselines, kItems, kAlpha);
  std::printf("%-36s %7s %7s %7s %22s %7s %7s %9s\n", "baseline and test", "mean FA", "median", "p90", "p99.5 (95% interval)",
              "worst", "panels", "power 2pt");
  for (const Row& row : rows) {
    const std::string label = row.repeats == 1 ? "1 sample, McNemar mid-p (today)"
                                               : fmt::format("{} samples, luck margin gamma {:.2f}", row.repeats, row.gamma);
    double mean = 0;
    for (double x : row.false_alarms) mean += x / baselines;
    const Tail t = tail(row.false_alarms, 0.995);
    std::printf("%-36s %6.2f%% %6.2f%% %6.2f%% %7.1f%% (%5.1f-%5.1f%%) %6.1f%% %6.0f%% %8.1f%%\n", label.c_str(), 100 * mean,
                100 * stats::quantile(row.false_alarms, 0.5), 100 * stats::quantile(row.false_alarms, 0.9), 100 * t.value,
                100 * t.low, 100 * t.high, 100 * *std::max_element(row.false_alarms.begin(), row.false_alarms.end()),
                100 * panels_within(row.false_alarms, 200, 0.2), 100 * row.power);
  }
  return 0;
}
