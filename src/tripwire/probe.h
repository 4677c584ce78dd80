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
  // How to ask: "vllm" (/v1/completions echo, falling back to prompt_logprobs when
  // the server rejects echo), "vllm-prompt-logprobs", "sglang" or "tgi" (native /generate).
  std::string dialect = "vllm";
  PoolOptions pool;
};

// One pass over the corpus: every text's positions, in corpus order, and how they
// were fetched.
struct Pass {
  std::vector<Sequence> sequences;
  std::string api;          // the dialect actually used ("vllm" fell back or not)
  bool keyed_by_id = true;  // alternatives are keyed by token id (else by text)
  bool alternatives = true; // the server gave top-k alternatives (TGI does not)
};
Result<Pass> fetch_pass(const std::vector<std::string>& corpus, const ProbeOptions& options);

// Why two passes' alternatives cannot be compared ("" when they can): one of them
// has none, or one keys tokens by id and the other by text.
std::string alternatives_gap(bool base_alternatives, bool base_by_id, bool cand_alternatives, bool cand_by_id);

// Per-sequence comparison of `cand` against `base` (same corpus, same order);
// `alternatives` false makes top-1 agreement and KL unavailable.
Result<std::vector<SequenceScore>> compare_passes(const std::vector<Sequence>& base, const std::vector<Sequence>& cand,
                                                  bool alternatives, Summary* overall = nullptr);

// The trip rule. The baseline's second pass against its first is the noise floor,
// per sequence. The drift of a sequence is its mean KL when both the floor and the
// candidate have it, else its mean absolute logprob difference of the actual tokens.
// The candidate trips when, pairing sequences, its drift from the first pass exceeds
// the floor's (one-sided sign-flip test at `alpha`) AND the excess is large enough to
// matter: mean drift above max(2 x floor mean, floor mean + the metric's minimum).
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
TripDecision decide(const std::vector<SequenceScore>& floor, const std::vector<SequenceScore>& candidate, double alpha);

}  // namespace qdrift::tripwire
