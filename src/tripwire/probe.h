// Fetching teacher-forced logprobs for a corpus through the request pool, and
// comparing two passes. The trip rule itself is in tripwire/trip_rule.h.
#pragma once

#include <string>
#include <vector>

#include "qdrift/endpoint.h"
#include "qdrift/http_pool.h"
#include "qdrift/status.h"
#include "qdrift/tripwire.h"

namespace qdrift::tripwire {

struct ProbeOptions {
  Endpoint endpoint;     // base URL including /v1, model, key (its server kind is not read: see dialect)
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

}  // namespace qdrift::tripwire
