// humaneval: 164 Python functions to complete from a signature and docstring
// (openai/openai_humaneval, openai_humaneval, test), graded by running the
// dataset's tests on the model's code in the bubblewrap sandbox; pass@1.
#pragma once

#include <memory>
#include <string>

#include "qdrift/bench.h"
#include "qdrift/sandbox.h"

namespace qdrift {

std::unique_ptr<Bench> make_humaneval_bench();

namespace humaneval {
// The problem an item carries in Item::answer (compact JSON of the record, so
// items_sha256 pins the tests too).
Result<HumanEvalProblem> problem_of(const Item& item);
// "HumanEval/12" -> "humaneval-12"; an error for a task id that names no number.
Result<std::string> item_id(const std::string& task_id);
}  // namespace humaneval

}  // namespace qdrift
