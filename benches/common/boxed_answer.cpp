// Boxed-answer extraction and the AIME integer compare.
#include "common/boxed_answer.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "common/final_number.h"
#include "common/latex_normalize.h"
#include "common/latex_text.h"

namespace qdrift::scoring {

namespace {

// What one box holds: its content, or that it is empty or never closes.
struct BoxContent {
  enum Kind { kContent, kEmpty, kUnclosed } kind;
  std::string content;
};

BoxContent read_box(std::string_view text, std::size_t after_command) {
  std::size_t pos = after_command;
  while (pos < text.size() && text[pos] == ' ') ++pos;
  if (pos < text.size() && text[pos] == '{') {
    auto close = closing_brace(text, pos);
    if (!close) return {BoxContent::kUnclosed, ""};
    std::string content(trim(text.substr(pos + 1, *close - pos - 1)));
    return {content.empty() ? BoxContent::kEmpty : BoxContent::kContent, content};
  }
  // "\boxed 5": the token up to a space or the closing '$'.
  const std::size_t end = text.find_first_of(" \t\n$", pos);
  std::string content(text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
  return {content.empty() ? BoxContent::kEmpty : BoxContent::kContent, content};
}

}  // namespace

std::string_view describe(BoxedRule rule) {
  switch (rule) {
    case BoxedRule::kBoxed:
      return "last \\boxed{}";
    case BoxedRule::kLastNumberFallback:
      return "no \\boxed{}: fell back to the final number";
  }
  return "?";
}

std::optional<std::string> last_boxed_content(std::string_view text) {
  std::vector<std::size_t> ends;  // positions just after each "\boxed" / "\fbox"
  for (std::string_view command : {std::string_view("\\boxed"), std::string_view("\\fbox")}) {
    for (std::size_t at = text.find(command); at != std::string_view::npos; at = text.find(command, at + 1)) {
      const std::size_t after = at + command.size();
      if (after < text.size() && std::isalpha(static_cast<unsigned char>(text[after]))) continue;  // "\boxedtext"
      ends.push_back(after);
    }
  }
  std::sort(ends.begin(), ends.end());
  for (auto it = ends.rbegin(); it != ends.rend(); ++it) {
    BoxContent box = read_box(text, *it);
    if (box.kind == BoxContent::kContent) return box.content;
    // A final box cut off mid-answer is no answer; an earlier box is not promoted.
    if (box.kind == BoxContent::kUnclosed) return std::nullopt;
    // An empty box ("put it in \boxed{}") is skipped.
  }
  return std::nullopt;
}

std::optional<BoxedAnswer> extract_boxed_answer(std::string_view text, bool allow_number_fallback) {
  if (auto content = last_boxed_content(text)) return BoxedAnswer{*content, BoxedRule::kBoxed};
  if (!allow_number_fallback) return std::nullopt;
  if (auto number = extract_final_number(text)) return BoxedAnswer{*number, BoxedRule::kLastNumberFallback};
  return std::nullopt;
}

std::optional<int> parse_aime_integer(std::string_view answer) {
  const std::string normalized = normalize_latex_answer(answer);
  if (normalized.empty() || !std::isdigit(static_cast<unsigned char>(normalized.front()))) return std::nullopt;
  auto number = canonical_decimal(normalized);
  if (!number || number->size() > 3 || number->find('.') != std::string::npos) return std::nullopt;
  return std::stoi(*number);
}

bool aime_answers_equal(std::string_view answer, std::string_view gold) {
  auto left = parse_aime_integer(answer);
  auto right = parse_aime_integer(gold);
  return left && right && *left == *right;
}

}  // namespace qdrift::scoring
