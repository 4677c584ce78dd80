// The simulator's side of arith: it recognises a generated prompt and rates it by
// the expression's shape, so any seed's items are served without an index.
#pragma once

#include <memory>

#include "qdrift/bench_sim.h"

namespace qdrift {

std::unique_ptr<BenchSim> make_arith_sim();

}  // namespace qdrift
