// Scenario 1 of the grounded bench: facts and returns of one series (a close, a
// high or low, volumes, up days, returns over days or a year). Each template
// picks a ticker and dates with the scenario's Rng and skips picks that a split
// would turn into a trap, since these questions are about closes as listed.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "grounded/question_kit.h"

namespace qdrift::grounded::detail {
namespace {

std::optional<Draft> close_on_day(const Market& m, Rng& rng) {
  const int t = rng.below(ticker_count(m)), day = rng.below(day_count(m));
  const std::string& ticker = m.tickers[t];
  return number(fmt::format("What was the closing price of {} on {}? {}", ticker, m.dates[day], kDollarsListed),
                "dollars", close_at(m, day, t), 2, false,
                fmt::format("SELECT printf('%.2f', close) FROM prices WHERE ticker = '{}' AND date = '{}'", ticker,
                            m.dates[day]));
}

std::optional<Draft> return_between_days(const Market& m, Rng& rng) {
  const int t = rng.below(ticker_count(m));
  const int from = rng.below(day_count(m) - 30);
  const int to = from + rng.between(20, std::min(300, day_count(m) - 1 - from));
  if (splits_in(m, t, from + 1, to)) return std::nullopt;  // a split would make "as listed" a trap
  const std::string& ticker = m.tickers[t];
  return percent(
      fmt::format("By what percentage did the close of {} change from {} to {} (close to close)? {}", ticker,
                  m.dates[from], m.dates[to], kPercent),
      (close_at(m, to, t) / close_at(m, from, t) - 1) * 100,
      fmt::format("SELECT ROUND((b.close / a.close - 1) * 100, 2) FROM prices a, prices b WHERE a.ticker = '{0}' AND "
                  "a.date = '{1}' AND b.ticker = '{0}' AND b.date = '{2}'",
                  ticker, m.dates[from], m.dates[to]));
}

// The highest high (or lowest low) of one ticker over `period`, as listed.
std::optional<Draft> extreme_price(const Market& m, int t, const Period& period, bool highest) {
  if (splits_in(m, t, period.first, period.last)) return std::nullopt;
  std::int64_t best = highest ? 0 : INT64_MAX;
  for (int day = period.first; day <= period.last; ++day) {
    const Bar& bar = m.bar(day, t);
    best = highest ? std::max(best, bar.high_cents) : std::min(best, bar.low_cents);
  }
  const std::string& ticker = m.tickers[t];
  const char* what = highest ? "highest intraday high" : "lowest intraday low";
  const char* in = period.label.size() == 4 ? "during" : "in";
  return number(fmt::format("What was the {} of {} {} {}? {}", what, ticker, in, period.label, kDollarsListed),
                "dollars", dollars(best), 2, false,
                fmt::format("SELECT printf('%.2f', {}) FROM prices WHERE ticker = '{}' AND date {}",
                            highest ? "MAX(high)" : "MIN(low)", ticker, period.between()));
}
std::optional<Draft> highest_high_in_year(const Market& m, Rng& rng) {
  const int t = rng.below(ticker_count(m));
  return extreme_price(m, t, random_year(m, rng), true);
}
std::optional<Draft> lowest_low_in_month(const Market& m, Rng& rng) {
  const int t = rng.below(ticker_count(m));
  return extreme_price(m, t, random_month(m, rng), false);
}

std::optional<Draft> average_volume_in_month(const Market& m, Rng& rng) {
  const int t = rng.below(ticker_count(m));
  const Period month = random_month(m, rng);
  if (splits_in(m, t, month.first, month.last)) return std::nullopt;
  std::int64_t total = 0;
  for (int day = month.first; day <= month.last; ++day) total += m.bar(day, t).volume;
  const std::string& ticker = m.tickers[t];
  return number(fmt::format("What was the average daily trading volume of {} in {} (the mean over its trading days)? "
                            "Answer in shares, rounded to the nearest whole share.",
                            ticker, month.label),
                "shares", static_cast<double>(total) / (month.last - month.first + 1), 0, true,
                fmt::format("SELECT CAST(ROUND(AVG(volume)) AS INTEGER) FROM prices WHERE ticker = '{}' AND date {}",
                            ticker, month.between()));
}

std::optional<Draft> days_closing_above_open(const Market& m, Rng& rng) {
  const int t = rng.below(ticker_count(m));
  const Period month = random_month(m, rng);
  long days = 0;
  for (int day = month.first; day <= month.last; ++day) days += m.bar(day, t).close_cents > m.bar(day, t).open_cents;
  if (days == 0) return std::nullopt;
  const std::string& ticker = m.tickers[t];
  return count(fmt::format("On how many trading days in {} did {} close above its opening price that day? {}",
                           month.label, ticker, kWhole),
               "count", days,
               fmt::format("SELECT COUNT(*) FROM prices WHERE ticker = '{}' AND date {} AND close > open", ticker,
                           month.between()));
}

std::optional<Draft> up_days_in_month(const Market& m, Rng& rng) {
  const int t = rng.below(ticker_count(m));
  const Period month = random_month(m, rng);
  if (month.first == 0 || splits_in(m, t, month.first, month.last)) return std::nullopt;
  long days = 0;
  for (int day = month.first; day <= month.last; ++day)
    days += m.bar(day, t).close_cents > m.bar(day - 1, t).close_cents;
  if (days == 0) return std::nullopt;
  const std::string& ticker = m.tickers[t];
  return count(fmt::format("On how many trading days in {} did {} close higher than on the previous trading day? (The "
                           "first trading day of the month is compared with the last trading day before it.) {}",
                           month.label, ticker, kWhole),
               "count", days,
               fmt::format("WITH t AS (SELECT date, close, LAG(close) OVER (ORDER BY date) AS previous FROM prices "
                           "WHERE ticker = '{}') SELECT COUNT(*) FROM t WHERE date {} AND close > previous",
                           ticker, month.between()));
}

std::optional<Draft> total_volume_in_quarter(const Market& m, Rng& rng) {
  const int t = rng.below(ticker_count(m));
  const Period quarter = random_quarter(m, rng);
  std::int64_t total = 0;
  for (int day = quarter.first; day <= quarter.last; ++day) total += m.bar(day, t).volume;
  const std::string& ticker = m.tickers[t];
  return number(
      fmt::format("What was the total trading volume of {} in {}? Answer in shares, as a whole number.", ticker,
                  quarter.label),
      "shares", static_cast<double>(total), 0, false,
      fmt::format("SELECT SUM(volume) FROM prices WHERE ticker = '{}' AND date {}", ticker, quarter.between()));
}

std::optional<Draft> return_over_year(const Market& m, Rng& rng) {
  const int t = rng.below(ticker_count(m));
  const Period year = random_year(m, rng);
  if (splits_in(m, t, year.first + 1, year.last)) return std::nullopt;
  const std::string& ticker = m.tickers[t];
  return percent(
      fmt::format("By what percentage did the close of {0} change over {1}, from its close on the first trading day of "
                  "{1} to its close on the last trading day of {1}? {2}",
                  ticker, year.label, kPercent),
      (close_at(m, year.last, t) / close_at(m, year.first, t) - 1) * 100,
      fmt::format("SELECT ROUND((b.close / a.close - 1) * 100, 2) FROM prices a, prices b WHERE a.ticker = '{0}' AND "
                  "b.ticker = '{0}' AND a.date = (SELECT MIN(date) FROM prices WHERE ticker = '{0}' AND date {1}) AND "
                  "b.date = (SELECT MAX(date) FROM prices WHERE ticker = '{0}' AND date {1})",
                  ticker, year.between()));
}

std::optional<Draft> best_day_in_year(const Market& m, Rng& rng) {
  const int t = rng.below(ticker_count(m));
  const Period year = year_period(m, rng.between(2022, 2023));  // 2021's first day has no previous close
  if (splits_in(m, t, year.first, year.last)) return std::nullopt;
  double best = -1e9;
  for (int day = year.first; day <= year.last; ++day)
    best = std::max(best, (close_at(m, day, t) / close_at(m, day - 1, t) - 1) * 100);
  const std::string& ticker = m.tickers[t];
  return percent(
      fmt::format("What was the largest one-day gain of {0} in {1}, close over the previous trading day's close? (The "
                  "first trading day of {1} is compared with the last trading day before it.) {2}",
                  ticker, year.label, kPercent),
      best,
      fmt::format("WITH t AS (SELECT date, close, LAG(close) OVER (ORDER BY date) AS previous FROM prices WHERE ticker "
                  "= '{}') SELECT ROUND(MAX((close / previous - 1) * 100), 2) FROM t WHERE date {}",
                  ticker, year.between()));
}

}  // namespace

const ThemeTemplates& series_templates() {
  static constexpr ThemeTemplates kTemplates = {close_on_day,        return_between_days,     highest_high_in_year,
                                                lowest_low_in_month, average_volume_in_month, days_closing_above_open,
                                                up_days_in_month,    total_volume_in_quarter, return_over_year,
                                                best_day_in_year};
  return kTemplates;
}

}  // namespace qdrift::grounded::detail
