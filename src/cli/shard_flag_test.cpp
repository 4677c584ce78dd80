#include "cli/shard_flag.h"

#include <catch2/catch.hpp>

using namespace qdrift;
using qdrift::cli::shard_from_environment;
using qdrift::cli::ShardEnvironment;

namespace {

std::string error_of(const ShardEnvironment& env) {
  auto shard = shard_from_environment(env);
  REQUIRE_FALSE(shard.ok());
  CHECK(shard.status().kind() == ErrorKind::kUsage);
  return shard.status().message();
}

ShardEnvironment kubernetes(std::string index, std::optional<std::string> count) {
  ShardEnvironment env;
  env.job_completion_index = std::move(index);
  env.shard_count = std::move(count);
  return env;
}

ShardEnvironment slurm(std::string id, std::string count, std::optional<std::string> min = std::nullopt,
                       std::optional<std::string> max = std::nullopt) {
  ShardEnvironment env;
  env.slurm_task_id = std::move(id);
  env.slurm_task_count = std::move(count);
  env.slurm_task_min = std::move(min);
  env.slurm_task_max = std::move(max);
  return env;
}

}  // namespace

TEST_CASE("shard auto in a Kubernetes Indexed Job: the completion index of QDRIFT_SHARD_COUNT", "[shard]") {
  CHECK(*shard_from_environment(kubernetes("0", "4")) == Shard{0, 4});
  CHECK(*shard_from_environment(kubernetes("3", "4")) == Shard{3, 4});
  CHECK(error_of(kubernetes("2", std::nullopt)) ==
        "--shard auto: JOB_COMPLETION_INDEX is set but QDRIFT_SHARD_COUNT is not: set it to the Indexed Job's "
        "completions (Kubernetes does not tell the pod)");
  CHECK(error_of(kubernetes("4", "4")) ==
        "--shard auto: JOB_COMPLETION_INDEX=4 with QDRIFT_SHARD_COUNT=4: the index must be 0 to 3 (shards are "
        "numbered from 0)");
  CHECK(error_of(kubernetes("x", "4")) == "--shard auto: JOB_COMPLETION_INDEX='x' is not a whole number");
  CHECK(error_of(kubernetes("1", "")) == "--shard auto: QDRIFT_SHARD_COUNT='' is not a whole number");
  CHECK(error_of(kubernetes("0", "0")).find("the count N must be between 1 and") != std::string::npos);
}

TEST_CASE("shard auto in a Slurm job array: the task's place in the array's range", "[shard]") {
  CHECK(*shard_from_environment(slurm("2", "4", "0", "3")) == Shard{2, 4});
  CHECK(*shard_from_environment(slurm("2", "4")) == Shard{2, 4});            // no MIN: numbered from 0
  CHECK(*shard_from_environment(slurm("1", "4", "1", "4")) == Shard{0, 4});  // --array=1-4
  CHECK(*shard_from_environment(slurm("4", "4", "1", "4")) == Shard{3, 4});
  ShardEnvironment stepped = slurm("8", "4", "0", "12");  // --array=0-12:4
  stepped.slurm_task_step = "4";
  CHECK(*shard_from_environment(stepped) == Shard{2, 4});
  // --array=1-4 without MIN in the environment: id 4 is out of 0..3.
  CHECK(error_of(slurm("4", "4")).find("the index must be 0 to 3") != std::string::npos);
  // --array=1,3,7: three tasks that are not a range.
  CHECK(error_of(slurm("3", "3", "1", "7")) ==
        "--shard auto: the array 1-7 (step 1) does not hold exactly SLURM_ARRAY_TASK_COUNT=3 tasks: use a range such "
        "as --array=0-2, or --shard I/N");
  CHECK(error_of(slurm("0", "4", "1", "4")).find("is not a task of the array") != std::string::npos);
  ShardEnvironment no_count;
  no_count.slurm_task_id = "0";
  CHECK(error_of(no_count) == "--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not");
  CHECK(error_of(slurm("1", "4", "-1", "2")) == "--shard auto: SLURM_ARRAY_TASK_MIN='-1' is not a whole number");
}

TEST_CASE("shard auto refuses no scheduler or two, and the shard flag takes I/N or auto", "[shard]") {
  CHECK(error_of({}) ==
        "--shard auto: neither JOB_COMPLETION_INDEX (a Kubernetes Indexed Job, with QDRIFT_SHARD_COUNT) nor "
        "SLURM_ARRAY_TASK_ID (a Slurm job array) is set: pass --shard I/N");
  ShardEnvironment both = kubernetes("0", "2");
  both.slurm_task_id = "0";
  both.slurm_task_count = "2";
  CHECK(error_of(both).find("both JOB_COMPLETION_INDEX (Kubernetes) and SLURM_ARRAY_TASK_ID (Slurm) are set") !=
        std::string::npos);
  CHECK_FALSE(cli::resolve_shard_flag("", both)->has_value());          // no --shard: the whole run
  CHECK(*cli::resolve_shard_flag("1/3", both).value() == Shard{1, 3});  // I/N ignores the environment
  CHECK(*cli::resolve_shard_flag("auto", kubernetes("1", "2")).value() == Shard{1, 2});
  CHECK_FALSE(cli::resolve_shard_flag("auto", {}).ok());
  CHECK_FALSE(cli::resolve_shard_flag("1-3", {}).ok());
}
