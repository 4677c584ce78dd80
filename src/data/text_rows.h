// Parsers from the text of a local dataset file to row objects: JSON Lines and
// RFC 4180 CSV. Errors name `file_label`:line so a user can open the spot.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "qdrift/status.h"

namespace qdrift {

// One JSON object per line; blank lines (and a trailing CR, and a leading BOM)
// are ignored. A line that is not an object is an error naming its number.
Result<std::vector<nlohmann::json>> parse_jsonl_rows(std::string_view text, const std::string& file_label);

// RFC 4180: comma-separated, fields optionally in double quotes; inside quotes a
// comma, a line break or a doubled quote ("") is data. The first record names the
// columns; every other record becomes an object of strings keyed by them. Empty
// lines between records are skipped, as Python's csv.DictReader does.
Result<std::vector<nlohmann::json>> parse_csv_rows(std::string_view text, const std::string& file_label);

}  // namespace qdrift
