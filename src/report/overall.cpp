// The overall test: every graded item of every bench in one sign-flip test,
// weighted so that a loss of the same size on every bench is most detectable.
#include <algorithm>

#include "qdrift/report.h"

namespace qdrift {

OverallTest overall_test(const std::vector<BenchGrade>& benches) {
  OverallTest overall;
  stats::PairedDifferences pooled;
  double total_weight = 0;
  int contributing = 0;
  for (const BenchGrade& g : benches) {
    if (!g.comparable || g.differences.empty()) continue;
    double squares = 0;
    for (double d : g.differences) squares += d * d;
    const auto n = static_cast<std::int64_t>(g.differences.size());
    // Under the null d_i is ±|d_i| with equal chance: its variance is d_i², so the
    // bench's mean d² is its per-item variance. A bench with no flips adds nothing.
    const double weight = squares > 0 ? static_cast<double>(n) / squares : 0.0;
    contributing += squares > 0;
    overall.benches.push_back({g.bench, n, weight});
    total_weight += weight * static_cast<double>(n);
    for (double d : g.differences) {
      pooled.differences.push_back(d);
      pooled.weights.push_back(weight);
    }
  }
  if (contributing < 2) return OverallTest{};  // one bench's own test already says it all
  for (OverallBench& b : overall.benches) b.weight /= total_weight;
  for (double& w : pooled.weights) w /= total_weight;
  for (std::size_t i = 0; i < pooled.differences.size(); ++i)
    overall.statistic += pooled.weights[i] * pooled.differences[i];
  overall.tested = true;
  overall.p_value = stats::sign_flip_p(pooled);
  const auto nonzero = std::count_if(pooled.differences.begin(), pooled.differences.end(), [](double d) { return d != 0; });
  overall.p_min_attainable = stats::mcnemar_min_mid_p(nonzero);
  return overall;
}

}  // namespace qdrift
