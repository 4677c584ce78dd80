#include "record/merge.h"

#include <catch2/catch.hpp>

#include "record/shard.h"

using namespace qdrift;

namespace {

// A whole run: two benches of `n` items, two samples each, answers from the ids.
RunFile whole_run(int n = 12) {
  RunFile run;
  run.kind = "baseline";
  run.qdrift_version = "test";
  run.model = "m";
  run.endpoint = "http://127.0.0.1:8000/v1";
  run.server = "vllm";
  run.created_at = "2026-12-08T10:00:00Z";
  for (const char* name : {"arith", "gsm8k"}) {
    BenchRecord bench{
        name, {false, 2, 0.7, 0.8, 20, 0, 1.5, 512, "1", ""}, "sha-" + std::string(name), {}, std::nullopt};
    for (int i = 0; i < n; ++i) {
      const std::string id = name + std::string("-") + std::to_string(i);
      ItemRecord item{id, "", {}, 1, ""};
      for (int k = 0; k < 2; ++k)
        item.samples.push_back({(i + k) % 3 != 0, id + "/" + std::to_string(k), "stop", 7, 0, ""});
      bench.items.push_back(item);
    }
    run.benches.push_back(bench);
  }
  run.request_stats.requests = 4 * n;
  return run;
}

// Shard `index` of `count` of `whole`, as `run --shard` would record it.
ShardFile shard_of_run(const RunFile& whole, int index, int count) {
  ShardFile file{"s" + std::to_string(index) + ".json", whole};
  RunFile& run = file.run;
  run.config.shard = Shard{index, count};
  run.created_at = "2026-12-08T10:00:0" + std::to_string(index) + "Z";
  run.request_stats = {};
  for (BenchRecord& bench : run.benches) {
    bench.unsharded_items = static_cast<std::int64_t>(bench.items.size());
    std::vector<ItemRecord> kept;
    for (std::size_t i = 0; i < bench.items.size(); ++i)
      if (in_shard(*run.config.shard, bench.name, bench.items[i].id)) {
        kept.push_back(bench.items[i]);
        kept.back().position = static_cast<std::int64_t>(i);
        run.request_stats.requests += 2;
      }
    bench.items = kept;
  }
  if (index != 0) run.tripwire = TripwireRecord{};  // only shard 0 runs it
  return file;
}

std::vector<ShardFile> shards_of(const RunFile& whole, int count) {
  std::vector<ShardFile> files;
  for (int index = count - 1; index >= 0; --index) files.push_back(shard_of_run(whole, index, count));  // any order
  return files;
}

std::string refusal(const std::vector<ShardFile>& files) {
  auto merged = merge_shards(files);
  REQUIRE_FALSE(merged.ok());
  CHECK(merged.status().kind() == ErrorKind::kBadInput);
  return merged.status().message();
}

}  // namespace

TEST_CASE("merged shards are the whole run, item for item and byte for byte", "[merge][shard]") {
  RunFile whole = whole_run();
  whole.tripwire.status = "reference";
  std::vector<ShardFile> files = shards_of(whole, 3);
  files.back().run.tripwire.status = "reference";                                        // shard 0 (given last)
  for (const ShardFile& file : files) REQUIRE_FALSE(file.run.benches[0].items.empty());  // a real split
  auto merged = merge_shards(files);
  REQUIRE(merged.ok());
  whole.created_at = "2026-12-08T10:00:02Z";  // the last shard's
  CHECK(serialize_run_file(merged->run) == serialize_run_file(whole));
  CHECK(merged->run.request_stats.requests == 48);
  CHECK(merged->run.tripwire.status == "reference");
  CHECK_FALSE(merged->run.config.shard);
  CHECK(serialize_run_file(merged->run).find("\"schema\": 2,") != std::string::npos);  // a whole run again
  CHECK(merged->notes.empty());
  // One shard of one is the whole run too.
  auto single = merge_shards({shard_of_run(whole_run(), 0, 1)});
  REQUIRE(single.ok());
  CHECK(single->run.benches[0].items.size() == 12);
}

TEST_CASE("merge adds up each replica's requests over the shards", "[merge][shard]") {
  std::vector<ShardFile> files = shards_of(whole_run(), 2);  // shard 1, then shard 0
  files[1].run.request_stats.replicas = {{"http://a/v1", 10, 11, 1, false}, {"http://b/v1", 5, 9, 4, true}};
  files[0].run.request_stats.replicas = {{"http://b/v1", 7, 7, 0, false}, {"http://c/v1", 3, 3, 0, false}};
  auto merged = merge_shards(files);
  REQUIRE(merged.ok());
  const std::vector<ReplicaRequests>& replicas = merged->run.request_stats.replicas;
  REQUIRE(replicas.size() == 3);  // shard 0's first, then what shard 1 adds
  CHECK(replicas[0].endpoint == "http://a/v1");
  CHECK(replicas[1].endpoint == "http://b/v1");
  CHECK(replicas[1].answered == 12);
  CHECK(replicas[1].tries == 16);
  CHECK(replicas[1].failed_tries == 4);
  CHECK(replicas[1].down);
  CHECK(replicas[2].endpoint == "http://c/v1");
  CHECK(replicas[2].answered == 3);
}

TEST_CASE("merge names shards asked of different endpoints", "[merge][shard]") {
  std::vector<ShardFile> files = shards_of(whole_run(), 2);
  files[0].run.endpoint = "http://127.0.0.1:8001/v1";
  auto merged = merge_shards(files);
  REQUIRE(merged.ok());
  REQUIRE(merged->notes.size() == 1);
  CHECK(merged->notes[0] == "the shards asked 2 endpoints; the merged file names shard 0's (http://127.0.0.1:8000/v1)");
}

TEST_CASE("merge refuses shards of different runs, naming the file and the field", "[merge][shard]") {
  const RunFile whole = whole_run();
  std::vector<ShardFile> files = shards_of(whole, 3);
  files[1].run.model = "other";
  CHECK(refusal(files) == "s1.json: model is \"other\", not \"m\" as in s2.json: shards of one run must agree");
  files = shards_of(whole, 3);
  files[2].run.benches[1].settings.temperature = 0.6;
  CHECK(refusal(files) ==
        "s0.json: gsm8k: settings.temperature is 0.6, not 0.7 as in s2.json: shards of one run must agree");
  files = shards_of(whole, 3);
  files[1].run.benches[0].dataset_sha256 = "other";
  CHECK(refusal(files) ==
        "s1.json: arith: dataset_sha256 is other, not sha-arith as in s2.json: shards of one run must agree");
  files = shards_of(whole, 3);
  files[1].run.config.seed = 4;
  CHECK(refusal(files) == "s1.json: config.seed is 4, not 0 as in s2.json: shards of one run must agree");
  files = shards_of(whole, 3);
  files[1].run.benches.pop_back();
  CHECK(refusal(files) ==
        "s1.json: the bench set is \"arith\", not \"arith,gsm8k\" as in s2.json: shards of one run must agree");
  files = shards_of(whole, 3);
  files[1].run.benches[0].repeats = 2;
  for (ItemRecord& item : files[1].run.benches[0].items) item.samples.resize(4, item.samples[0]);
  CHECK(refusal(files) == "s1.json: arith: repeats is 2, not 1 as in s2.json: shards of one run must agree");
  files = shards_of(whole, 3);
  files.push_back(shard_of_run(whole, 1, 2));
  files.back().path = "two.json";
  CHECK(refusal(files) == "two.json: the shard count is 2, not 3 as in s2.json: shards of one run must agree");
}

TEST_CASE("merge refuses a missing, repeated or unfinished shard and missing or repeated items", "[merge][shard]") {
  const RunFile whole = whole_run();
  std::vector<ShardFile> files = shards_of(whole, 3);
  files.erase(files.begin() + 1);
  CHECK(refusal(files) == "shard 1/3 is missing: every shard 0 to 2 is needed; given s2.json (2/3), s0.json (0/3)");

  files = shards_of(whole, 3);
  files.push_back(files[1]);
  files.back().path = "again.json";
  CHECK(refusal(files) == "again.json: shard 1/3 again (also s1.json): give each shard once");

  files = shards_of(whole, 3);
  files[0].run.config.shard.reset();
  CHECK(refusal(files) ==
        "s2.json: not a shard (its config has no 'shard'): only files of `run --shard I/N` are merged");

  files = shards_of(whole, 3);
  files[1].run.benches[0].items[0].samples.pop_back();
  CHECK_THAT(refusal(files),
             Catch::Matches("s1\\.json: arith item '.*' has 1 of its 2 samples: the shard is incomplete"));

  files = shards_of(whole, 3);
  files[1].run.benches[0].stopped_early = EarlyStop{};
  CHECK(refusal(files) == "s1.json: arith stopped early: the shard is incomplete");

  files = shards_of(whole, 3);
  files[1].run.benches[0].items.erase(files[1].run.benches[0].items.begin());
  CHECK_THAT(
      refusal(files),
      Catch::Matches("arith: 1 of its 12 items are in none of the shard files \\(positions \\d+\\): a shard file "
                     "is incomplete"));

  // An item copied into a second shard: named with both files.
  files = shards_of(whole, 3);
  const ItemRecord stray = files[0].run.benches[0].items[0];  // shard 2's
  files[1].run.benches[0].items.push_back(stray);
  CHECK_THAT(refusal(files), Catch::EndsWith("belongs to shard 2, not 1/3 (an item of another shard's file)"));

  files = shards_of(whole, 3);
  files[1].run.benches[0].items[0].position.reset();
  CHECK_THAT(refusal(files), Catch::EndsWith("has no 'position': not a shard file of this qdrift"));
}
