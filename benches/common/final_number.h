// The final number in a free-text answer (gsm8k, arith) and numeric comparison.
//
// Rules, tried in order; within a rule the LAST occurrence wins, because a
// model restates and corrects itself and its closing statement is the answer:
//   1. "The final answer is N" (also "final answer: N") — the phrase our prompts ask for.
//   2. "#### N" — the gsm8k gold format, which few-shot-primed models copy.
//   3. The last number anywhere in the text (lm-evaluation-harness's gsm8k
//      "flexible-extract" does the same).
// A number may carry a sign, a '$', thousands separators ("1,000" — commas only
// in groups of three, so "3,4" is two numbers) and decimals; a trailing '.'
// (end of sentence) is not part of it. A '-' directly after a digit, letter or
// ')' is subtraction, not a sign ("10-4" ends in 4, not -4).
//
// The scan is hand-written rather than std::regex: responses run to tens of
// kilobytes and libstdc++'s regex recurses per character.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace qdrift::scoring {

enum class NumberRule { kFinalAnswerPhrase, kHashes, kLastNumber };

struct FinalNumber {
  std::string number;  // canonical: no '$' or commas, "18.50" -> "18.5", "-0" -> "0"
  NumberRule rule;     // which rule found it, for the score explanation
};

// A few words naming the rule: "\"The final answer is N\"", "\"#### N\"", "last number".
std::string_view describe(NumberRule rule);

std::optional<FinalNumber> find_final_number(std::string_view text);
// The number alone; nullopt when the text holds none.
std::optional<std::string> extract_final_number(std::string_view text);

// The gold answer of a gsm8k record ("...reasoning...\n#### 1,450"): the
// canonical number after the last "####"; nullopt if missing or not a number.
std::optional<std::string> parse_gsm8k_gold(std::string_view answer_field);

// A decimal string in canonical form: optional '-', no leading zeros, no
// trailing fractional zeros; '$', '+', commas and a trailing '.' are dropped.
// nullopt when `text` is not a plain decimal number.
std::optional<std::string> canonical_decimal(std::string_view text);

// Exact decimal equality after canonical_decimal: "18.00" == "18", "1,000" == "1000".
// Compared as strings, not doubles, so long values never round into each other.
bool numbers_equal(std::string_view a, std::string_view b);

}  // namespace qdrift::scoring
