#include "engine/run_plan.h"

#include <catch2/catch.hpp>
#include <algorithm>

#include "process.h"

namespace qdrift {
namespace {

RunOptions arith_run() {
  RunOptions options;
  options.endpoint.base_url = "http://127.0.0.1:9/v1";
  options.tier = Tier::kSmoke;
  options.benches = {"arith"};
  return options;
}

std::string plan_error(const RunOptions& options) {
  auto plan = plan_run(options);
  return plan.ok() ? "" : plan.status().message();
}

TEST_CASE("plan: errors come in the order a user reads the command", "[plan]") {
  RunOptions options = arith_run();
  options.endpoint.base_url.clear();
  options.benches = {"nosuch"};
  options.alpha = 5;
  CHECK_THAT(plan_error(options), Catch::StartsWith("no endpoint"));
  options.endpoint.base_url = "http://127.0.0.1:9/v1";
  CHECK_THAT(plan_error(options), Catch::StartsWith("unknown bench 'nosuch' (known: arith"));
  options.benches = {"arith"};
  CHECK(plan_error(options) == "--alpha must be between 0 and 1");
  options.alpha = 0.05;
  options.pool.concurrency = 0;
  CHECK(plan_error(options) == "--concurrency must be at least 1");
  options.pool.concurrency = 8;
  options.samples = 0;
  CHECK(plan_error(options) == "--samples must be at least 1");
  options.samples = 2;
  options.overrides.max_tokens = 0;
  CHECK(plan_error(options) == "--max-tokens must be at least 1");
  options.overrides.max_tokens.reset();
  options.stop_early = true;
  CHECK_THAT(plan_error(options), Catch::StartsWith("--stop-early needs --baseline"));
}

TEST_CASE("plan: an existing --out or an unfinished checkpoint is refused before any request", "[plan]") {
  testing::TempDir dir;
  RunOptions options = arith_run();
  options.out = dir.file("run.json");
  testing::write_text(options.out, "{}");
  CHECK_THAT(plan_error(options), Catch::Contains("run.json exists; pass --force"));
  options.force = true;
  CHECK(plan_error(options).empty());
  testing::write_text(checkpoint_path(options.out), "");
  CHECK_THAT(plan_error(options), Catch::Contains("holds an unfinished run: pass --resume"));
  options.resume = true;
  CHECK(plan_error(options).empty());
}

TEST_CASE("plan: each bench's items, sampling and settings are fixed up front", "[plan]") {
  RunOptions options = arith_run();
  options.samples = 3;
  options.overrides.temperature = 0.1;
  options.limit = 7;
  auto plan = plan_run(options);
  REQUIRE(plan.ok());
  REQUIRE(plan->benches.size() == 1);
  const PlannedBench& p = plan->benches[0];
  CHECK(p.items.size() == 7);
  CHECK(p.settings.samples == 3);
  CHECK(p.settings.temperature == 0.1);
  CHECK(p.sampling.temperature == 0.1);
  CHECK(p.dataset_sha256 == items_sha256(p.items));
  CHECK(plan->warnings.empty());
}

TEST_CASE("plan: --shard keeps its items in the whole run's order, and the whole run's hash", "[plan][shard]") {
  const RunOptions whole = arith_run();  // 50 smoke items
  const PlannedBench all = plan_run(whole)->benches[0];
  std::vector<int> home(all.items.size(), -1);
  for (int index = 0; index < 3; ++index) {
    RunOptions options = whole;
    options.shard = Shard{index, 3};
    auto plan = plan_run(options);
    REQUIRE(plan.ok());
    const PlannedBench& p = plan->benches[0];
    CHECK(p.dataset_sha256 == all.dataset_sha256);  // shards compare like the whole run
    CHECK(p.unsharded_items == 50);
    CHECK(p.settings.samples == all.settings.samples);
    REQUIRE(p.positions.size() == p.items.size());
    for (std::size_t i = 0; i < p.items.size(); ++i) {
      const auto position = static_cast<std::size_t>(p.positions[i]);
      CHECK(all.items[position].id == p.items[i].id);
      CHECK(home[position] == -1);  // no item in two shards
      home[position] = index;
      if (i > 0) CHECK(p.positions[i] > p.positions[i - 1]);
    }
  }
  CHECK(std::count(home.begin(), home.end(), -1) == 0);  // every item in some shard
  CHECK(plan_run(whole)->benches[0].positions.empty());
}

TEST_CASE("plan: --shard refuses a bad index, --stop-early and --fail-fast", "[plan][shard]") {
  RunOptions options = arith_run();
  options.shard = Shard{3, 3};
  CHECK(plan_error(options) == "--shard: the index must be 0 to 2 (shards are numbered from 0)");
  options.shard = Shard{0, 3};
  options.stop_early = true;
  CHECK_THAT(plan_error(options), Catch::StartsWith("--stop-early does not work with --shard: a shard sees only part"));
  options.stop_early = false;
  options.fail_fast = true;
  CHECK_THAT(plan_error(options), Catch::StartsWith("--fail-fast does not work with --shard"));
}

}  // namespace
}  // namespace qdrift
