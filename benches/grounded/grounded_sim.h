// The simulator's side of grounded: it plays an agent. It sends the
// question's reference query, reads the real sandbox's output back from the
// conversation and answers from it. A damaged model sometimes sends a broken
// query, misreads the output, or gets stuck re-running the same command until
// the turn cap.
#pragma once

#include <memory>

#include "qdrift/bench_sim.h"

namespace qdrift {

std::unique_ptr<BenchSim> make_grounded_sim();
// The sim of a user's agent scenario bench (grounded/user_scenario.h); null for any other bench.
std::unique_ptr<BenchSim> make_agent_sim(const Bench& bench);

}  // namespace qdrift
