// mmlu_pro: 10-option multiple choice over 14 categories (TIGER-Lab/MMLU-Pro,
// test; 12032 items). The standard tier runs a seeded ~30% slice per category,
// reweighted to the full-set estimate; full runs all of it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "qdrift/bench.h"

namespace qdrift {

std::unique_ptr<Bench> make_mmlu_pro_bench();

namespace mmlu_pro {
// How many options a prompt lists: its lines "X. text" after "Options:".
std::size_t option_count(const std::string& prompt);
}  // namespace mmlu_pro

}  // namespace qdrift
