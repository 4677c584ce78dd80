// The simulator's side of gpqa: items found by their question whatever the seed's
// choice order, answered with the letter the asked prompt shows.
#pragma once

#include <memory>

#include "qdrift/bench_sim.h"

namespace qdrift {

std::unique_ptr<BenchSim> make_gpqa_sim();

}  // namespace qdrift
