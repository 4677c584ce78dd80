// --shard I/N | auto, and reading a batch scheduler's task index for `auto`.
#include "cli/shard_flag.h"

#include <cstdlib>

#include <fmt/format.h>

#include "record/shard.h"

namespace qdrift::cli {

namespace {

std::optional<std::string> variable(const char* name) {
  const char* value = std::getenv(name);
  return value ? std::optional<std::string>(value) : std::nullopt;
}

// A scheduler variable's value as a number, or one line naming it.
Result<int> number(const char* name, const std::string& value) {
  const std::optional<int> parsed = shard_number(value);
  if (!parsed) return Status::Usage(fmt::format("--shard auto: {}='{}' is not a whole number", name, value));
  return *parsed;
}

// Checked against parse_shard's rules, and said in the scheduler's words.
Result<Shard> checked(int index, int count, const std::string& origin) {
  const Shard shard{index, count};
  if (Status s = check_shard(shard); !s.ok())
    return Status::Usage(fmt::format("--shard auto: {}: {}", origin, s.message()));
  return shard;
}

Result<Shard> kubernetes_shard(const ShardEnvironment& env) {
  if (!env.shard_count)
    return Status::Usage(
        "--shard auto: JOB_COMPLETION_INDEX is set but QDRIFT_SHARD_COUNT is not: set it to the Indexed Job's "
        "completions (Kubernetes does not tell the pod)");
  auto index = number("JOB_COMPLETION_INDEX", *env.job_completion_index);
  if (!index.ok()) return index.status();
  auto count = number("QDRIFT_SHARD_COUNT", *env.shard_count);
  if (!count.ok()) return count.status();
  return checked(*index, *count, fmt::format("JOB_COMPLETION_INDEX={} with QDRIFT_SHARD_COUNT={}", *index, *count));
}

// Slurm numbers array tasks as written in --array (0-3, 1-4, 0-15:4): the shard
// is the task's place in that range, which must be exactly COUNT tasks long.
Result<Shard> slurm_shard(const ShardEnvironment& env) {
  if (!env.slurm_task_count)
    return Status::Usage("--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not");
  auto id = number("SLURM_ARRAY_TASK_ID", *env.slurm_task_id);
  if (!id.ok()) return id.status();
  auto count = number("SLURM_ARRAY_TASK_COUNT", *env.slurm_task_count);
  if (!count.ok()) return count.status();
  int min = 0, step = 1;
  if (env.slurm_task_min) {
    auto parsed = number("SLURM_ARRAY_TASK_MIN", *env.slurm_task_min);
    if (!parsed.ok()) return parsed.status();
    min = *parsed;
  }
  if (env.slurm_task_step) {
    auto parsed = number("SLURM_ARRAY_TASK_STEP", *env.slurm_task_step);
    if (!parsed.ok()) return parsed.status();
    if (*parsed < 1) return Status::Usage("--shard auto: SLURM_ARRAY_TASK_STEP must be at least 1");
    step = *parsed;
  }
  const std::string said = fmt::format(
      "SLURM_ARRAY_TASK_ID={} (SLURM_ARRAY_TASK_MIN={}, step {}) of SLURM_ARRAY_TASK_COUNT={}", *id, min, step, *count);
  if (*id < min || (*id - min) % step != 0)
    return Status::Usage(fmt::format("--shard auto: {} is not a task of the array", said));
  // A list such as --array=1,3,7 is not a range: its tasks cannot be numbered from their ids.
  if (env.slurm_task_max) {
    auto max = number("SLURM_ARRAY_TASK_MAX", *env.slurm_task_max);
    if (!max.ok()) return max.status();
    if (*max < min || (*max - min) / step + 1 != *count)
      return Status::Usage(fmt::format(
          "--shard auto: the array {}-{} (step {}) does not hold exactly SLURM_ARRAY_TASK_COUNT={} tasks: use a range "
          "such as --array=0-{}, or --shard I/N",
          min, *max, step, *count, *count - 1));
  }
  return checked((*id - min) / step, *count, said);
}

}  // namespace

ShardEnvironment shard_environment() {
  return {variable("JOB_COMPLETION_INDEX"),   variable("QDRIFT_SHARD_COUNT"),   variable("SLURM_ARRAY_TASK_ID"),
          variable("SLURM_ARRAY_TASK_COUNT"), variable("SLURM_ARRAY_TASK_MIN"), variable("SLURM_ARRAY_TASK_MAX"),
          variable("SLURM_ARRAY_TASK_STEP")};
}

Result<Shard> shard_from_environment(const ShardEnvironment& env) {
  const bool kubernetes = env.job_completion_index.has_value(), slurm = env.slurm_task_id.has_value();
  if (kubernetes && slurm)
    return Status::Usage(
        "--shard auto: both JOB_COMPLETION_INDEX (Kubernetes) and SLURM_ARRAY_TASK_ID (Slurm) are set: pass --shard "
        "I/N");
  if (kubernetes) return kubernetes_shard(env);
  if (slurm) return slurm_shard(env);
  return Status::Usage(
      "--shard auto: neither JOB_COMPLETION_INDEX (a Kubernetes Indexed Job, with QDRIFT_SHARD_COUNT) nor "
      "SLURM_ARRAY_TASK_ID (a Slurm job array) is set: pass --shard I/N");
}

Result<std::optional<Shard>> resolve_shard_flag(const std::string& value, const ShardEnvironment& env) {
  if (value.empty()) return std::optional<Shard>();
  auto shard = value == "auto" ? shard_from_environment(env) : parse_shard(value);
  if (!shard.ok()) return shard.status();
  return std::optional<Shard>(*shard);
}

}  // namespace qdrift::cli
