#include "engine/schedule.h"

#include <catch2/catch.hpp>

using namespace qdrift;

namespace {

PlannedBench planned(bool think, int max_tokens) {
  PlannedBench bench;
  bench.sampling.think = think;
  bench.sampling.max_tokens = max_tokens;
  return bench;
}

std::vector<EpisodeTask> tasks_of(const std::vector<std::pair<std::size_t, std::size_t>>& bench_items, int samples) {
  std::vector<EpisodeTask> tasks;
  for (const auto& [bench, items] : bench_items)
    for (std::size_t i = 0; i < items; ++i)
      for (int k = 0; k < samples; ++k) tasks.push_back({bench, i, k, "b" + std::to_string(bench), std::to_string(i)});
  return tasks;
}

}  // namespace

TEST_CASE("long work goes first, and an item's samples stay together in the run's order", "[schedule]") {
  RunPlan plan;
  plan.benches = {planned(false, 2048), planned(true, 32768), planned(false, 4096), planned(true, 8192)};
  CHECK(expected_tokens(plan.benches[0]) == Approx(204.8));
  CHECK(expected_tokens(plan.benches[1]) == Approx(32768));

  std::vector<EpisodeTask> tasks = tasks_of({{0, 3}, {1, 2}, {2, 2}, {3, 2}}, 2);
  order_tasks(tasks, plan, TaskOrder::kLongestFirst);
  std::vector<std::size_t> benches;
  for (const EpisodeTask& t : tasks)
    if (benches.empty() || benches.back() != t.bench) benches.push_back(t.bench);
  CHECK(benches == std::vector<std::size_t>{1, 3, 2, 0});
  // Within a bench: items in order, each item's samples adjacent.
  CHECK(tasks[0].item == 0);
  CHECK(tasks[0].sample == 0);
  CHECK(tasks[1].item == 0);
  CHECK(tasks[1].sample == 1);
  CHECK(tasks[2].item == 1);
  CHECK(tasks.size() == 18);

  std::vector<EpisodeTask> as_run = tasks_of({{0, 3}, {1, 2}}, 1);
  const std::vector<EpisodeTask> before = as_run;
  order_tasks(as_run, plan, TaskOrder::kRunOrder);
  REQUIRE(as_run.size() == before.size());
  for (std::size_t i = 0; i < as_run.size(); ++i) CHECK(as_run[i].bench == before[i].bench);
}
