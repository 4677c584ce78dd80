// The boxed final answer of a math response (AIME, HMMT) and AIME's integer compare.
//
// MathArena and the MATH-style graders take the LAST box: reasoning models box
// intermediate results and then box the answer again at the end. Accepted:
//   \boxed{...}  with nested braces ("\boxed{\frac{1}{2}}"), spaces before '{' allowed;
//   \fbox{...}   the plain-TeX spelling some models use;
//   \boxed X     without braces (MATH's "\boxed 5"): the token up to a space or '$'.
// A box whose braces never close (cut off at the token cap) is not an answer.
// When no box is found, a caller may ask for the last number instead; it is
// reported as kLastNumberFallback so the score explanation says the answer was
// not boxed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace qdrift::scoring {

enum class BoxedRule { kBoxed, kLastNumberFallback };

struct BoxedAnswer {
  std::string answer;  // the box's content, trimmed, or the fallback number
  BoxedRule rule;
};

std::string_view describe(BoxedRule rule);

// The content of the last complete box; nullopt when there is none.
std::optional<std::string> last_boxed_content(std::string_view text);

// The last box, else (with `allow_number_fallback`) the last number in the text.
std::optional<BoxedAnswer> extract_boxed_answer(std::string_view text, bool allow_number_fallback);

// An AIME answer as an integer 0..999: digits only once LaTeX wrappers, '$',
// spaces and a trailing '.' are gone ("033", "\text{33}", "33.0" -> 33);
// nullopt for anything else (fractions, negatives, 1000+).
std::optional<int> parse_aime_integer(std::string_view answer);

// Both sides parse as AIME integers and are equal ("033" == "33").
bool aime_answers_equal(std::string_view answer, std::string_view gold);

}  // namespace qdrift::scoring
