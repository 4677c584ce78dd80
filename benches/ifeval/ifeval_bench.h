// ifeval: IFEval's 541 prompts with verifiable instructions (google/IFEval,
// default, train), graded by the 25 checkers of ifeval.h. An item is right
// when every instruction is followed, strict.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ifeval/ifeval.h"
#include "qdrift/bench.h"

namespace qdrift {

std::unique_ptr<Bench> make_ifeval_bench();

namespace ifeval {
// The instructions an item carries in Item::answer (compact JSON, so the
// run file's items_sha256 pins them).
Result<std::vector<Instruction>> item_instructions(const Item& item);
// Score::answer for a graded item: one letter per instruction, in order:
// 'S' followed (strict), 'L' followed only once loosened, '-' not followed.
std::string verdict_letters(const IfevalResult& result);
}  // namespace ifeval

}  // namespace qdrift
