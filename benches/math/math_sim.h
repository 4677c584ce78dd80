// The simulator's side of the math contests: later problems rated harder,
// answered with a \boxed{} value.
#pragma once

#include <memory>

#include "math/math_bench.h"
#include "qdrift/bench_sim.h"

namespace qdrift {

std::unique_ptr<BenchSim> make_math_sim(MathContest contest, int year);

}  // namespace qdrift
