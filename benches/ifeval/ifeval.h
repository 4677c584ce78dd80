// IFEval's 25 verifiable-instruction checkers (Zhou et al. 2023), behaving as
// the reference implementation (google-research instruction_following_eval)
// does, in its strict and loose modes. This is the scoring core only: the
// bench that fetches items and talks to a server wraps it.
//
//   std::vector<ifeval::Instruction> instructions = ...;  // from the item
//   if (Status s = ifeval::validate(instructions); !s.ok()) ...;  // at load time
//   Result<ifeval::IfevalResult> r = ifeval::evaluate(prompt, instructions, response);
//   r->prompt_strict, r->prompt_loose, r->instructions[i].strict, r->explanation
#pragma once

#include <nlohmann/json.hpp>  // not json_fwd.hpp: Instruction holds a json by value
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qdrift/status.h"

namespace qdrift::ifeval {

// One instruction of an item: an id such as "keywords:frequency" and its
// kwargs as the dataset gives them ({"keyword": "x", "frequency": 3, ...}).
// Keys whose value is null are ignored, as in the Hugging Face copy where
// every item carries every key.
struct Instruction {
  std::string id;
  nlohmann::json kwargs = nlohmann::json::object();
};

struct InstructionResult {
  std::string id;
  bool strict = false;  // followed by the response as given
  bool loose = false;   // followed by the response or a loosened variant of it
  std::string detail;   // what the strict check saw, e.g. "3 bullet points, needs exactly 4"
};

struct IfevalResult {
  std::vector<InstructionResult> instructions;
  bool prompt_strict = false;  // every instruction followed, strict
  bool prompt_loose = false;   // every instruction followed, loose
  // Why the first instruction not followed (strict) was judged so, e.g.
  // "length_constraints:number_words: 212 words, needs at least 300"; "" when
  // all were followed.
  std::string explanation;
};

// The 25 instruction ids, sorted.
const std::vector<std::string_view>& instruction_ids();

// The first id in `instructions` that is not one of the 25, if any.
std::optional<std::string> unknown_instruction(const std::vector<Instruction>& instructions);

// BadInput naming the instruction and the problem: an unknown id, a kwarg
// that is missing, of the wrong type or out of range, or a kwarg no checker
// takes. Ok when every instruction can be evaluated.
Status validate(const std::vector<Instruction>& instructions);

// Grades `response`. `prompt` is the item's prompt (kept for the reference's
// interface; no current checker reads it). Fails only as validate() does.
Result<IfevalResult> evaluate(const std::string& prompt, const std::vector<Instruction>& instructions,
                              const std::string& response);

// The eight texts the loose mode tries: the response, then without its first
// line, last line and both, each also with every '*' removed.
std::vector<std::string> loose_variants(const std::string& response);

}  // namespace qdrift::ifeval
