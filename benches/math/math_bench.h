// Competition math in MathArena's {problem, answer} form: aime_2025/2026 (integer
// answers 0-999) and hmmt_feb_2025/2026 (LaTeX answers). Think mode, maj@4.
#pragma once

#include <memory>

#include "qdrift/bench.h"

namespace qdrift {

enum class MathContest { kAime, kHmmtFeb };

// `year` picks the dataset (MathArena/aime_<year>, local math/aime_<year>.jsonl).
std::unique_ptr<Bench> make_math_bench(MathContest contest, int year);

}  // namespace qdrift
