// gpqa: GPQA diamond, 198 graduate-level 4-option questions (Idavidrein/gpqa,
// gpqa_diamond, train; gated: accept its terms and set HF_TOKEN).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "qdrift/bench.h"

namespace qdrift {

std::unique_ptr<Bench> make_gpqa_bench();

namespace gpqa {
// The order the four answers are shown in for an item and run seed: a
// permutation of {0 = correct, 1..3 = the incorrect ones}, fixed by (seed, id).
std::vector<int> choice_order(const std::string& item_id, std::uint64_t seed);
// Where a prompt's choices start: the question ends before it.
inline constexpr std::string_view kChoicesStart = "\n\nA) ";
// The four "X) text" choices of a prompt, in the order shown; empty when the
// prompt does not show four.
std::vector<std::string> shown_choices(std::string_view prompt);
}  // namespace gpqa

}  // namespace qdrift
