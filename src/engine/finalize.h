// The finalize stage: the run file assembled from the plan and the samples,
// written atomically (never over an existing file without --force), and the
// checkpoint removed only once the file is whole.
#pragma once

#include <string>
#include <vector>

#include "engine/run_plan.h"
#include "engine/sample_sink.h"
#include "qdrift/record.h"

namespace qdrift {

// Who answered, as the run file records it.
struct RunIdentity {
  std::string model;
  std::string server;
};

// The run file: each bench's items in plan order; a bench that stopped early
// keeps the items graded by then and says how many requests it saved.
RunFile assemble_run_file(const RunOptions& options, const RunIdentity& who, const RunPlan& plan,
                          std::vector<BenchProgress>& progress);

// Writes `run` to options.out, removes the checkpoint, and returns what the file
// holds (figures rounded for storage), so `run --baseline` grades exactly what a
// later `diff` of the same files will.
Result<RunFile> write_run_file(const RunOptions& options, const RunFile& run);

}  // namespace qdrift
