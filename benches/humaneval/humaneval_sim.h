// The simulator's side of humaneval: items rated by the length of the reference
// solution, answered with code that passes or fails (humaneval/sim_answers.h).
#pragma once

#include <memory>

#include "qdrift/bench_sim.h"

namespace qdrift {

std::unique_ptr<BenchSim> make_humaneval_sim();

}  // namespace qdrift
