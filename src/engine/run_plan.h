// The plan stage of a run: every flag and file checked, every bench's items
// loaded and its settings fixed, before the first request — so a bad flag costs
// a second, not a GPU hour. Errors come in the order a user reads the command:
// endpoint, benches, baseline, alpha, concurrency, samples, tokens, output, corpus.
#pragma once

#include <string>
#include <vector>

#include "engine/runner.h"
#include "qdrift/bench.h"
#include "qdrift/record.h"
#include "qdrift/status.h"

namespace qdrift {

struct PlannedBench {
  const Bench* bench = nullptr;
  std::vector<Item> items;
  SamplingParams sampling;
  BenchSettings settings;
  std::string dataset_sha256;
  std::vector<TraitGate> traits;  // a judged exam's gates, recorded with the bench
  int repeats = 1;                // a baseline's draws of the K samples: K × repeats per item
  // With --shard: `items` are the shard's, positions[i] is items[i]'s index among
  // all `unsharded_items` of the bench (recorded so `qdrift merge` restores the order).
  std::vector<std::int64_t> positions;
  std::int64_t unsharded_items = 0;
};

struct RunPlan {
  std::vector<PlannedBench> benches;
  std::vector<std::string> corpus_from_file;  // --corpus, loaded (baselines only)
  std::vector<std::string> warnings;          // said even with -q (model-written code unsandboxed)
};

Result<RunPlan> plan_run(const RunOptions& options);

inline constexpr int kMaxRepeats = 16;  // --repeats: beyond this the baseline's luck is already negligible

// The flags alone, no file read: endpoint, benches known, alpha, concurrency,
// samples, tokens, retries, timeout. plan_run starts with it; the CLI calls it
// before it loads the baseline, so a typo is reported before a file is read.
Status check_run_flags(const RunOptions& options);

// --out and its checkpoint: refuse to replace a finished file without --force,
// or to start over a checkpoint without --resume. Part of plan_run when --out is
// given; checked again once the server has named the model (default --out).
Status check_output_paths(const RunOptions& options);

}  // namespace qdrift
