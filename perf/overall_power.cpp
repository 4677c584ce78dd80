// Proof by simulation of the overall test (docs/statistics.md#the-overall-test):
// runs shaped like the standard tier — gsm8k 1,319; mmlu_pro's stratified ~30%
// slice of 12,000; gpqa 198; ifeval 541; humaneval 164; two math benches of 30
// items at maj@4 — drawn from the item model of perf/item_model.h and graded by
// qdrift::grade_run. On the same draws it also applies today's procedure before
// the overall test (Holm over the per-bench tests alone), so the two compare
// exactly.
//
//   build/overall_power [--null N] [--power N] [--loss POINTS] [--seed S]
//
// Defaults: 2,000 null comparisons, 1,000 at a uniform 2-point loss (every bench
// loses 2 points of per-sample accuracy). Every rate carries its Monte-Carlo
// standard error; results are deterministic for a seed whatever the thread count.
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "item_model.h"
#include "qdrift/report.h"
#include "qdrift/stats.h"

using namespace qdrift;
using namespace qdrift::calibration;

namespace {

constexpr double kAlpha = 0.05;

struct BenchShape {
  const char* name;
  Design design;
  int samples;
};

Design unstratified(int items, std::array<double, 5> mix) { return {"unstratified", {{"", items, items, mix}}}; }

// mmlu_pro: five categories of unequal size and difficulty, 12,000 items, a 30% slice of each.
Design mmlu_pro_slice() {
  Design d = stratified_design();
  for (StratumSpec& s : d.strata) {
    s.population *= 12;
    s.sampled = static_cast<int>(std::lround(0.3 * s.population));
  }
  d.name = "mmlu_pro";
  return d;
}

std::vector<BenchShape> standard_tier() {
  return {{"gsm8k", unstratified(1319, {0.30, 0.30, 0.20, 0.10, 0.10}), 1},
          {"mmlu_pro", mmlu_pro_slice(), 1},
          {"gpqa", unstratified(198, {0.00, 0.10, 0.30, 0.30, 0.30}), 1},
          {"ifeval", unstratified(541, {0.20, 0.20, 0.20, 0.20, 0.20}), 1},
          {"humaneval", unstratified(164, {0.20, 0.20, 0.20, 0.20, 0.20}), 1},
          {"aime_2026", unstratified(30, {0.00, 0.00, 0.20, 0.40, 0.40}), 4},
          {"hmmt_feb_2026", unstratified(30, {0.00, 0.00, 0.00, 0.50, 0.50}), 4}};
}

// The mix of a design's items (weighted by the strata's populations).
std::array<double, 5> design_mix(const Design& d) {
  std::array<double, 5> mix{};
  double total = 0;
  for (const StratumSpec& s : d.strata) total += s.population;
  for (const StratumSpec& s : d.strata)
    for (std::size_t l = 0; l < 5; ++l) mix[l] += s.level_mix[l] * s.population / total;
  return mix;
}

// The damage (F with U = F / 10) whose expected drop on this mix is `target`.
Damage damage_for(double target, const std::array<double, 5>& mix) {
  double low = 0, high = 1;
  while (expected_drop({high, 0.1 * high}, mix) < target && high < 1e3) high *= 2;
  for (int i = 0; i < 60; ++i) {
    const double mid = 0.5 * (low + high);
    (expected_drop({mid, 0.1 * mid}, mix) < target ? low : high) = mid;
  }
  return {0.5 * (low + high), 0.05 * (low + high)};
}

// One simulated comparison: the verdict with the overall test and without it.
struct Verdicts {
  bool with_overall = false;   // grade_run's verdict today
  bool before = false;         // Holm over the per-bench tests only (the procedure before the overall test)
  bool overall_rejected = false;
  int benches_located = 0;     // benches flagged degraded on accuracy by grade_run
  int benches_located_before = 0;
};

Verdicts compare(const std::vector<BenchShape>& shapes, const std::vector<Damage>& damages, double loss,
                 std::uint64_t seed, std::uint64_t index) {
  Rng rng(stream_seed(seed, loss > 0 ? 2 : 1, index));
  RunFile baseline = make_run_file(shapes[0].design, shapes[0].samples, "baseline");
  RunFile candidate = make_run_file(shapes[0].design, shapes[0].samples, "run");
  baseline.benches.clear();
  candidate.benches.clear();
  for (std::size_t s = 0; s < shapes.size(); ++s) {
    const BenchShape& shape = shapes[s];
    RunFile b = make_run_file(shape.design, shape.samples, "baseline");
    RunFile c = make_run_file(shape.design, shape.samples, "run");
    const std::vector<double> margins = draw_margins(shape.design, rng);
    const Damage damage = damages[s];
    draw_run(b, probabilities(margins), rng);
    draw_run(c, probabilities(margins, damage), rng);
    b.benches[0].name = c.benches[0].name = shape.name;
    baseline.benches.push_back(std::move(b.benches[0]));
    candidate.benches.push_back(std::move(c.benches[0]));
  }
  const Grade grade = grade_run(baseline, candidate, kAlpha);
  Verdicts v;
  v.with_overall = grade.verdict == Verdict::kDegraded;
  v.overall_rejected = grade.overall.degraded;
  std::vector<double> p, attainable;
  for (const BenchGrade& g : grade.benches) {
    v.benches_located += g.degraded;
    p.push_back(g.p_value);
    attainable.push_back(g.p_min_attainable);
    p.push_back(g.trunc_test.one_sided_mid);
    attainable.push_back(stats::mcnemar_min_mid_p(g.trunc_counts.losses + g.trunc_counts.wins));
  }
  const std::vector<double> adjusted = stats::holm_adjust_attainable(p, attainable, kAlpha);
  for (std::size_t i = 0; i < adjusted.size(); ++i) {
    v.before = v.before || adjusted[i] < kAlpha;
    if (i % 2 == 0) v.benches_located_before += adjusted[i] < kAlpha;
  }
  return v;
}

struct Rate {
  std::int64_t hits = 0, n = 0;
  double rate() const { return n ? static_cast<double>(hits) / static_cast<double>(n) : 0.0; }
  double se() const { return n ? std::sqrt(rate() * (1 - rate()) / static_cast<double>(n)) : 0.0; }
  std::string text() const { return fmt::format("{:6.2f}% ± {:4.2f}%", 100 * rate(), 100 * se()); }
};

struct Tally {
  Rate with_overall, before, overall;
  double located = 0, located_before = 0;
  int n = 0;
};

Tally simulate(const std::vector<BenchShape>& shapes, double loss, int comparisons, std::uint64_t seed) {
  std::vector<Verdicts> results(static_cast<std::size_t>(comparisons));
  std::vector<Damage> damages;
  for (const BenchShape& shape : shapes) damages.push_back(loss > 0 ? damage_for(loss, design_mix(shape.design)) : Damage{});
  parallel_for(comparisons, [&](int i) {
    results[static_cast<std::size_t>(i)] = compare(shapes, damages, loss, seed, static_cast<std::uint64_t>(i));
  });
  Tally tally;
  for (const Verdicts& v : results) {
    for (auto [rate, hit] : {std::pair{&tally.with_overall, v.with_overall}, std::pair{&tally.before, v.before},
                             std::pair{&tally.overall, v.overall_rejected}}) {
      rate->hits += hit;
      ++rate->n;
    }
    tally.located += v.benches_located;
    tally.located_before += v.benches_located_before;
    ++tally.n;
  }
  return tally;
}

int usage(const char* argv0) {
  std::fprintf(stderr, "usage: %s [--null N] [--power N] [--loss POINTS] [--seed S]\n", argv0);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int null_comparisons = 2000, power_comparisons = 1000;
  double loss_points = 2;
  std::uint64_t seed = 20261207;
  for (int i = 1; i < argc; ++i) {
    const auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (!std::strcmp(argv[i], "--null") && (v = value())) null_comparisons = std::atoi(v);
    else if (!std::strcmp(argv[i], "--power") && (v = value())) power_comparisons = std::atoi(v);
    else if (!std::strcmp(argv[i], "--loss") && (v = value())) loss_points = std::atof(v);
    else if (!std::strcmp(argv[i], "--seed") && (v = value())) seed = std::strtoull(v, nullptr, 0);
    else return usage(argv[0]);
  }
  if (null_comparisons < 1 || power_comparisons < 1 || !(loss_points > 0)) return usage(argv[0]);
  const std::vector<BenchShape> shapes = standard_tier();
  int items = 0;
  for (const BenchShape& s : shapes) items += s.design.items();
  std::printf("standard-tier shape: %zu benches, %d items; alpha %.2f; seed %llu\n\n", shapes.size(), items, kAlpha,
              static_cast<unsigned long long>(seed));

  const Tally null = simulate(shapes, 0, null_comparisons, seed);
  std::printf("no loss, %d comparisons (false alarms)\n", null.n);
  std::printf("  with the overall test     %s\n", null.with_overall.text().c_str());
  std::printf("  per-bench Holm only       %s\n", null.before.text().c_str());
  std::printf("  the overall test itself   %s (rejected after Holm)\n\n", null.overall.text().c_str());

  const Tally loss = simulate(shapes, loss_points / 100, power_comparisons, seed);
  std::printf("uniform %.1f-point loss on every bench, %d comparisons (power)\n", loss_points, loss.n);
  std::printf("  with the overall test     %s   benches located per comparison %.2f\n", loss.with_overall.text().c_str(),
              loss.located / loss.n);
  std::printf("  per-bench Holm only       %s   benches located per comparison %.2f\n", loss.before.text().c_str(),
              loss.located_before / loss.n);
  std::printf("  the overall test itself   %s\n", loss.overall.text().c_str());
  return 0;
}
