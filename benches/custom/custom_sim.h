// The simulator's side of a custom bench: items found by their prompt (never
// shuffled), answered in a phrasing the spec's own extraction reads back.
#pragma once

#include <memory>

#include "qdrift/bench_sim.h"

namespace qdrift {

// The sim of a custom bench (custom_bench.h), answering from its spec; null
// for a bench that is not a custom one.
std::unique_ptr<BenchSim> make_custom_sim(const Bench& bench);

}  // namespace qdrift
