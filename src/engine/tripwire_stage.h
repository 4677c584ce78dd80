// The tripwire as a stage of a run: a baseline collects a reference pass and a
// noise floor; a candidate is probed against them before any bench runs.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "qdrift/endpoint.h"
#include "qdrift/http_pool.h"
#include "qdrift/record.h"
#include "qdrift/status.h"

namespace qdrift {

struct TripwireStageOptions {
  Endpoint endpoint;  // its server is the detected or given kind ("auto" asks as vLLM)
  PoolOptions pool;
  double alpha = 0.05;
};

// Texts of the corpus: one per line, or JSONL objects with a "text" field.
Result<std::vector<std::string>> load_corpus(const std::string& path);

// A deterministic choice of up to `count` texts (seeded), from (id, text) pairs.
std::vector<std::string> choose_corpus(std::vector<std::pair<std::string, std::string>> candidates, std::size_t count,
                                       std::uint64_t seed);

// Two passes over `corpus`: the first, trimmed to kStoredTopLogprobs alternatives,
// is the reference; the second's per-text scores against it are the noise floor.
// A server that cannot give prompt logprobs yields status "unsupported" and a reason.
TripwireRecord collect_reference(const std::vector<std::string>& corpus, const TripwireStageOptions& options);

// One pass over the baseline's corpus, scored against its reference and judged
// against its floor: status "ok" or "tripped" (or "unsupported" with a reason).
TripwireRecord probe_candidate(const TripwireRecord& baseline, const TripwireStageOptions& options);

}  // namespace qdrift
