// Multiple-choice letter extraction: each rule is a marker scan that collects
// every letter it finds; the last one wins and disagreement is flagged.
#include "common/choice_letter.h"

#include <array>
#include <cctype>
#include <string>
#include <vector>

namespace qdrift::scoring {

namespace {

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

std::string ascii_lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

std::size_t skip_chars(std::string_view text, std::size_t pos, std::string_view chars) {
  while (pos < text.size() && chars.find(text[pos]) != std::string_view::npos) ++pos;
  return pos;
}

// Skips markup that may wrap a letter: spaces, '**', '$', '(', "\boxed{", "\text{"...
std::size_t skip_letter_wrappers(std::string_view text, std::size_t pos) {
  static constexpr std::array<std::string_view, 5> kWrappers = {"\\boxed{", "\\text{", "\\textbf{", "\\mathrm{",
                                                                "\\mathbf{"};
  for (bool moved = true; moved;) {
    const std::size_t before = pos;
    pos = skip_chars(text, pos, " \t*$(");
    for (std::string_view wrapper : kWrappers) {
      if (text.substr(pos, wrapper.size()) == wrapper) pos += wrapper.size();
    }
    moved = pos != before;
  }
  return pos;
}

// An upper-case letter in range at `pos` that ends a word ("C" but not "Cat").
std::optional<char> letter_at(std::string_view text, std::size_t pos, char last_letter) {
  if (pos >= text.size() || text[pos] < 'A' || text[pos] > last_letter) return std::nullopt;
  if (pos + 1 < text.size() && is_word_char(text[pos + 1])) return std::nullopt;
  return text[pos];
}

using Letters = std::vector<char>;

// After a phrase: spaces, then an optional "option"/"choice" ("the answer is option C").
std::size_t skip_to_letter(std::string_view text, std::string_view lower, std::size_t pos) {
  pos = skip_chars(text, pos, " \t");
  for (std::string_view word : {std::string_view("option"), std::string_view("choice")}) {
    if (lower.substr(pos, word.size()) == word) pos += word.size();
  }
  return skip_letter_wrappers(text, pos);
}

// "answer is X", "answer is (X)", "answer is: **X**".
Letters answer_is_letters(std::string_view text, std::string_view lower, char last_letter) {
  Letters letters;
  constexpr std::string_view kMarker = "answer is";
  for (std::size_t at = lower.find(kMarker); at != std::string_view::npos; at = lower.find(kMarker, at + 1)) {
    const std::size_t pos = skip_chars(text, at + kMarker.size(), " \t:");
    if (auto letter = letter_at(text, skip_to_letter(text, lower, pos), last_letter)) letters.push_back(*letter);
  }
  return letters;
}

// "Answer: X", "**Answer:** X", "Answer: (X)", "Answer: $X$".
Letters answer_colon_letters(std::string_view text, std::string_view lower, char last_letter) {
  Letters letters;
  constexpr std::string_view kMarker = "answer";
  for (std::size_t at = lower.find(kMarker); at != std::string_view::npos; at = lower.find(kMarker, at + 1)) {
    std::size_t pos = skip_chars(text, at + kMarker.size(), " \t*");
    if (pos >= text.size() || text[pos] != ':') continue;
    if (auto letter = letter_at(text, skip_to_letter(text, lower, pos + 1), last_letter)) letters.push_back(*letter);
  }
  return letters;
}

// "\boxed{X}", "\boxed{(X)}", "\boxed{\text{X}}": the box holds the letter alone.
Letters boxed_letters(std::string_view text, char last_letter) {
  Letters letters;
  constexpr std::string_view kMarker = "\\boxed{";
  for (std::size_t at = text.find(kMarker); at != std::string_view::npos; at = text.find(kMarker, at + 1)) {
    const std::size_t pos = skip_letter_wrappers(text, at + kMarker.size());
    auto letter = letter_at(text, pos, last_letter);
    if (!letter) continue;
    const std::size_t after = skip_chars(text, pos + 1, " ).*");
    if (after < text.size() && text[after] == '}') letters.push_back(*letter);
  }
  return letters;
}

// "(X)" or "**X**" (with "**(X)**" covered by the first).
Letters marked_letters(std::string_view text, char last_letter) {
  Letters letters;
  for (std::size_t pos = 0; pos + 2 < text.size(); ++pos) {
    const char letter = text[pos + 1];
    if (letter < 'A' || letter > last_letter) continue;
    if (text[pos] == '(' && text[pos + 2] == ')') letters.push_back(letter);
    if (pos >= 1 && text.substr(pos - 1, 2) == "**" && text.substr(pos + 2, 2) == "**") letters.push_back(letter);
  }
  return letters;
}

// The last non-empty line is the letter: "C", "**C.**", "C) 42 kg", "- C: ...".
Letters letter_line(std::string_view text, char last_letter) {
  std::size_t end = text.size();
  while (end > 0 && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  const std::size_t newline = text.rfind('\n', end == 0 ? 0 : end - 1);
  const std::size_t start = newline == std::string_view::npos ? 0 : newline + 1;
  const std::string_view line = text.substr(start, end - start);
  const std::size_t pos = skip_letter_wrappers(line, skip_chars(line, 0, " \t#>-"));
  auto letter = letter_at(line, pos, last_letter);
  if (!letter) return {};
  if (pos + 1 == line.size() || std::string_view(").:*$}").find(line[pos + 1]) != std::string_view::npos) {
    return {*letter};
  }
  return {};
}

}  // namespace

std::string_view describe(ChoiceRule rule) {
  switch (rule) {
    case ChoiceRule::kAnswerIs:
      return "\"the answer is (X)\"";
    case ChoiceRule::kAnswerColon:
      return "\"Answer: X\"";
    case ChoiceRule::kBoxed:
      return "\\boxed{X}";
    case ChoiceRule::kMarkedLetter:
      return "last (X) or **X**";
    case ChoiceRule::kLetterLine:
      return "last line is the letter";
  }
  return "?";
}

std::optional<ChoiceMatch> extract_choice_letter(std::string_view response, char last_letter, ChoicePhrase asked_for) {
  const std::string lower = ascii_lower(response);
  const ChoiceRule first_phrase =
      asked_for == ChoicePhrase::kAnswerIs ? ChoiceRule::kAnswerIs : ChoiceRule::kAnswerColon;
  const ChoiceRule second_phrase =
      asked_for == ChoicePhrase::kAnswerIs ? ChoiceRule::kAnswerColon : ChoiceRule::kAnswerIs;
  for (ChoiceRule rule :
       {first_phrase, second_phrase, ChoiceRule::kBoxed, ChoiceRule::kMarkedLetter, ChoiceRule::kLetterLine}) {
    Letters letters;
    switch (rule) {
      case ChoiceRule::kAnswerIs:
        letters = answer_is_letters(response, lower, last_letter);
        break;
      case ChoiceRule::kAnswerColon:
        letters = answer_colon_letters(response, lower, last_letter);
        break;
      case ChoiceRule::kBoxed:
        letters = boxed_letters(response, last_letter);
        break;
      case ChoiceRule::kMarkedLetter:
        letters = marked_letters(response, last_letter);
        break;
      case ChoiceRule::kLetterLine:
        letters = letter_line(response, last_letter);
        break;
    }
    if (letters.empty()) continue;
    ChoiceMatch match{letters.back(), rule, false};
    for (char letter : letters) match.ambiguous = match.ambiguous || letter != match.letter;
    return match;
  }
  return std::nullopt;
}

}  // namespace qdrift::scoring
