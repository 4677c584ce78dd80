// gsm8k: grade-school math word problems (openai/gsm8k, main, test; 1319 items).
#pragma once

#include <memory>

#include "qdrift/bench.h"

namespace qdrift {

std::unique_ptr<Bench> make_gsm8k_bench();

}  // namespace qdrift
