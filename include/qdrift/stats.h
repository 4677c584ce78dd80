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

// The normal approximation for very large n: z = (wins - losses) / sqrt(losses + wins),
// negative when the candidate loses; its one-sided p is Phi(z).
struct McNemarZ {
  double z = 0;
  double one_sided = 1;
};
McNemarZ mcnemar_z(std::int64_t losses, std::int64_t wins);

// The smallest one-sided mid-p a McNemar test with this many discordant pairs can
// reach (all of them losses). A test that cannot reach alpha can never reject, so
// it is left out of the Holm family without costing the others power (Tarone 1990).
double mcnemar_min_mid_p(std::int64_t discordant);

// Weighted Holm (Holm 1979, §4): test i holds weight w_i > 0. Order the tests by
// p_i / w_i; the k-th in that order has adjusted
//   p~_(k) = max_{j <= k} min(1, p_(j) * (sum of w_(l), l >= j) / w_(j)).
// Rejecting where p~ < alpha keeps the family-wise rate at alpha (it is the
// closed test of weighted Bonferroni tests); equal weights give Holm's step-down.
// An empty `weights` means equal weights.
std::vector<double> holm_adjust_weighted(const std::vector<double>& p_values, const std::vector<double>& weights);

// Holm (weighted when `weights` is given) over only the tests that can reach
// `alpha` (minimum attainable p <= alpha); the others get adjusted p = 1. Valid
// for the family-wise rate: a test left out could not have rejected at any threshold.
std::vector<double> holm_adjust_attainable(const std::vector<double>& p_values,
                                           const std::vector<double>& min_attainable, double alpha,
                                           const std::vector<double>& weights = {});

// Items needed for a one-sided McNemar test at `alpha` to detect an accuracy
// loss `loss` (> 0) with probability `power`, when a share `flip_rate` of items
// flip (Connor 1987 normal approximation). Returns 0 when undefined.
double mcnemar_items_needed(double flip_rate, double loss, double alpha, double power);

// The q-quantile (0..1) with linear interpolation between order statistics (numpy's default).
double quantile(std::vector<double> values, double q);

// Power of the one-sided McNemar test at n items (same approximation as above).
double mcnemar_power(double n, double flip_rate, double loss, double alpha);
// The smallest loss detected with probability `power` at n items; 0 when none is.
double mcnemar_minimum_detectable_loss(double n, double flip_rate, double alpha, double power);

// Planning the overall test: a bench of `items` items whose per-item variance
// under the null is `variance` (its flip rate at one sample, divided by K).
struct PlannedBench {
  double items = 0;
  double variance = 0;
};
// The overall test's power against a loss of `loss` on every bench, by the normal
// approximation: with inverse-variance weights w_b = 1 / v_b,
//   E[T] = -loss * S,  Var_0[T] = S,  S = sum_b n_b / v_b,
// so power = Phi(loss * sqrt(S) - z_(1 - alpha)). Pass the level it is tested
// at (alpha times its Holm weight, for the first step).
double overall_power(const std::vector<PlannedBench>& benches, double loss, double alpha);
// The factor every bench's size must be multiplied by for that power:
//   c = ((z_(1 - alpha) + z_power) / loss)^2 / S.
double overall_items_factor(const std::vector<PlannedBench>& benches, double loss, double alpha, double power);

// Paired differences d_i (candidate - baseline) of a per-item score in [0, 1]
// (the per-item mean correctness over K samples), optionally with a weight per
// item (stratified slices: W_h / n_h).
struct PairedDifferences {
  std::vector<double> differences;
  std::vector<double> weights;  // empty = equal weights
};

// One-sided sign-flip randomization test of "the candidate is worse": under the
// null, baseline and candidate are exchangeable within an item, so each d_i's
// sign is a fair coin. Monte-Carlo with deterministic draws; ties count half
// (mid-p, like the McNemar test): p = (#{T* < T} + (#{T* = T} + 1) / 2) / (1 + draws),
// never 0, or Besag-Clifford's h / draws when 200 draws at least as extreme turn
// up early (a large p, found quickly).
double sign_flip_p(const PairedDifferences& paired, int draws = 20000, std::uint64_t seed = 0x51f7);

// Mean difference with Miller's (2024) paired standard error sd(d)/sqrt(n) and a
// 95% interval on the t distribution with n - 1 degrees of freedom.
struct PairedMean {
  double mean = 0;
  double standard_error = 0;
  Interval ci95;
};
PairedMean paired_mean(const std::vector<double>& differences);

// A stratified slice: per stratum, the population size N_h and the paired
// differences of the n_h items drawn. The estimate of the full-set difference is
// sum W_h * mean_h with W_h = N_h / N; its variance has the finite-population
// correction sum W_h^2 (1 - n_h/N_h) s_h^2 / n_h.
struct Stratum {
  std::int64_t population = 0;
  std::vector<double> differences;
};
struct StratifiedEstimate {
  double delta = 0;
  double standard_error = 0;
  Interval ci95;
  PairedDifferences weighted;  // the same differences with weights W_h / n_h, for sign_flip_p
};
StratifiedEstimate stratified_difference(const std::vector<Stratum>& strata);

// Ratio of total candidate to total baseline tokens over paired items, with a
// 95% interval from the delta method on the log ratio.
struct RatioEstimate {
  double ratio = 1;
  Interval ci95{1, 1};
  bool defined = false;  // false when the baseline has no tokens
};
RatioEstimate paired_ratio(const std::vector<double>& baseline, const std::vector<double>& candidate);

// Anytime-valid evidence that losses outnumber wins: the mixture likelihood
// ratio of p = P(loss | flip) against p = 1/2, mixed over a uniform prior on
// [1/2, 1]. Under the null (p <= 1/2) it is a nonnegative supermartingale, so
// by Ville's inequality it ever exceeds 1/alpha with probability <= alpha,
// however often it is checked. Returns the e-value (>= 0).
double flip_e_value(std::int64_t losses, std::int64_t wins);

// Two raters' pass/fail labels on the same cases, cross-counted.
struct RaterCounts {
  std::int64_t both_pass = 0, first_pass_only = 0, second_pass_only = 0, both_fail = 0;
  std::int64_t n() const { return both_pass + first_pass_only + second_pass_only + both_fail; }
  double agreement() const { return n() == 0 ? 0.0 : static_cast<double>(both_pass + both_fail) / static_cast<double>(n()); }
};
// Cohen's kappa: (p_o - p_e) / (1 - p_e), with p_o the observed agreement and
// p_e the agreement expected by chance from each rater's own pass rate (Cohen
// 1960, "A coefficient of agreement for nominal scales"). NaN when p_e = 1
// (both raters gave one and the same label to every case: nothing to measure).
double cohen_kappa(const RaterCounts& counts);

}  // namespace qdrift::stats
