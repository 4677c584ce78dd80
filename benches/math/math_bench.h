// Competition math in MathArena's {problem, answer} form: aime_2025/2026 (integer
// answers 0-999) and hmmt_feb_2025/2026 (LaTeX answers). Think mode, maj@4.
#pragma once

#include <memory>
#include <string>

#include "qdrift/bench.h"

namespace qdrift {

enum class MathContest { kAime, kHmmtFeb };

// `year` picks the dataset (MathArena/aime_<year>, local math/aime_<year>.jsonl).
std::unique_ptr<Bench> make_math_bench(MathContest contest, int year);

namespace math {
// "aime_2026", "hmmt_feb_2025".
std::string bench_name(MathContest contest, int year);
// Whether a row's answer can be graded: one that still holds a character a
// string escape mangled, after repair, is dropped from items(), never mis-graded.
bool gradable_answer(const std::string& answer);
}  // namespace math

}  // namespace qdrift
