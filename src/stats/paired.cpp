// McNemar, Wilson, Newcombe, Holm and Connor: the formulas behind a verdict.
#include <algorithm>
#include <cmath>
#include <numeric>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>

#include "qdrift/stats.h"

namespace qdrift::stats {

double PairedCounts::baseline_accuracy() const {
  return n() ? static_cast<double>(both_right + losses) / static_cast<double>(n()) : 0.0;
}
double PairedCounts::candidate_accuracy() const {
  return n() ? static_cast<double>(both_right + wins) / static_cast<double>(n()) : 0.0;
}
double PairedCounts::delta() const {
  return n() ? static_cast<double>(wins - losses) / static_cast<double>(n()) : 0.0;
}
double PairedCounts::flip_rate() const {
  return n() ? static_cast<double>(wins + losses) / static_cast<double>(n()) : 0.0;
}

McNemarResult mcnemar(std::int64_t losses, std::int64_t wins) {
  McNemarResult result;
  const std::int64_t discordant = losses + wins;
  if (discordant <= 0) return result;  // no flips: no evidence either way
  boost::math::binomial_distribution<double> flips(static_cast<double>(discordant), 0.5);
  const double k = static_cast<double>(losses);
  const double at_k = boost::math::pdf(flips, k);
  // cdf complement gives P(X > k) accurately in the tail, without 1 - cdf cancellation.
  const double above_k = boost::math::cdf(boost::math::complement(flips, k));
  const double up_to_k = boost::math::cdf(flips, k);
  result.one_sided_exact = std::min(1.0, above_k + at_k);
  result.one_sided_mid = std::min(1.0, above_k + 0.5 * at_k);
  result.two_sided_exact = std::min(1.0, 2.0 * std::min(above_k + at_k, up_to_k));
  return result;
}

Interval wilson(std::int64_t successes, std::int64_t n, double z) {
  if (n <= 0) return {0.0, 1.0};
  const double nn = static_cast<double>(n);
  const double p = static_cast<double>(successes) / nn;
  const double z2 = z * z;
  const double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
  const double half = z * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / (1 + z2 / nn);
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

Interval newcombe_paired(const PairedCounts& c, double z) {
  const std::int64_t n = c.n();
  if (n <= 0) return {-1.0, 1.0};
  const double p1 = c.baseline_accuracy();
  const double p2 = c.candidate_accuracy();
  const Interval w1 = wilson(c.both_right + c.losses, n, z);
  const Interval w2 = wilson(c.both_right + c.wins, n, z);
  // phi: the correlation of the paired outcomes, with Newcombe's correction
  // (ad - bc shrunk by n/2 when positive, kept when negative); 0 when a margin is empty.
  const double a = static_cast<double>(c.both_right), b = static_cast<double>(c.losses);
  const double cc = static_cast<double>(c.wins), d = static_cast<double>(c.both_wrong);
  const double denominator = (a + b) * (cc + d) * (a + cc) * (b + d);
  const double cross = a * d - b * cc;
  const double half_n = static_cast<double>(n) / 2;
  const double corrected = cross > half_n ? cross - half_n : (cross < 0 ? cross : 0.0);
  const double phi = denominator > 0 ? corrected / std::sqrt(denominator) : 0.0;
  const double delta = p2 - p1;
  const double below = std::sqrt(std::max(
      0.0, (p2 - w2.low) * (p2 - w2.low) - 2 * phi * (p2 - w2.low) * (w1.high - p1) +
               (w1.high - p1) * (w1.high - p1)));
  const double above = std::sqrt(std::max(
      0.0, (w2.high - p2) * (w2.high - p2) - 2 * phi * (w2.high - p2) * (p1 - w1.low) +
               (p1 - w1.low) * (p1 - w1.low)));
  return {std::max(-1.0, delta - below), std::min(1.0, delta + above)};
}

std::vector<double> holm_adjust(const std::vector<double>& p_values) {
  const std::size_t m = p_values.size();
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t i, std::size_t j) { return p_values[i] < p_values[j]; });
  std::vector<double> adjusted(m, 1.0);
  double running_max = 0.0;
  for (std::size_t rank = 0; rank < m; ++rank) {
    const double scaled = std::min(1.0, static_cast<double>(m - rank) * p_values[order[rank]]);
    running_max = std::max(running_max, scaled);  // adjusted p-values never decrease with rank
    adjusted[order[rank]] = running_max;
  }
  return adjusted;
}

double mcnemar_items_needed(double flip_rate, double loss, double alpha, double power) {
  if (loss <= 0 || flip_rate <= loss || alpha <= 0 || alpha >= 1 || power <= 0 || power >= 1)
    return 0.0;
  boost::math::normal_distribution<double> normal;
  const double z_alpha = boost::math::quantile(boost::math::complement(normal, alpha));
  const double z_power = boost::math::quantile(normal, power);
  const double root = z_alpha * std::sqrt(flip_rate) + z_power * std::sqrt(flip_rate - loss * loss);
  return std::ceil(root * root / (loss * loss));
}

}  // namespace qdrift::stats

namespace qdrift::stats {

McNemarZ mcnemar_z(std::int64_t losses, std::int64_t wins) {
  McNemarZ result;
  const double discordant = static_cast<double>(losses + wins);
  if (discordant <= 0) return result;
  result.z = static_cast<double>(wins - losses) / std::sqrt(discordant);
  result.one_sided = boost::math::cdf(boost::math::normal_distribution<double>(), result.z);
  return result;
}

double mcnemar_min_mid_p(std::int64_t discordant) {
  if (discordant <= 0) return 1.0;
  return std::exp2(-static_cast<double>(discordant) - 1);  // P(X = D) / 2 with X ~ Bin(D, 1/2)
}

std::vector<double> holm_adjust_weighted(const std::vector<double>& p_values, const std::vector<double>& weights) {
  const std::size_t m = p_values.size();
  const auto weight = [&](std::size_t i) { return weights.empty() ? 1.0 : weights[i]; };
  std::vector<std::size_t> order(m);
  for (std::size_t i = 0; i < m; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return p_values[a] * weight(b) < p_values[b] * weight(a);  // p_a / w_a < p_b / w_b
  });
  double remaining = 0;
  for (std::size_t i = 0; i < m; ++i) remaining += weight(i);
  std::vector<double> adjusted(m, 1.0);
  double running = 0;
  for (std::size_t k = 0; k < m; ++k) {
    const std::size_t i = order[k];
    running = std::max(running, std::min(1.0, p_values[i] * remaining / weight(i)));
    adjusted[i] = running;
    remaining -= weight(i);
  }
  return adjusted;
}

std::vector<double> holm_adjust_attainable(const std::vector<double>& p_values,
                                           const std::vector<double>& min_attainable, double alpha,
                                           const std::vector<double>& weights) {
  std::vector<double> kept, kept_weights;
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < p_values.size(); ++i) {
    if (min_attainable[i] <= alpha) {
      kept.push_back(p_values[i]);
      kept_weights.push_back(weights.empty() ? 1.0 : weights[i]);
      positions.push_back(i);
    }
  }
  std::vector<double> adjusted(p_values.size(), 1.0);
  const std::vector<double> kept_adjusted = holm_adjust_weighted(kept, kept_weights);
  for (std::size_t k = 0; k < kept.size(); ++k) adjusted[positions[k]] = kept_adjusted[k];
  return adjusted;
}

double mcnemar_power(double n, double flip_rate, double loss, double alpha) {
  if (n <= 0 || loss <= 0 || flip_rate <= loss) return 0.0;
  boost::math::normal_distribution<double> normal;
  const double z_alpha = boost::math::quantile(boost::math::complement(normal, alpha));
  const double z = (std::sqrt(n) * loss - z_alpha * std::sqrt(flip_rate)) / std::sqrt(flip_rate - loss * loss);
  return boost::math::cdf(normal, z);
}

double mcnemar_minimum_detectable_loss(double n, double flip_rate, double alpha, double power) {
  if (n <= 0 || flip_rate <= 0) return 0.0;
  double low = 0.0, high = flip_rate;  // a loss cannot exceed the flips that carry it
  if (mcnemar_power(n, flip_rate, high * (1 - 1e-9), alpha) < power) return 0.0;
  for (int i = 0; i < 100; ++i) {
    const double middle = (low + high) / 2;
    (mcnemar_power(n, flip_rate, middle, alpha) >= power ? high : low) = middle;
  }
  return high;
}

namespace {
double information(const std::vector<PlannedBench>& benches) {
  double s = 0;
  for (const PlannedBench& b : benches)
    if (b.variance > 0) s += b.items / b.variance;
  return s;
}
}  // namespace

double overall_power(const std::vector<PlannedBench>& benches, double loss, double alpha) {
  const double s = information(benches);
  if (s <= 0 || loss <= 0) return 0.0;
  boost::math::normal_distribution<double> normal;
  const double z_alpha = boost::math::quantile(boost::math::complement(normal, alpha));
  return boost::math::cdf(normal, loss * std::sqrt(s) - z_alpha);
}

double overall_items_factor(const std::vector<PlannedBench>& benches, double loss, double alpha, double power) {
  const double s = information(benches);
  if (s <= 0 || loss <= 0) return 0.0;
  boost::math::normal_distribution<double> normal;
  const double z = boost::math::quantile(boost::math::complement(normal, alpha)) + boost::math::quantile(normal, power);
  return (z / loss) * (z / loss) / s;
}

}  // namespace qdrift::stats
