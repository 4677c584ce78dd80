// Sign-flip randomization test, Miller's paired mean, stratified estimates with
// the finite-population correction, and the paired token ratio.
#include <cmath>
#include <numeric>
#include <random>

#include <boost/math/distributions/students_t.hpp>

#include "qdrift/stats.h"

namespace qdrift::stats {

namespace {
constexpr double kZ95 = 1.959963984540054;

double mean_of(const std::vector<double>& v) {
  return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double sample_variance(const std::vector<double>& v, double mean) {
  if (v.size() < 2) return 0.0;
  double sum = 0;
  for (double x : v) sum += (x - mean) * (x - mean);
  return sum / static_cast<double>(v.size() - 1);
}
}  // namespace

double sign_flip_p(const PairedDifferences& paired, int draws, std::uint64_t seed) {
  // Zero differences contribute nothing under any sign: keep only the others.
  std::vector<double> terms;
  for (std::size_t i = 0; i < paired.differences.size(); ++i) {
    const double weight = paired.weights.empty() ? 1.0 : paired.weights[i];
    const double term = weight * paired.differences[i];
    if (term != 0) terms.push_back(term);
  }
  if (terms.empty()) return 1.0;
  const double observed = std::accumulate(terms.begin(), terms.end(), 0.0);
  const double tolerance = 1e-12 * std::max(1.0, std::abs(observed));
  std::mt19937_64 rng(seed);
  std::int64_t as_extreme = 0;
  for (int d = 0; d < draws; ++d) {
    double total = 0;
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < terms.size(); ++i) {
      if (i % 64 == 0) bits = rng();
      total += (bits & 1) ? terms[i] : -terms[i];
      bits >>= 1;
    }
    as_extreme += total <= observed + tolerance;
  }
  return static_cast<double>(1 + as_extreme) / static_cast<double>(1 + draws);
}

PairedMean paired_mean(const std::vector<double>& differences) {
  PairedMean result;
  const std::size_t n = differences.size();
  result.mean = mean_of(differences);
  if (n < 2) {
    result.ci95 = {-1, 1};
    return result;
  }
  result.standard_error = std::sqrt(sample_variance(differences, result.mean) / static_cast<double>(n));
  boost::math::students_t_distribution<double> t(static_cast<double>(n - 1));
  const double q = boost::math::quantile(boost::math::complement(t, 0.025));
  result.ci95 = {result.mean - q * result.standard_error, result.mean + q * result.standard_error};
  return result;
}

StratifiedEstimate stratified_difference(const std::vector<Stratum>& strata) {
  StratifiedEstimate result;
  double population = 0;
  for (const Stratum& s : strata)
    if (!s.differences.empty()) population += static_cast<double>(s.population);
  if (population <= 0) return result;
  double variance = 0;
  for (const Stratum& s : strata) {
    if (s.differences.empty()) continue;  // an empty stratum carries no estimate
    const double n = static_cast<double>(s.differences.size());
    const double weight = static_cast<double>(s.population) / population;
    const double mean = mean_of(s.differences);
    result.delta += weight * mean;
    const double sampled_share = std::min(1.0, n / static_cast<double>(s.population));
    variance += weight * weight * (1 - sampled_share) * sample_variance(s.differences, mean) / n;
    for (double d : s.differences) {
      result.weighted.differences.push_back(d);
      result.weighted.weights.push_back(weight / n);
    }
  }
  result.standard_error = std::sqrt(variance);
  result.ci95 = {result.delta - kZ95 * result.standard_error, result.delta + kZ95 * result.standard_error};
  return result;
}

RatioEstimate paired_ratio(const std::vector<double>& baseline, const std::vector<double>& candidate) {
  RatioEstimate result;
  const std::size_t n = std::min(baseline.size(), candidate.size());
  if (n < 2) return result;
  const double b = mean_of(baseline), c = mean_of(candidate);
  if (b <= 0 || c <= 0) return result;
  double covariance = 0;
  for (std::size_t i = 0; i < n; ++i) covariance += (baseline[i] - b) * (candidate[i] - c);
  covariance /= static_cast<double>(n - 1);
  const double nn = static_cast<double>(n);
  const double log_variance = sample_variance(candidate, c) / (nn * c * c) +
                              sample_variance(baseline, b) / (nn * b * b) - 2 * covariance / (nn * b * c);
  const double half = kZ95 * std::sqrt(std::max(0.0, log_variance));
  result.ratio = c / b;
  result.ci95 = {result.ratio * std::exp(-half), result.ratio * std::exp(half)};
  result.defined = true;
  return result;
}

}  // namespace qdrift::stats
