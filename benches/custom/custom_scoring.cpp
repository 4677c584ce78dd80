// Extraction and comparison for the three custom answer types.
#include "custom/custom_scoring.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "common/choice_letter.h"
#include "common/final_number.h"

namespace qdrift::custom {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// Markdown and brackets a model wraps an answer in: "**(B)**", "`42`", "$12$".
std::string_view strip_markup(std::string_view text) {
  constexpr std::string_view kWrappers = " \t\r\n*_`\"'()[]:.";
  const std::size_t first = text.find_first_not_of(kWrappers);
  if (first == std::string_view::npos) return {};
  const std::size_t last = text.find_last_not_of(kWrappers);
  return text.substr(first, last - first + 1);
}

// For explanations: one line, short enough to read in a report.
std::string shown(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 60)) out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
  if (text.size() > 60) out += "...";
  return out;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Score no_answer(std::string_view finish_reason, std::string_view what) {
  Score s;
  s.explanation =
      finish_reason == "length" ? "cut off at the token cap before an answer" : fmt::format("no {} found", what);
  return s;
}

Score grade_choice(const CustomSpec& spec, const Item& item, std::string_view content, std::string_view finish) {
  const int options = count_choices(item.prompt);
  const char last_letter = static_cast<char>('A' + std::max(options, 1) - 1);
  Score s;
  std::string how;
  if (spec.extract) {
    std::optional<std::string> captured = spec.extract->last_match(content);
    if (!captured || trim(*captured).empty()) return no_answer(finish, "match for the extract regex");
    const std::string_view letter = strip_markup(*captured);
    if (letter.size() != 1 || std::toupper(static_cast<unsigned char>(letter[0])) < 'A' ||
        std::toupper(static_cast<unsigned char>(letter[0])) > last_letter) {
      s.answer = std::string(trim(*captured));
      s.explanation = fmt::format("extracted '{}', not a letter A-{}", shown(s.answer), last_letter);
      return s;
    }
    s.answer = std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(letter[0]))));
    how = "extract regex";
  } else {
    auto match = scoring::extract_choice_letter(content, last_letter, scoring::ChoicePhrase::kAnswerColon);
    if (!match) return no_answer(finish, fmt::format("choice letter A-{}", last_letter));
    s.answer = std::string(1, match->letter);
    how = std::string(scoring::describe(match->rule)) + (match->ambiguous ? ", another letter named too" : "");
  }
  s.correct = s.answer == item.answer;
  s.explanation = s.correct ? fmt::format("{} matches ({})", s.answer, how)
                            : fmt::format("answered {}, expected {} ({})", s.answer, item.answer, how);
  return s;
}

Score grade_number(const CustomSpec& spec, const Item& item, std::string_view content, std::string_view finish) {
  Score s;
  std::string how;
  if (spec.extract) {
    std::optional<std::string> captured = spec.extract->last_match(content);
    if (!captured || trim(*captured).empty()) return no_answer(finish, "match for the extract regex");
    std::optional<std::string> number = scoring::canonical_decimal(trim(*captured));
    if (!number) number = scoring::extract_final_number(*captured);  // "**$1,200**", "about 12 in total"
    if (!number) {
      s.answer = std::string(trim(*captured));
      s.explanation = fmt::format("extracted '{}', not a number", shown(s.answer));
      return s;
    }
    s.answer = *number;
    how = "extract regex";
  } else {
    std::optional<scoring::FinalNumber> found = scoring::find_final_number(content);
    if (!found) return no_answer(finish, "number");
    s.answer = found->number;
    how = std::string(scoring::describe(found->rule));
  }
  s.correct = scoring::numbers_equal(s.answer, item.answer);
  s.explanation = s.correct ? fmt::format("{} matches ({})", s.answer, how)
                            : fmt::format("answered {}, expected {} ({})", s.answer, item.answer, how);
  return s;
}

Score grade_text(const CustomSpec& spec, const Item& item, std::string_view content, std::string_view finish) {
  std::optional<std::string> raw = spec.extract ? spec.extract->last_match(content) : default_short_answer(content);
  if (!raw || normalize_short_answer(*raw).empty())
    return no_answer(finish, spec.extract ? "match for the extract regex" : "answer");
  Score s;
  s.answer = normalize_short_answer(*raw);
  s.correct = s.answer == normalize_short_answer(item.answer);
  s.explanation = s.correct ? fmt::format("'{}' matches", shown(trim(*raw)))
                            : fmt::format("answered '{}', expected '{}'", shown(trim(*raw)), shown(item.answer));
  return s;
}

}  // namespace

std::string normalize_short_answer(std::string_view text) {
  std::string out;
  bool pending_space = false;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80 && std::ispunct(byte)) continue;
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(static_cast<char>(byte < 0x80 ? std::tolower(byte) : byte));
  }
  return out;
}

std::string render_choices(const std::vector<std::string>& options) {
  std::string out;
  for (std::size_t i = 0; i < options.size(); ++i) {
    if (i) out.push_back('\n');
    out += fmt::format("{}) ", static_cast<char>('A' + i));
    for (char c : trim(options[i])) out.push_back(c == '\n' || c == '\r' ? ' ' : c);
  }
  return out;
}

int count_choices(std::string_view prompt) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start <= prompt.size();) {
    std::size_t end = prompt.find('\n', start);
    if (end == std::string_view::npos) end = prompt.size();
    lines.push_back(prompt.substr(start, end - start));
    start = end + 1;
  }
  // The block may follow text on its first line ("Options: {choices}"), and the
  // question may mention "A) " too: the longest run wins, the last one on a tie.
  int longest = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find("A) ") == std::string_view::npos) continue;
    int count = 1;
    while (i + count < lines.size() && count < 26 &&
           lines[i + count].starts_with(std::string(1, static_cast<char>('A' + count)) + ") "))
      ++count;
    longest = std::max(longest, count);
  }
  return longest;
}

std::optional<std::string> default_short_answer(std::string_view response) {
  const std::string lower = ascii_lower(response);
  std::size_t marker = std::string::npos, marker_end = 0;
  for (std::string_view phrase : {"answer:", "answer is"}) {
    const std::size_t at = lower.rfind(phrase);
    if (at != std::string::npos && (marker == std::string::npos || at > marker)) {
      marker = at;
      marker_end = at + phrase.size();
    }
  }
  if (marker != std::string::npos) {
    std::string_view rest = response.substr(marker_end);
    rest = rest.substr(0, rest.find('\n'));
    if (!strip_markup(rest).empty()) return std::string(strip_markup(rest));
  }
  // No phrase (or an empty one): the last line that says anything.
  std::string_view text = trim(response);
  if (text.empty()) return std::nullopt;
  const std::size_t newline = text.rfind('\n');
  std::string_view line = newline == std::string_view::npos ? text : text.substr(newline + 1);
  std::string_view stripped = strip_markup(line);
  return std::string(stripped.empty() ? trim(line) : stripped);
}

Score score_custom(const CustomSpec& spec, const Item& item, std::string_view content, std::string_view finish_reason) {
  switch (spec.type) {
    case AnswerType::kMultipleChoice:
      return grade_choice(spec, item, content, finish_reason);
    case AnswerType::kNumeric:
      return grade_number(spec, item, content, finish_reason);
    case AnswerType::kShortAnswer:
      return grade_text(spec, item, content, finish_reason);
  }
  return {};
}

}  // namespace qdrift::custom
