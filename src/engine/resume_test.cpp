#include "engine/resume.h"

#include <catch2/catch.hpp>

#include "process.h"

namespace qdrift {
namespace {

RunOptions arith_run(int samples) {
  RunOptions options;
  options.endpoint.base_url = "http://user:secret@127.0.0.1:9/v1";
  options.tier = Tier::kSmoke;
  options.benches = {"arith"};
  options.limit = 5;
  options.samples = samples;
  return options;
}

TEST_CASE("resume: the header pins the run - a changed setting is named, a moved endpoint is not", "[resume]") {
  const RunOptions options = arith_run(1);
  const std::string header = checkpoint_header(options, "m", *plan_run(options));
  CHECK(header.find("secret") == std::string::npos);
  CHECK(header_differences(header, header).empty());
  RunOptions moved = options;
  moved.endpoint.base_url = "http://127.0.0.1:10/v1";
  CHECK(header_differences(header, checkpoint_header(moved, "m", *plan_run(moved))).empty());
  const RunOptions more_samples = arith_run(3);
  CHECK(header_differences(header, checkpoint_header(more_samples, "m", *plan_run(more_samples))) == "arith.samples");
  CHECK(header_differences(header, checkpoint_header(options, "other", *plan_run(options))) == "model");
}

TEST_CASE("resume: a shard resumes only as the same shard, and a whole run not from a shard's checkpoint",
          "[resume][shard]") {
  RunOptions whole = arith_run(1);
  RunOptions shard = whole, other = whole;
  shard.shard = Shard{1, 3};
  other.shard = Shard{2, 3};
  const std::string shard_header = checkpoint_header(shard, "m", *plan_run(shard));
  CHECK(shard_header.find("\"shard\":\"1/3\"") != std::string::npos);
  CHECK(header_differences(shard_header, shard_header).empty());
  CHECK(header_differences(shard_header, checkpoint_header(other, "m", *plan_run(other))) == "shard");
  const std::string whole_header = checkpoint_header(whole, "m", *plan_run(whole));
  CHECK(whole_header.find("shard") == std::string::npos);  // absent: older checkpoints still resume
  CHECK(header_differences(whole_header, shard_header) == "shard");  // sharding an unsharded checkpoint
  CHECK(header_differences(shard_header, whole_header) == "shard");  // the whole run over a shard's checkpoint
}

TEST_CASE("resume: a fresh start, a torn header, a mismatch, and the samples kept", "[resume]") {
  testing::TempDir dir;
  const std::string path = dir.file("r.json.checkpoint.jsonl");
  const RunOptions options = arith_run(1);
  const std::string header = checkpoint_header(options, "m", *plan_run(options));
  CHECK_FALSE(find_resume_point(path, header, true)->append);  // no file yet
  testing::write_text(path, header.substr(0, 10));              // killed inside the header
  CHECK_FALSE(find_resume_point(path, header, true)->append);
  testing::write_text(path, header + "\n" + R"({"bench":"arith","id":"arith-0001","sample":0,"correct":true,"answer":"1","finish":"stop","completion_tokens":1,"reasoning_tokens":0})" + "\n");
  CHECK_FALSE(find_resume_point(path, header, false)->append);  // without --resume: not read
  auto point = find_resume_point(path, header, true);
  REQUIRE(point.ok());
  CHECK(point->append);
  CHECK(point->contents.samples.size() == 1);
  const RunOptions other = arith_run(2);
  auto refused = find_resume_point(path, checkpoint_header(other, "m", *plan_run(other)), true);
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.status().message(), Catch::Contains("cannot resume, these settings differ from the checkpoint: arith.samples"));
}

}  // namespace
}  // namespace qdrift
