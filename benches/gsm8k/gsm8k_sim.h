// The simulator's side of gsm8k: items rated by the length of their reference
// solution, answered in the final-number forms the scorer reads.
#pragma once

#include <memory>

#include "qdrift/bench_sim.h"

namespace qdrift {

std::unique_ptr<BenchSim> make_gsm8k_sim();

}  // namespace qdrift
