// The statistics behind a verdict: paired outcomes of one bench, McNemar's test
// on the flip asymmetry, Newcombe's interval for the paired difference, Holm's
// correction across benches, and a sample-size estimate for the report.
#pragma once

#include <cstdint>
#include <vector>

namespace qdrift::stats {

// The 2x2 table of one bench, items aligned by id.
struct PairedCounts {
  std::int64_t both_right = 0;  // baseline right, candidate right
  std::int64_t losses = 0;      // baseline right, candidate wrong
  std::int64_t wins = 0;        // baseline wrong, candidate right
  std::int64_t both_wrong = 0;  // baseline wrong, candidate wrong

  std::int64_t n() const { return both_right + losses + wins + both_wrong; }
  double baseline_accuracy() const;
  double candidate_accuracy() const;
  double delta() const;      // candidate - baseline accuracy
  double flip_rate() const;  // (losses + wins) / n
};

// McNemar's test on the discordant pairs: under "no degradation", each flip is a
// loss or a win with probability 1/2, so losses ~ Binomial(losses + wins, 1/2).
struct McNemarResult {
  double one_sided_exact = 1;  // P(X >= losses): H1 says losses outnumber wins
  double one_sided_mid = 1;    // P(X > losses) + P(X = losses) / 2, the primary p-value
  double two_sided_exact = 1;  // min(1, 2 * min(P(X >= losses), P(X <= losses)))
};
McNemarResult mcnemar(std::int64_t losses, std::int64_t wins);

struct Interval {
  double low = 0;
  double high = 0;
};

// Wilson score interval for a proportion successes / n at normal quantile z.
Interval wilson(std::int64_t successes, std::int64_t n, double z = 1.959963984540054);

// Newcombe (1998) method 10: interval for candidate - baseline accuracy from
// paired data, built from the two Wilson intervals and the phi correlation.
Interval newcombe_paired(const PairedCounts& counts, double z = 1.959963984540054);

// Holm's step-down adjustment: adjusted p-values in the input order. Rejecting
// where adjusted < alpha keeps the family-wise false-alarm rate at alpha.
std::vector<double> holm_adjust(const std::vector<double>& p_values);

// Items needed for a one-sided McNemar test at `alpha` to detect an accuracy
// loss `loss` (> 0) with probability `power`, when a share `flip_rate` of items
// flip (Connor 1987 normal approximation). Returns 0 when undefined.
double mcnemar_items_needed(double flip_rate, double loss, double alpha, double power);

}  // namespace qdrift::stats
