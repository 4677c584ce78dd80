// order_tasks: long work first, by each bench's expected tokens per sample.
#include "engine/schedule.h"

#include <algorithm>

namespace qdrift {

namespace {
// A direct answer's share of its cap: a gsm8k working of ~200 tokens under a 2,048 cap.
constexpr double kDirectAnswerShare = 0.1;
}  // namespace

double expected_tokens(const PlannedBench& bench) {
  const double cap = static_cast<double>(bench.sampling.max_tokens);
  return bench.sampling.think ? cap : kDirectAnswerShare * cap;
}

void order_tasks(std::vector<EpisodeTask>& tasks, const RunPlan& plan, TaskOrder order) {
  if (order == TaskOrder::kRunOrder) return;
  std::vector<double> work(plan.benches.size());
  for (std::size_t b = 0; b < plan.benches.size(); ++b) work[b] = expected_tokens(plan.benches[b]);
  std::stable_sort(tasks.begin(), tasks.end(),
                   [&](const EpisodeTask& a, const EpisodeTask& b) { return work[a.bench] > work[b.bench]; });
}

}  // namespace qdrift
