// The shape of a response the writer renders: what it must contain, avoid and
// count, derived from an item's instructions, all followed or one broken on
// purpose. Private to benches/ifeval (writer*.cpp).
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "ifeval/ifeval.h"

namespace qdrift::ifeval::writer {

constexpr std::int64_t kUnbounded = std::numeric_limits<std::int64_t>::max();

// A count the whole text must land in: low <= count < high.
struct Range {
  std::int64_t low = 0;
  std::int64_t high = kUnbounded;
  void at_least(std::int64_t n) { low = std::max(low, n); }
  void less_than(std::int64_t n) { high = std::min(high, n); }
  bool contains(std::int64_t n) const { return n >= low && n < high; }
  bool bounded() const { return low > 0 || high != kUnbounded; }
};

enum class LetterCase { kAsWritten, kUpper, kLower };

// Something counted over the whole text that the writer reaches by adding
// tokens (a keyword, a word rich in a letter, a word in capitals).
struct CountGoal {
  enum class Kind { kKeyword, kLetter, kCapitalWords };
  Kind kind = Kind::kKeyword;
  std::string target;  // the keyword (a regex, in practice a word) or the letter
  Range range;
};

struct Plan {
  std::string language = "en";  // langdetect's code for the filler sentences
  LetterCase letter_case = LetterCase::kAsWritten;
  // What the filler must not contain, case-insensitively: whole words, regexes, letters.
  std::vector<std::string> banned_words;
  std::vector<std::string> banned_patterns;
  std::vector<std::string> banned_letters;
  bool no_comma = false;
  bool add_comma = false;  // breaking punctuation:no_comma
  Range sentences, words;
  std::vector<CountGoal> counts;
  std::vector<std::string> include;  // words put in once: keywords, a forbidden word (breaking)
  int placeholders = 0;              // [like this]
  int highlights = 0;                // *like this*
  int bullets = 0;                   // "* " lines
  std::string section_splitter;      // "SECTION" -> "SECTION 1", "SECTION 2", ...
  int sections = 0;
  int star_paragraphs = 0;       // paragraphs separated by ***; 0: not asked
  int blank_paragraphs = 0;      // paragraphs separated by blank lines; 0: not asked
  int first_word_paragraph = 0;  // 1-based paragraph that must start with first_word; 0: none
  std::string first_word;
  bool title = false;
  bool quotation = false;
  bool json = false;
  bool two_responses = false;
  std::string constrained;  // "My answer is yes." and the like; "" = none
  std::string postscript;   // the marker; "" = none
  std::string end_phrase;
  bool text_after_end = false;  // breaking startend:end_checker
  std::string repeat;           // the request to repeat first; "" = none
};

// The plan for `instructions`; `violate` is the index of the one to break, or
// -1 to follow them all. `variation` picks among equivalent choices (which
// constrained answer, which keyword to leave out).
Plan make_plan(const std::vector<Instruction>& instructions, int violate, std::uint64_t variation);

}  // namespace qdrift::ifeval::writer
