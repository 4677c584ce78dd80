#include "engine/sample_sink.h"

#include <catch2/catch.hpp>

#include "process.h"

namespace qdrift {
namespace {

struct Recorder final : RunObserver {
  int samples = 0;
  BenchTally last;
  void sample_finished(const BenchTally& tally) override {
    ++samples;
    last = tally;
  }
};

RunPlan arith_plan(std::size_t items, int samples) {
  RunOptions options;
  options.endpoint.base_url = "http://127.0.0.1:9/v1";
  options.tier = Tier::kSmoke;
  options.benches = {"arith"};
  options.limit = items;
  options.samples = samples;
  return *plan_run(options);
}

// A one-sample baseline of the plan's bench, right on the items `right` picks.
template <typename Right>
RunFile baseline_of(const RunPlan& plan, Right right) {
  RunFile baseline;
  BenchRecord bench{"arith", plan.benches[0].settings, plan.benches[0].dataset_sha256, {}, std::nullopt};
  for (std::size_t i = 0; i < plan.benches[0].items.size(); ++i) {
    SampleRecord sample;
    sample.correct = right(i);
    bench.items.push_back({plan.benches[0].items[i].id, "", {sample}, 1, ""});
  }
  baseline.benches.push_back(bench);
  return baseline;
}

EpisodeResult graded(bool correct) {
  EpisodeResult result;
  result.correct = correct;
  result.answer = correct ? "right" : "wrong";
  result.explanation = "compared";
  result.finish = "stop";
  result.corpus_text = "prompt\nanswer";
  return result;
}

TEST_CASE("sink: every sample reaches the checkpoint before it is counted - a resume takes them back", "[sink]") {
  testing::TempDir dir;
  const std::string path = dir.file("run.json.checkpoint.jsonl");
  const RunPlan plan = arith_plan(4, 2);
  Recorder observer;
  {
    CheckpointWriter writer;
    REQUIRE(writer.open(path, "{\"checkpoint\":1}", false).ok());
    SampleSink sink(plan, writer, observer, /*keep_corpus_text=*/true);
    const std::vector<EpisodeTask> tasks = sink.missing_tasks();
    REQUIRE(tasks.size() == 8);
    CHECK(tasks[1].item == 0);
    CHECK(tasks[1].sample == 1);
    for (std::size_t t = 0; t < 5; ++t) REQUIRE(sink.record(tasks[t], graded(t % 2 == 0)).ok());
    CHECK(sink.samples_done() == 5);
    CHECK(observer.samples == 5);
    CHECK(observer.last.items_done == 2);  // items 0 and 1 have both samples; item 2 has one
    CHECK(observer.last.items == 4);
    CHECK(observer.last.requests == 5);
    CHECK(observer.last.run_requests == 5);
    CHECK(observer.last.losses == -1);  // no baseline to count against
  }
  CHECK(testing::checkpoint_samples(path) == 5);
  auto contents = read_checkpoint(path);
  REQUIRE(contents.ok());
  CheckpointWriter writer;
  SampleSink resumed(plan, writer, observer, true);
  CHECK(resumed.restore(*contents) == 5);
  const std::vector<EpisodeTask> missing = resumed.missing_tasks();
  REQUIRE(missing.size() == 3);
  CHECK(missing[0].item == 2);
  CHECK(missing[0].sample == 1);
  CHECK(resumed.benches()[0].first_answer[0] == "prompt\nanswer");
  CHECK(resumed.benches()[0].items_done == 2);
}

TEST_CASE("sink: paired with a baseline, it counts losses and wins as items finish, without stopping", "[sink]") {
  testing::TempDir dir;
  const RunPlan plan = arith_plan(6, 1);
  const RunFile baseline = baseline_of(plan, [](std::size_t i) { return i < 3; });  // the first three right
  Recorder observer;
  CheckpointWriter writer;
  REQUIRE(writer.open(dir.file("c.jsonl"), "{}", false).ok());
  SampleSink sink(plan, writer, observer, false);
  sink.attach_baseline(baseline, 0.0);
  const std::vector<EpisodeTask> tasks = sink.missing_tasks();
  // In reverse: the tally does not depend on the order answers come back.
  for (auto it = tasks.rbegin(); it != tasks.rend(); ++it) REQUIRE(sink.record(*it, graded(it->item % 2 == 0)).ok());
  // Candidate right on items 0, 2, 4: loses item 1, wins item 4.
  CHECK(observer.last.items_done == 6);
  CHECK(observer.last.losses == 1);
  CHECK(observer.last.wins == 1);
  CHECK_FALSE(sink.stopped(0));
}

TEST_CASE("sink: --stop-early ends a bench once the flips against the baseline are conclusive", "[sink]") {
  testing::TempDir dir;
  const RunPlan plan = arith_plan(40, 1);
  const RunFile baseline = baseline_of(plan, [](std::size_t) { return true; });  // every item right
  Recorder observer;
  CheckpointWriter writer;
  REQUIRE(writer.open(dir.file("c.jsonl"), "{}", false).ok());
  SampleSink sink(plan, writer, observer, false);
  sink.attach_baseline(baseline, 20.0);
  std::size_t recorded = 0;
  for (const EpisodeTask& task : sink.missing_tasks()) {
    if (sink.stopped(0)) break;
    REQUIRE(sink.record(task, graded(false)).ok());  // every item lost
    ++recorded;
  }
  CHECK(sink.stopped(0));
  CHECK(recorded < 40);
  REQUIRE(sink.benches()[0].stopped);
  CHECK(sink.benches()[0].stopped->e_value >= 20.0);
  CHECK(sink.benches()[0].losses == static_cast<std::int64_t>(recorded));
}

}  // namespace
}  // namespace qdrift
