// The tripwire's trip rule: is a candidate's logprob drift beyond the baseline's
// noise floor? Pure arithmetic over per-sequence scores, beside the metrics and
// apart from the prober, so grading (report/grade.cpp) reaches no network code.
#pragma once

#include <string>
#include <vector>

#include "qdrift/tripwire.h"

namespace qdrift::tripwire {

// The baseline's second pass against its first is the noise floor, per sequence.
// The drift of a sequence is its mean KL when both the floor and the candidate have
// it, else its mean absolute logprob difference of the actual tokens. The candidate
// trips when, pairing sequences, its drift from the first pass exceeds the floor's
// (one-sided sign-flip test at `alpha`) AND the excess is large enough to matter:
// mean drift above max(2 x floor mean, floor mean + the metric's minimum).
struct TripDecision {
  bool tripped = false;
  double p_value = 1;
  std::string metric = "kl";  // "kl" or "abs_logprob_diff"
  double drift = 0, floor_drift = 0;  // means of the metric used
  double mean_kl = kUnavailable, floor_mean_kl = kUnavailable;
  double top1_agreement = kUnavailable, floor_top1_agreement = kUnavailable;
  double abs_logprob_diff = 0, floor_abs_logprob_diff = 0;
};
inline constexpr double kMinKlExcess = 0.002;              // nats per token
inline constexpr double kMinAbsLogprobDiffExcess = 0.02;   // nats per token

// Pairs floor[i] with candidate[i] over the shorter of the two; nothing to pair
// gives a default (untripped) decision.
TripDecision decide(const std::vector<SequenceScore>& floor, const std::vector<SequenceScore>& candidate, double alpha);

}  // namespace qdrift::tripwire
