// The simulator's side of ifeval: items rated by their number of instructions,
// answered by ifeval's writer (ifeval/writer.h).
#pragma once

#include <memory>

#include "qdrift/bench_sim.h"

namespace qdrift {

std::unique_ptr<BenchSim> make_ifeval_sim();

}  // namespace qdrift
