// `grounded`: the brief's grounded-reasoning bench. The model answers 90
// questions over three generated markets (daily prices, splits, dividends) by
// running bash in a sandbox, up to 30 turns each (README "Benches").
#pragma once

#include <memory>

#include "qdrift/bench.h"

namespace qdrift {

std::unique_ptr<Bench> make_grounded_bench();

}  // namespace qdrift
