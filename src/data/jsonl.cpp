// JSON Lines to row objects, with errors that name the file and line.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "data/text_rows.h"
#include "util/json_text.h"

namespace qdrift {

namespace {

using nlohmann::json;

// "parse error at line 1, column 7: ..."; we parse one line at a time, so only the column helps.
std::string describe_parse_error(const json::exception& error) {
  std::string text = json_error_text(error);
  constexpr std::string_view kAtLineOne = "parse error at line 1, ";
  if (text.starts_with(kAtLineOne)) text.erase(0, kAtLineOne.size());
  return text;
}

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

}  // namespace

Result<std::vector<json>> parse_jsonl_rows(std::string_view text, const std::string& file_label) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // some editors write a BOM
  std::vector<json> rows;
  int line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (is_blank(line)) continue;
    json row;
    try {
      row = json::parse(line);
    } catch (const json::exception& e) {  // parse_error, or out_of_range 406 for a huge number
      return Status::BadInput(
          fmt::format("{}:{}: invalid JSON: {}", file_label, line_number, describe_parse_error(e)));
    }
    if (!row.is_object()) {
      return Status::BadInput(
          fmt::format("{}:{}: expected a JSON object per line, found {}", file_label, line_number, row.type_name()));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace qdrift
