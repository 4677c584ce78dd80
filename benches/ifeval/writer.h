// The simulator's IFEval writer: a response to an item that follows every
// instruction (graded right, strict) or breaks at least one (graded wrong).
// It builds the text from the instructions (writer_plan), renders it from
// filler sentences (writer_filler, writer_languages, writer_render), tunes the
// counts it can measure itself, and checks the result with ifeval::evaluate,
// trying other wordings (and, for a wrong answer, other instructions to break)
// until the grade is the one intended.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ifeval/ifeval.h"

namespace qdrift::ifeval {

// A response that evaluate() grades prompt-level strict == `follow`; which
// instruction a wrong answer breaks, and the wording, follow from `noise`.
// nullopt when no try grades as intended (say, an item whose instructions
// contradict each other, or a wrong answer whose every instruction holds
// whatever is written).
std::optional<std::string> write_response(const std::string& prompt, const std::vector<Instruction>& instructions,
                                          bool follow, std::uint64_t noise);

}  // namespace qdrift::ifeval
