// The order a run asks for its samples in. On a continuously batched server the
// wall time is set by the number of decode steps, and no order takes fewer than
// the longest sequence's tokens: a 32k-token think sample that starts last keeps
// the GPU running a nearly empty batch long after everything else is done. So
// long work goes first (think mode and high caps), and each item's K samples stay
// together (they share a prompt the server's prefix cache then serves).
// Outcomes do not depend on the order: every request carries its own seed, and
// grading reads items in item order whatever order they finished in.
#pragma once

#include <vector>

#include "engine/request_loop.h"
#include "engine/run_plan.h"
#include "engine/task_order.h"

namespace qdrift {

// What one sample of the bench may cost the server, in tokens: its cap when it
// thinks, a tenth of it when it answers directly (such answers rarely come near).
double expected_tokens(const PlannedBench& bench);

// Sorts `tasks` (any subset, e.g. what a resume still misses) for `order`; a
// stable sort, so ties keep the run's order and an item's samples stay adjacent.
void order_tasks(std::vector<EpisodeTask>& tasks, const RunPlan& plan, TaskOrder order);

}  // namespace qdrift
