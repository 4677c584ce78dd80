// The helpers the grounded question templates share; see question_kit.h.
#include "grounded/question_kit.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace qdrift::grounded::detail {
namespace {

double round_to(double x, int decimals) {
  const double scale = decimals == 0 ? 1 : decimals == 1 ? 10 : 100;
  return std::round(x * scale) / scale;
}

constexpr std::array<std::string_view, 12> kMonths = {"January",   "February", "March",    "April",
                                                      "May",       "June",     "July",     "August",
                                                      "September", "October",  "November", "December"};
int days_in_month(int year, int month) {
  if (month == 2) return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
  return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
}
Period make_period(const Market& m, std::string label, std::string from, std::string to) {
  Period p{label, label.substr(0, label.find(" (")), std::move(from), std::move(to)};
  p.first = static_cast<int>(std::lower_bound(m.dates.begin(), m.dates.end(), p.from) - m.dates.begin());
  p.last = static_cast<int>(std::upper_bound(m.dates.begin(), m.dates.end(), p.to) - m.dates.begin()) - 1;
  return p;
}

Draft draft(std::string text, AnswerKind kind, std::string unit, std::string sql) {
  Draft d;
  d.text = std::move(text);
  d.kind = kind;
  d.unit = std::move(unit);
  d.sql = std::move(sql);
  return d;
}

}  // namespace

double close_at(const Market& m, int day, int ticker) { return dollars(m.bar(day, ticker).close_cents); }
int day_count(const Market& m) { return static_cast<int>(m.dates.size()); }
int ticker_count(const Market& m) { return static_cast<int>(m.tickers.size()); }

int split_day(const Market& m, int ticker) {
  const Split* split = m.split_of(m.tickers[ticker]);
  return split ? m.date_index(split->date) : -1;
}
double split_factor(const Market& m, int ticker, int after, int through) {
  const Split* split = m.split_of(m.tickers[ticker]);
  if (!split) return 1;
  const int day = m.date_index(split->date);
  return day > after && day <= through ? static_cast<double>(split->numerator) / split->denominator : 1;
}
bool splits_in(const Market& m, int ticker, int first, int last) {
  const int day = split_day(m, ticker);
  return day >= first && day <= last;
}
std::string split_factor_sql(std::string_view ticker, std::string_view after, std::string_view through) {
  return fmt::format(
      "COALESCE((SELECT numerator * 1.0 / denominator FROM splits WHERE ticker = {} AND date > {} AND date <= {}), 1)",
      ticker, after, through);
}
std::string sql_literal(std::string_view s) { return fmt::format("'{}'", s); }

std::string Period::between() const { return fmt::format("BETWEEN '{}' AND '{}'", from, to); }
Period year_period(const Market& m, int year) {
  return make_period(m, std::to_string(year), fmt::format("{}-01-01", year), fmt::format("{}-12-31", year));
}
Period month_period(const Market& m, int year, int month) {
  return make_period(m, fmt::format("{} {}", kMonths[month - 1], year), fmt::format("{}-{:02}-01", year, month),
                     fmt::format("{}-{:02}-{:02}", year, month, days_in_month(year, month)));
}
Period quarter_period(const Market& m, int year, int quarter) {
  const int first_month = 3 * quarter - 2;
  return make_period(
      m, fmt::format("Q{} {} ({} through {})", quarter, year, kMonths[first_month - 1], kMonths[first_month + 1]),
      fmt::format("{}-{:02}-01", year, first_month),
      fmt::format("{}-{:02}-{:02}", year, first_month + 2, days_in_month(year, first_month + 2)));
}
Period random_year(const Market& m, Rng& rng) { return year_period(m, rng.between(2021, 2023)); }
// One draw per statement: the order in which function arguments are evaluated is unspecified.
Period random_month(const Market& m, Rng& rng) {
  const int year = rng.between(2021, 2023);
  return month_period(m, year, rng.between(1, 12));
}
Period random_quarter(const Market& m, Rng& rng) {
  const int year = rng.between(2021, 2023);
  return quarter_period(m, year, rng.between(1, 4));
}

std::string span_join(const Period& period) {
  return fmt::format(
      "WITH span AS (SELECT MIN(date) AS first_day, MAX(date) AS last_day FROM prices WHERE date {}) "
      "SELECT {{}} FROM span, prices a JOIN prices b ON b.ticker = a.ticker WHERE a.date = "
      "span.first_day AND b.date = span.last_day",
      period.between());
}

std::optional<std::string> clear_winner(const Market& m, const std::vector<double>& scores, bool highest) {
  std::vector<int> order(scores.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::sort(order.begin(), order.end(),
            [&](int a, int b) { return highest ? scores[a] > scores[b] : scores[a] < scores[b]; });
  if (order.size() < 2) return std::nullopt;
  const double best = scores[order[0]], second = scores[order[1]];
  if (std::abs(best - second) < 1e-4 * std::abs(best)) return std::nullopt;
  return m.tickers[order[0]];
}

Draft number(std::string text, std::string unit, double value, int decimals, bool rounded, std::string sql) {
  Draft d = draft(std::move(text), AnswerKind::kNumber, std::move(unit), std::move(sql));
  d.value = rounded ? round_to(value, decimals) : value;
  d.decimals = decimals;
  d.rounded = rounded;
  return d;
}
Draft count(std::string text, std::string unit, long value, std::string sql) {
  Draft d = draft(std::move(text), AnswerKind::kCount, std::move(unit), std::move(sql));
  d.value = static_cast<double>(value);
  d.decimals = 0;
  return d;
}
Draft ticker_answer(std::string text, std::string ticker, std::string sql) {
  Draft d = draft(std::move(text), AnswerKind::kTicker, "ticker", std::move(sql));
  d.ticker = std::move(ticker);
  return d;
}
// A percent that rounds to zero is a degenerate question.
std::optional<Draft> percent(std::string text, double value, std::string sql) {
  if (std::abs(value) < 0.05) return std::nullopt;
  return number(std::move(text), "percent", value, 2, true, std::move(sql));
}

}  // namespace qdrift::grounded::detail
