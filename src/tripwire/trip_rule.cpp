// The trip rule: a candidate's per-sequence drift against the baseline's noise floor.
#include "tripwire/trip_rule.h"

#include <algorithm>

#include "qdrift/stats.h"

namespace qdrift::tripwire {

TripDecision decide(const std::vector<SequenceScore>& floor, const std::vector<SequenceScore>& candidate, double alpha) {
  TripDecision d;
  const std::size_t n = std::min(floor.size(), candidate.size());
  if (n == 0) return d;
  bool kl = true;
  for (std::size_t s = 0; s < n; ++s) kl = kl && available(floor[s].mean_kl) && available(candidate[s].mean_kl);
  d.metric = kl ? "kl" : "abs_logprob_diff";
  auto drift = [&](const SequenceScore& score) { return kl ? score.mean_kl : score.mean_abs_logprob_difference; };
  double mean_kl = 0, floor_mean_kl = 0, top1 = 0, floor_top1 = 0;
  stats::PairedDifferences excess;
  for (std::size_t s = 0; s < n; ++s) {
    d.drift += drift(candidate[s]);
    d.floor_drift += drift(floor[s]);
    d.abs_logprob_diff += candidate[s].mean_abs_logprob_difference;
    d.floor_abs_logprob_diff += floor[s].mean_abs_logprob_difference;
    mean_kl += candidate[s].mean_kl;
    floor_mean_kl += floor[s].mean_kl;
    top1 += candidate[s].top1_agreement;
    floor_top1 += floor[s].top1_agreement;
    // sign_flip_p tests "negative": feed floor - candidate, negative when the candidate drifts more.
    excess.differences.push_back(drift(floor[s]) - drift(candidate[s]));
  }
  const double count = static_cast<double>(n);
  d.drift /= count;
  d.floor_drift /= count;
  d.abs_logprob_diff /= count;
  d.floor_abs_logprob_diff /= count;
  // NaN stays NaN: a metric either side lacks is reported unavailable.
  d.mean_kl = mean_kl / count;
  d.floor_mean_kl = floor_mean_kl / count;
  d.top1_agreement = top1 / count;
  d.floor_top1_agreement = floor_top1 / count;
  d.p_value = stats::sign_flip_p(excess);
  const double minimum = kl ? kMinKlExcess : kMinAbsLogprobDiffExcess;
  const bool large = d.drift > std::max(2 * d.floor_drift, d.floor_drift + minimum);
  d.tripped = d.p_value < alpha && large;
  return d;
}

}  // namespace qdrift::tripwire
