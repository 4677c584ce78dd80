// What the simulator answers to a HumanEval item: the canonical solution in the
// shapes chat models use, or a plausible implementation that fails the tests.
#pragma once

#include <cstdint>
#include <string>

#include "qdrift/sandbox.h"

namespace qdrift::humaneval {

// A fenced python block that passes: by noise, the whole prompt with the reference
// body, only the entry point's function, or only the body.
std::string right_answer(const HumanEvalProblem& problem, std::uint64_t noise);
// A fenced python block that fails every item's tests: by noise, the function
// giving up (returning None), or the reference with its result nudged off by one.
std::string wrong_answer(const HumanEvalProblem& problem, std::uint64_t noise);

}  // namespace qdrift::humaneval
