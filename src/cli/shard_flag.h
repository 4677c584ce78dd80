// `--shard I/N` and `--shard auto` (run, collect-baseline). `auto` reads the
// index and count a batch scheduler gives each task of a job:
//   Kubernetes Indexed Job: JOB_COMPLETION_INDEX (0-based) and QDRIFT_SHARD_COUNT
//     (set it to the Job's completions: Kubernetes does not tell the pod);
//   Slurm job array: SLURM_ARRAY_TASK_ID minus SLURM_ARRAY_TASK_MIN (arrays may
//     start anywhere, e.g. --array=1-4) of SLURM_ARRAY_TASK_COUNT tasks.
// The parsing is a pure function of the values, so tests pass them directly.
#pragma once

#include <optional>
#include <string>

#include "qdrift/record.h"
#include "qdrift/status.h"

namespace qdrift::cli {

// The scheduler's variables; unset ones are nullopt.
struct ShardEnvironment {
  std::optional<std::string> job_completion_index;  // JOB_COMPLETION_INDEX
  std::optional<std::string> shard_count;           // QDRIFT_SHARD_COUNT
  std::optional<std::string> slurm_task_id;         // SLURM_ARRAY_TASK_ID
  std::optional<std::string> slurm_task_count;      // SLURM_ARRAY_TASK_COUNT
  std::optional<std::string> slurm_task_min;        // SLURM_ARRAY_TASK_MIN
  std::optional<std::string> slurm_task_max;        // SLURM_ARRAY_TASK_MAX
  std::optional<std::string> slurm_task_step;       // SLURM_ARRAY_TASK_STEP
};

// This process's values of those variables.
ShardEnvironment shard_environment();

// The shard `auto` names: one Usage line naming the variable when neither
// scheduler's variables are set, both are, or their values do not make a shard.
Result<Shard> shard_from_environment(const ShardEnvironment& env);

// The --shard value: "" = the whole run (nullopt), "auto" = from `env`, else I/N.
Result<std::optional<Shard>> resolve_shard_flag(const std::string& value, const ShardEnvironment& env);

}  // namespace qdrift::cli
