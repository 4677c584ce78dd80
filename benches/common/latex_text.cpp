// Bracket matching and top-level splitting for LaTeX answers.
#include "common/latex_text.h"

#include <cctype>

namespace qdrift::scoring {

namespace {

bool is_opener(char c) { return c == '{' || c == '(' || c == '['; }
bool is_closer(char c) { return c == '}' || c == ')' || c == ']'; }

}  // namespace

std::optional<std::size_t> closing_brace(std::string_view text, std::size_t open) {
  int depth = 0;
  for (std::size_t pos = open; pos < text.size(); ++pos) {
    if (text[pos] == '\\') {
      ++pos;  // "\{", "\}" and "\\" are not grouping
      continue;
    }
    if (text[pos] == '{') ++depth;
    if (text[pos] == '}' && --depth == 0) return pos;
  }
  return std::nullopt;
}

std::optional<std::size_t> closing_bracket(std::string_view text, std::size_t open) {
  int depth = 0;
  for (std::size_t pos = open; pos < text.size(); ++pos) {
    if (text[pos] == '\\' && pos + 1 < text.size() && (text[pos + 1] == '{' || text[pos + 1] == '}')) {
      depth += text[pos + 1] == '{' ? 1 : -1;
      if (depth == 0) return pos + 1;
      ++pos;
      continue;
    }
    if (is_opener(text[pos])) ++depth;
    if (is_closer(text[pos]) && --depth == 0) return pos;
  }
  return std::nullopt;
}

std::vector<std::string> split_top_level_commas(std::string_view text) {
  std::vector<std::string> pieces;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '\\' && pos + 1 < text.size() && (text[pos + 1] == '{' || text[pos + 1] == '}')) {
      depth += text[pos + 1] == '{' ? 1 : -1;
      ++pos;
    } else if (is_opener(c)) {
      ++depth;
    } else if (is_closer(c)) {
      --depth;
    } else if (c == ',' && depth == 0) {
      pieces.emplace_back(trim(text.substr(start, pos - start)));
      start = pos + 1;
    }
  }
  pieces.emplace_back(trim(text.substr(start)));
  return pieces;
}

std::string_view control_word_at(std::string_view text, std::size_t pos) {
  if (pos >= text.size() || text[pos] != '\\') return {};
  std::size_t end = pos + 1;
  while (end < text.size() && std::isalpha(static_cast<unsigned char>(text[end]))) ++end;
  return text.substr(pos + 1, end - pos - 1);
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

}  // namespace qdrift::scoring
