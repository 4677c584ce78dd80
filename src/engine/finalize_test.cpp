#include "engine/finalize.h"

#include <catch2/catch.hpp>

#include "process.h"
#include "util/files.h"

namespace qdrift {
namespace {

TEST_CASE("finalize: a bench stopped early keeps the items graded by then and counts the requests saved",
          "[finalize]") {
  RunOptions options;
  options.endpoint.base_url = "http://user:secret@127.0.0.1:9/v1";
  options.tier = Tier::kSmoke;
  options.benches = {"arith"};
  options.limit = 6;
  options.samples = 2;
  const RunPlan plan = *plan_run(options);
  std::vector<BenchProgress> progress(1);
  progress[0].results.assign(6, std::vector<std::optional<SampleRecord>>(2));
  for (std::size_t i = 0; i < 4; ++i)
    for (auto& sample : progress[0].results[i]) sample = SampleRecord{true, "1", "stop", 3, 0, ""};
  progress[0].graded = 3;
  progress[0].stopped = EarlyStop{3, 0, 25.0, 20.0};
  const RunFile run = assemble_run_file(options, {"m", "vllm"}, plan, progress);
  REQUIRE(run.benches.size() == 1);
  CHECK(run.benches[0].items.size() == 3);
  REQUIRE(run.benches[0].stopped_early);
  CHECK(run.benches[0].stopped_early->requests_saved == 12 - 8);
  CHECK(run.endpoint.find("secret") == std::string::npos);
  CHECK(run.model == "m");
}

TEST_CASE("finalize: a shard's file records the shard, each bench's whole size and each item's position",
          "[finalize][shard]") {
  RunOptions options;
  options.endpoint.base_url = "http://127.0.0.1:9/v1";
  options.tier = Tier::kSmoke;
  options.benches = {"arith"};
  options.shard = Shard{1, 2};
  const RunPlan plan = *plan_run(options);
  const PlannedBench& p = plan.benches[0];
  std::vector<BenchProgress> progress(1);
  progress[0].results.assign(p.items.size(), std::vector<std::optional<SampleRecord>>(1));
  for (auto& item : progress[0].results) item[0] = SampleRecord{true, "1", "stop", 3, 0, ""};
  const RunFile run = assemble_run_file(options, {"m", "vllm"}, plan, progress);
  REQUIRE(run.config.shard);
  CHECK(*run.config.shard == Shard{1, 2});
  CHECK(run.benches[0].unsharded_items == 50);
  REQUIRE(run.benches[0].items.size() == p.items.size());
  CHECK(run.benches[0].items.back().position == p.positions.back());
  // Written as schema 3, and read back the same.
  const std::string text = serialize_run_file(run);
  CHECK(text.find("\"schema\": 3,") != std::string::npos);
  CHECK(text.find("\"shard\":{\"index\":1,\"count\":2}") != std::string::npos);
  const auto read = parse_run_file(text, "shard.json");
  REQUIRE(read.ok());
  CHECK(read->config.shard == run.config.shard);
  CHECK(read->benches[0].unsharded_items == 50);
  CHECK(read->benches[0].items.front().position == p.positions.front());
}

TEST_CASE("finalize: the file is written once, the checkpoint removed, transcripts moved beside it", "[finalize]") {
  testing::TempDir dir;
  RunOptions options;
  options.out = dir.file("run.json");
  testing::write_text(checkpoint_path(options.out), "{}\n");
  testing::write_text(options.out + ".transcripts.jsonl.partial", "{\"schema\":1,\"kind\":\"transcripts\"}\n");
  RunFile run;
  run.qdrift_version = "test";
  REQUIRE(write_run_file(options, run).ok());
  CHECK_FALSE(file_exists(checkpoint_path(options.out)));
  CHECK(file_exists(options.out + ".transcripts.jsonl"));
  // Never over an existing file without --force; nothing is lost.
  testing::write_text(checkpoint_path(options.out), "{}\n");
  auto again = write_run_file(options, run);
  REQUIRE_FALSE(again.ok());
  CHECK(file_exists(checkpoint_path(options.out)));
}

}  // namespace
}  // namespace qdrift
