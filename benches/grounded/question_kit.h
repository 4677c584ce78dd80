// What the grounded question templates share: the Draft a template returns, the
// instructions many questions end with, calendar periods and their trading days,
// split arithmetic in C++ and in SQL, and the constructors that round a gold
// answer. Internal to the grounded bench; questions.h is its public face.
//
// The queries go into `sqlite3 /data/market.db "<sql>"`, so they use single
// quotes only and no `$`, backquote, backslash or `!`; and only core SQLite
// functions (no ln/exp/pow, which Debian's CLI may lack).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grounded/market_data.h"
#include "grounded/questions.h"

namespace qdrift::grounded::detail {

// What a template produces; make_questions turns it into a Question.
struct Draft {
  std::string text;
  AnswerKind kind = AnswerKind::kNumber;
  std::string unit;
  double value = 0;     // numbers and counts
  std::string ticker;   // tickers
  int decimals = 2;     // numbers: digits after the point in the gold
  bool rounded = true;  // false when the gold is read off the table or a sum of cents: nothing to forgive
  std::string sql;
};
// A template draws its picks from `rng`; nullopt means the pick was degenerate
// and make_questions should draw again.
using Template = std::optional<Draft> (*)(const Market&, Rng&);
using ThemeTemplates = std::array<Template, 10>;

// Each theme's ten templates, in the order make_questions asks them.
const ThemeTemplates& series_templates();         // scenario 1: questions_series.cpp
const ThemeTemplates& cross_section_templates();  // scenario 2: questions_cross_section.cpp
const ThemeTemplates& adjusted_templates();       // scenario 3: questions_adjusted.cpp

// Instructions that end a question's text, so the expected form of the answer is stated.
inline constexpr std::string_view kPercent =
    "Answer in percent, rounded to 2 decimals (write 12.34 for 12.34%, -5.10 for -5.10%; not a fraction).";
inline constexpr std::string_view kDollarsListed = "Answer in dollars with 2 decimals, as listed in the table.";
inline constexpr std::string_view kDollarsRounded = "Answer in dollars, rounded to 2 decimals.";
inline constexpr std::string_view kWhole = "Answer with a whole number.";
inline constexpr std::string_view kTickerAnswer = "Answer with the ticker symbol.";
inline constexpr std::string_view kAsListed = "Use closes as listed (not adjusted for splits).";
inline constexpr std::string_view kSplitRule =
    "(See the splits table: a split's date is its first trading day on the new basis, and numerator 3 with "
    "denominator 2 turns every 2 shares into 3.)";

// The close as the files list it, in dollars.
double close_at(const Market& m, int day, int ticker);
int day_count(const Market& m);
int ticker_count(const Market& m);

// A ticker's split day (date index), or -1.
int split_day(const Market& m, int ticker);
// Shares held at `through` per share held at `after`: the ratio of a split in (after, through].
double split_factor(const Market& m, int ticker, int after, int through);
// Whether the ticker's split falls on a day in [first, last].
bool splits_in(const Market& m, int ticker, int first, int last);
// The same factor in SQL; the arguments are SQL expressions ('ABCD', '2022-01-03', d.ex_date).
std::string split_factor_sql(std::string_view ticker, std::string_view after, std::string_view through);
// A string as an SQL literal: ABCD -> 'ABCD'. Tickers and dates need no escaping.
std::string sql_literal(std::string_view s);

// A calendar span and the trading days in it.
struct Period {
  std::string label;  // "2022", "March 2022", "Q2 2022 (April through June)"
  std::string name;   // the label without its explanation, for a second mention: "Q2 2022"
  std::string from, to;
  int first = 0, last = -1;
  std::string between() const;  // "BETWEEN '2022-01-01' AND '2022-12-31'"
};
Period year_period(const Market& m, int year);
Period month_period(const Market& m, int year, int month);
Period quarter_period(const Market& m, int year, int quarter);
// A year, month or quarter within 2021..2023.
Period random_year(const Market& m, Rng& rng);
Period random_month(const Market& m, Rng& rng);
Period random_quarter(const Market& m, Rng& rng);
// The SQL that pairs each ticker's close on the first and last trading day of a
// period as a and b; a format string whose {} is what to SELECT.
std::string span_join(const Period& period);

// The one ticker with the highest (or lowest) score; nullopt when the runner-up is
// within 10^-4 relative, so float noise in either path cannot change the answer.
std::optional<std::string> clear_winner(const Market& m, const std::vector<double>& scores, bool highest);

// Drafts of each answer kind. `number` rounds the gold to `decimals` when `rounded`.
Draft number(std::string text, std::string unit, double value, int decimals, bool rounded, std::string sql);
Draft count(std::string text, std::string unit, long value, std::string sql);
Draft ticker_answer(std::string text, std::string ticker, std::string sql);
// A percent with 2 decimals; nullopt when it rounds to zero, a degenerate question.
std::optional<Draft> percent(std::string text, double value, std::string sql);

}  // namespace qdrift::grounded::detail
