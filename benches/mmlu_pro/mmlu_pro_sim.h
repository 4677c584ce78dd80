// The simulator's side of mmlu_pro: items rated by their number of options,
// answered with "the answer is (X)".
#pragma once

#include <memory>

#include "qdrift/bench_sim.h"

namespace qdrift {

std::unique_ptr<BenchSim> make_mmlu_pro_sim();

}  // namespace qdrift
