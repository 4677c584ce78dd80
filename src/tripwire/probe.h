// Fetching teacher-forced logprobs for a corpus through the request pool, and
// the trip rule that compares a candidate pass with the baseline's noise floor.
#pragma once

#include <string>
#include <vector>

#include "qdrift/http_pool.h"
#include "qdrift/status.h"
#include "qdrift/tripwire.h"

namespace qdrift::tripwire {

struct ProbeOptions {
  std::string endpoint;  // base URL including /v1
  std::string model;
  std::string api_key;   // Bearer token, never stored
  int top_k = 20;        // alternatives per position; vLLM caps this at 20 by default
  int pass = 1;          // sent as the request seed: 1 reference, 2 floor, 3 candidate
  std::string dialect = "vllm";  // "vllm" (/v1/completions echo) or "sglang" (native /generate)
  PoolOptions pool;
};

// One pass over the corpus: every text's positions, in corpus order (vLLM dialect).
Result<std::vector<Sequence>> fetch_pass(const std::vector<std::string>& corpus, const ProbeOptions& options);

// Per-sequence comparison of `cand` against `base` (same corpus, same order).
Result<std::vector<SequenceScore>> compare_passes(const std::vector<Sequence>& base, const std::vector<Sequence>& cand,
                                                  Summary* overall = nullptr);

// The trip rule. The baseline's second pass against its first is the noise floor,
// per sequence. The candidate trips when, pairing sequences, its KL to the first
// pass exceeds the floor's (one-sided sign-flip test at `alpha`) AND the excess is
// large enough to matter: mean KL above max(2 x floor mean, floor mean + min_kl).
struct TripDecision {
  bool tripped = false;
  double p_value = 1;
  double mean_kl = 0, floor_mean_kl = 0;
  double top1_agreement = 0, floor_top1_agreement = 0;
};
inline constexpr double kMinKlExcess = 0.002;  // nats per token
TripDecision decide(const std::vector<SequenceScore>& floor, const std::vector<SequenceScore>& candidate, double alpha);

}  // namespace qdrift::tripwire
