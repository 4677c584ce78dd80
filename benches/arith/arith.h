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
std::optional<std::int64_t> evaluate(std::string_view expression);
// The final number in a response: "The final answer is N", else "#### N", else
// the last number; commas, '$' and a trailing '.' are ignored.
std::optional<std::string> extract_final_number(std::string_view text);
}  // namespace arith

}  // namespace qdrift
