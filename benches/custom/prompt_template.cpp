// Parsing and rendering of custom bench prompt templates.
#include "custom/prompt_template.h"

#include <fmt/format.h>

#include <algorithm>

namespace qdrift::custom {

Result<PromptTemplate> PromptTemplate::parse(std::string_view text) {
  PromptTemplate parsed;
  std::string literal;
  auto flush_literal = [&] {
    if (!literal.empty()) parsed.segments_.push_back({false, std::move(literal)});
    literal.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool doubled = i + 1 < text.size() && text[i + 1] == c;
    if (c == '}') {
      // A lone '}' is almost always a typo for a placeholder: say so rather than guess.
      if (!doubled)
        return Status::BadInput(fmt::format("unmatched '}}' at offset {} (write '}}}}' for a literal brace)", i));
      literal.push_back('}');
      ++i;
      continue;
    }
    if (c != '{') {
      literal.push_back(c);
      continue;
    }
    if (doubled) {
      literal.push_back('{');
      ++i;
      continue;
    }
    const std::size_t close = text.find_first_of("{}", i + 1);
    if (close == std::string_view::npos || text[close] != '}')
      return Status::BadInput(fmt::format("unmatched '{{' at offset {} (write '{{{{' for a literal brace)", i));
    std::string name(text.substr(i + 1, close - i - 1));
    if (name.empty()) return Status::BadInput(fmt::format("empty placeholder {{}} at offset {}", i));
    flush_literal();
    if (std::find(parsed.fields_.begin(), parsed.fields_.end(), name) == parsed.fields_.end())
      parsed.fields_.push_back(name);
    parsed.segments_.push_back({true, std::move(name)});
    i = close;
  }
  flush_literal();
  return parsed;
}

bool PromptTemplate::uses(std::string_view field) const {
  return std::find(fields_.begin(), fields_.end(), field) != fields_.end();
}

Result<std::string> PromptTemplate::render(const std::map<std::string, std::string, std::less<>>& values) const {
  std::string out;
  for (const Segment& segment : segments_) {
    if (!segment.is_field) {
      out += segment.text;
      continue;
    }
    auto it = values.find(segment.text);
    if (it == values.end()) return Status::BadInput(fmt::format("no field \"{}\"", segment.text));
    out += it->second;
  }
  return out;
}

}  // namespace qdrift::custom
