// Runs benches against an endpoint, stage by stage: plan (src/engine/run_plan.h),
// preflight, resume, the request loop over every episode, the sample sink
// (checkpoint, early stop), the tripwire, finalize (the atomic write).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/run_observer.h"
#include "engine/task_order.h"
#include "qdrift/bench.h"
#include "qdrift/endpoint.h"
#include "qdrift/http_pool.h"
#include "qdrift/openai.h"
#include "qdrift/record.h"
#include "qdrift/status.h"

namespace qdrift {

struct RunOptions {
  Endpoint endpoint;                // base URL including /v1, model ("" = the only one served), key, server kind
  // --endpoint given more than once: every server of the model, the first being
  // endpoint.base_url. Chat requests are spread over them (PoolOptions::replicas);
  // preflight, the tripwire and server detection ask the first. Empty: one server.
  std::vector<Replica> replicas;
  std::string kind = "run";         // "run" or "baseline"
  Tier tier = Tier::kStandard;
  std::vector<std::string> benches; // empty = the tier's default set
  std::optional<bool> think;        // unset = each bench's own mode
  std::optional<int> samples;       // unset = each bench's own K
  // collect-baseline --repeats R: each item's K samples drawn R times, so the
  // verdict can test against the baseline's per-item mean (docs/statistics.md).
  int repeats = 1;
  SamplingOverrides overrides;
  std::uint64_t seed = 0;
  std::string out;                  // the final file; the checkpoint sits beside it
  // Names the file when `out` is empty, from the model the server serves.
  std::function<std::string(const std::string& model)> default_out;
  // The order samples are asked in (engine/schedule.h): long work first, or
  // the run file's order (--order run). Outcomes do not depend on it.
  TaskOrder order = TaskOrder::kLongestFirst;
  bool resume = false;
  bool force = false;               // allow replacing an existing `out`
  DataOptions data;                 // --data-dir, cache, HF token and viewer URL
  std::size_t limit = 0;            // --limit: the first N items of each bench (0 = all)
  // --shard I/N: only the items of shard I of N (by a stable hash of bench and
  // item id), each asked exactly as the whole run would ask it; unset = all.
  std::optional<Shard> shard;
  bool progress = true;             // a progress line on stderr when it is a terminal
  bool handle_signals = false;      // SIGINT/SIGTERM stop the run cleanly (the CLI sets it)
  bool verbose = false;             // every request and its answer on stderr, credentials redacted
  double interrupt_grace_s = 10;    // how long in-flight requests may finish after the first signal
  PoolOptions pool;                 // concurrency, timeouts, retries
  // The judge endpoint, for benches whose episodes ask one (its own lane); unset:
  // such an episode fails its sample saying no judge is configured.
  std::optional<Endpoint> judge;
  int judge_concurrency = 8;        // judge requests kept in flight
  bool judge_self = false;          // --judge-self: let the model under test be its own judge
  unsigned tool_workers = 32;       // threads running episodes' tool calls
  // --stop-early: grade against `baseline` while running and end a bench once
  // its degradation is conclusive (anytime-valid e-value over the flips).
  const RunFile* baseline = nullptr;
  bool stop_early = false;
  double alpha = 0.05;
  // The logprob tripwire: a baseline collects a reference over `corpus_file` (or
  // over its own prompts and answers); a run with a baseline probes it first.
  bool tripwire = true;
  std::string corpus_file;
  std::size_t corpus_size = 64;
  bool fail_fast = false;  // skip the benches when the tripwire trips
  // --allow-unsandboxed: a bench that runs model-written code (humaneval) may run it
  // without bubblewrap when bubblewrap is unusable; the run file and reports say so.
  bool allow_unsandboxed = false;
  // --tool-protocol: how an agent bench (grounded) offers its tools: "text" or
  // "native"; "" = the bench's default. Other benches ignore it.
  std::string tool_protocol;
};

// The checkpoint path for a final file.
std::string checkpoint_path(const std::string& out);

// Runs every stage and writes `out` atomically; returns the run file. Everything
// said while it runs goes to `observer` (the other overload: the terminal).
Result<RunFile> execute_run(const RunOptions& options, RunObserver& observer);
Result<RunFile> execute_run(const RunOptions& options);

}  // namespace qdrift
