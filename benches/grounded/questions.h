// The grounded bench's 30 questions per scenario over the generated market, each
// with a gold answer computed here in C++, and a SQLite query that computes the
// same value a second, independent way (the tests run it; the simulator sends it).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "grounded/market_data.h"

namespace qdrift::grounded {

enum class AnswerKind {
  kNumber,  // compared within `tolerance`
  kTicker,  // compared exactly, ignoring case
  kText,    // a user scenario's word or phrase: compared ignoring case, markdown and surrounding spaces
  kCount,   // a whole number, compared exactly
};

struct Question {
  std::string id;  // "s1-q07"
  int scenario = 0;
  std::string text;  // states the unit and the rounding
  AnswerKind kind = AnswerKind::kNumber;
  std::string gold;      // "12.34", "ABCD" or "17"
  double tolerance = 0;  // absolute; numbers only (counts and tickers are exact)
  std::string unit;      // "percent" (12.34 means 12.34%), "dollars", "shares", "count" or "ticker"
  std::string sql;       // one query that prints exactly one value: sqlite3 -batch -noheader market.db "<sql>"
  bool operator==(const Question&) const = default;
};

// Themes: (1) facts and returns of one series, (2) cross-sectional rankings and
// aggregates, (3) split- and dividend-adjusted figures. The picks of ticker and
// dates are seeded by the scenario, so a market always gives the same 30
// questions. Template k of 10 is asked at positions k, k+10 and k+20, so the
// first 10 questions cover every template once. Empty for a scenario outside 1..3.
std::vector<Question> make_questions(const Market& market);

// Whether what the model gave after "FINAL ANSWER:" is right. Tolerates "12.34",
// "12.34%", "$1,234.50", "1,234.5 dollars", "abcd", "**ABCD**", a trailing
// period; a number for a ticker question, a ticker for a number question, or a
// unit sign that contradicts the question ("%" for dollars) is wrong. `why`, when
// given, says what was compared: "answered 12.30, expected 12.34 ± 0.011".
bool answer_matches(const Question& question, std::string_view answer, std::string* why);

}  // namespace qdrift::grounded
