// From dataset rows to the items of a custom bench: the prompt rendered from
// the template, the gold answer in canonical form, the id and the stratum.
// Every row is checked, and an error names the row's file and line (or its
// dataset row number), the field, and the spec that asked for it.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "custom/custom_spec.h"
#include "qdrift/bench.h"

namespace qdrift::custom {

// The items of `spec` from `rows`; where[i] names row i in messages
// ("tradequiz.jsonl:7", "org/data default/test row 12").
Result<std::vector<Item>> build_items(const CustomSpec& spec, const std::vector<nlohmann::json>& rows,
                                      const std::vector<std::string>& where);

// The line each data row of a local file starts on, in the order the readers in
// src/data return rows (JSONL: non-blank lines; CSV: records after the header,
// a quoted field may span lines). Only meaningful for text those readers accept.
std::vector<int> row_lines(std::string_view text, LocalFormat format);

}  // namespace qdrift::custom
