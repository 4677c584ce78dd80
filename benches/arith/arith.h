// The built-in `arith` bench: integer arithmetic items generated from the run
// seed (no download), used by `qdrift demo`, the tests and the benchmarks.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "qdrift/bench.h"

namespace qdrift {

std::unique_ptr<Bench> make_arith_bench();

namespace arith {
// Evaluates an expression of integers, + - * and parentheses; nullopt if malformed.
// (Responses are read with scoring::find_final_number, benches/common/final_number.h.)
std::optional<std::int64_t> evaluate(std::string_view expression);
// The item that asks for `expression` (prompt and answer); `id` names it.
Item make_item(std::string id, const std::string& expression);
// The expression a prompt asks for; nullopt if the prompt is not arith's or
// the expression does not evaluate.
std::optional<std::string> expression_of(std::string_view prompt);
// 0 easy .. 1 hard, from the expression's shape alone (operators, longest
// number), so the simulator recovers it from any seed's prompt.
double difficulty_of(std::string_view expression);
}  // namespace arith

}  // namespace qdrift
