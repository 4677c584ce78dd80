// build_items and row_lines for custom benches.
#include "custom/custom_items.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>

#include "common/final_number.h"
#include "custom/custom_scoring.h"

namespace qdrift::custom {

namespace {

using nlohmann::json;

// How a cell reads in a prompt: strings as they are, numbers as JSON writes
// them, null as nothing, lists and objects as compact JSON.
std::string cell_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump();
}

std::string trimmed(std::string text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// Formats "WHERE: message (ROLE in SPEC)" errors for one row.
struct RowErrors {
  const std::string& where;
  const std::string& spec;
  Status missing(const std::string& field, std::string_view role) const {
    return Status::BadInput(fmt::format("{}: no field \"{}\" ({} in {})", where, field, role, spec));
  }
  Status bad(const std::string& field, std::string_view what) const {
    return Status::BadInput(fmt::format("{}: field \"{}\": {} ({})", where, field, what, spec));
  }
};

Result<std::vector<std::string>> read_options(const CustomSpec& spec, const json& row, const RowErrors& errors) {
  std::vector<std::string> options;
  if (!spec.choices_list_field.empty()) {
    auto it = row.find(spec.choices_list_field);
    if (it == row.end()) return errors.missing(spec.choices_list_field, "choices_field");
    if (!it->is_array() || it->size() < 2 || it->size() > 26)
      return errors.bad(spec.choices_list_field, "must be a list of 2 to 26 options");
    for (const json& option : *it) options.push_back(cell_text(option));
    return options;
  }
  for (const std::string& field : spec.choice_fields) {
    auto it = row.find(field);
    if (it == row.end()) return errors.missing(field, "choices_field");
    options.push_back(cell_text(*it));
  }
  return options;
}

// The gold letter. A JSON integer is a 0-based index (MMLU-Pro's answer_index);
// a string is a letter, else an option's text, else a 0-based index written as
// digits (CSV cells are all strings) -- text before digits, so options such as
// "1", "2", "3" keep their meaning.
Result<std::string> gold_letter(const CustomSpec& spec, const json& gold, const std::vector<std::string>& options,
                                const RowErrors& errors) {
  const auto count = static_cast<long long>(options.size());
  auto letter = [](long long index) { return std::string(1, static_cast<char>('A' + index)); };
  if (gold.is_number_integer()) {
    const long long index = gold.get<long long>();
    if (index >= 0 && index < count) return letter(index);
  } else if (gold.is_string()) {
    const std::string text = trimmed(gold.get<std::string>());
    if (text.size() == 1 && std::isalpha(static_cast<unsigned char>(text[0]))) {
      const int index = std::toupper(static_cast<unsigned char>(text[0])) - 'A';
      if (index < count) return letter(index);
    }
    for (std::size_t i = 0; i < options.size(); ++i)
      if (!text.empty() && trimmed(options[i]) == text) return letter(static_cast<long long>(i));
    if (!text.empty() && text.size() <= 2 && std::all_of(text.begin(), text.end(), ::isdigit) &&
        std::stoll(text) < count)
      return letter(std::stoll(text));
  }
  return errors.bad(spec.answer_field, fmt::format("{} is not one of the {} options (give a letter, a 0-based index "
                                                   "or an option's text)",
                                                   gold.dump(), count));
}

}  // namespace

Result<std::vector<Item>> build_items(const CustomSpec& spec, const std::vector<json>& rows,
                                      const std::vector<std::string>& where) {
  std::vector<Item> items;
  items.reserve(rows.size());
  std::map<std::string, std::string> first_seen;  // id -> where
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const json& row = rows[r];
    const RowErrors errors{where[r], spec.path};
    Item item;
    if (spec.id_field.empty()) {
      item.id = std::to_string(r + 1);
    } else {
      auto it = row.find(spec.id_field);
      if (it == row.end()) return errors.missing(spec.id_field, "id_field");
      item.id = trimmed(cell_text(*it));
      if (item.id.empty()) return errors.bad(spec.id_field, "the id is empty");
      auto [seen, fresh] = first_seen.emplace(item.id, where[r]);
      if (!fresh) return errors.bad(spec.id_field, fmt::format("id \"{}\" also at {}", item.id, seen->second));
    }

    std::map<std::string, std::string, std::less<>> values;
    for (const auto& [key, value] : row.items()) values[key] = cell_text(value);
    auto gold = row.find(spec.answer_field);
    if (gold == row.end()) return errors.missing(spec.answer_field, "answer_field");
    switch (spec.type) {
      case AnswerType::kMultipleChoice: {
        auto options = read_options(spec, row, errors);
        if (!options.ok()) return options.status();
        auto letter = gold_letter(spec, *gold, *options, errors);
        if (!letter.ok()) return letter.status();
        item.answer = *letter;
        values["choices"] = render_choices(*options);  // {choices} is always the lettered block
        break;
      }
      case AnswerType::kNumeric: {
        std::optional<std::string> number = scoring::canonical_decimal(trimmed(cell_text(*gold)));
        if (!number)
          return errors.bad(spec.answer_field, fmt::format("{} is not a number (type numeric)", gold->dump()));
        item.answer = *number;
        break;
      }
      case AnswerType::kShortAnswer: {
        item.answer = trimmed(cell_text(*gold));
        if (normalize_short_answer(item.answer).empty())
          return errors.bad(spec.answer_field, "empty once case, spaces and punctuation are dropped");
        break;
      }
    }
    for (const std::string& field : spec.prompt.fields())
      if (!values.contains(field))
        return errors.missing(field, fmt::format("a {{{}}} placeholder of the prompt", field));
    Result<std::string> prompt = spec.prompt.render(values);
    if (!prompt.ok())
      return Status::BadInput(fmt::format("{}: {} ({})", where[r], prompt.status().message(), spec.path));
    item.prompt = std::move(prompt).value();
    if (!spec.stratum_field.empty()) {
      auto it = row.find(spec.stratum_field);
      if (it == row.end()) return errors.missing(spec.stratum_field, "stratum_field");
      item.stratum = cell_text(*it);
    }
    items.push_back(std::move(item));
  }
  return items;
}

std::vector<int> row_lines(std::string_view text, LocalFormat format) {
  std::vector<int> lines;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  int line = 1;
  if (format == LocalFormat::kJsonl) {
    for (std::size_t start = 0; start < text.size(); ++line) {
      std::size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      if (text.substr(start, end - start).find_first_not_of(" \t\r") != std::string_view::npos) lines.push_back(line);
      start = end + 1;
    }
    return lines;
  }
  // CSV: a record starts wherever a line break outside quotes (or the start)
  // is followed by a non-empty line; the first record is the header.
  bool quoted = false, at_record_start = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!quoted && (c == '\n' || c == '\r')) {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++line;
      at_record_start = true;
      continue;
    }
    if (at_record_start) {
      lines.push_back(line);
      at_record_start = false;
    }
    if (c == '"') quoted = !quoted;
    if (quoted && c == '\n') ++line;
  }
  if (!lines.empty()) lines.erase(lines.begin());  // the header names columns, it is not a row
  return lines;
}

}  // namespace qdrift::custom
