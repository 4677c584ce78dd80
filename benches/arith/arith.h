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
}  // namespace arith

}  // namespace qdrift
