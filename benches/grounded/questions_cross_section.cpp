// Scenario 2 of the grounded bench: cross-sectional rankings and aggregates over
// all tickers (best return, most volume, how many rose, average and median
// close). A ranking is asked only when its winner is clear, so float noise in
// the gold or the SQL cannot change the answer.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "grounded/question_kit.h"

namespace qdrift::grounded::detail {
namespace {

std::optional<Draft> best_return(const Market& m, const Period& period) {
  std::vector<double> growth(m.tickers.size());
  for (int t = 0; t < ticker_count(m); ++t) growth[t] = close_at(m, period.last, t) / close_at(m, period.first, t);
  std::optional<std::string> winner = clear_winner(m, growth, true);
  if (!winner) return std::nullopt;
  return ticker_answer(
      fmt::format("Which ticker had the highest return in {0}, from its close on the first trading day of {1} to its "
                  "close on the last trading day of {1}? {2} {3}",
                  period.label, period.name, kAsListed, kTickerAnswer),
      *winner, fmt::format(fmt::runtime(span_join(period)), "a.ticker") + " ORDER BY b.close / a.close DESC LIMIT 1");
}
std::optional<Draft> best_return_in_year(const Market& m, Rng& rng) { return best_return(m, random_year(m, rng)); }
std::optional<Draft> best_return_in_quarter(const Market& m, Rng& rng) {
  return best_return(m, random_quarter(m, rng));
}

// A day after the first on which no ticker split, so "as listed" and "adjusted" agree.
std::optional<int> plain_day(const Market& m, Rng& rng) {
  const int day = rng.between(1, day_count(m) - 1);
  for (const Split& split : m.splits)
    if (split.date == m.dates[day]) return std::nullopt;
  return day;
}
std::string previous_day_join(const std::string& date) {
  return fmt::format(
      "FROM prices a JOIN prices b ON b.ticker = a.ticker WHERE a.date = '{0}' AND b.date = (SELECT "
      "MAX(date) FROM prices WHERE date < '{0}')",
      date);
}

std::optional<Draft> tickers_up_on_day(const Market& m, Rng& rng) {
  const std::optional<int> day = plain_day(m, rng);
  if (!day) return std::nullopt;
  long up = 0;
  for (int t = 0; t < ticker_count(m); ++t) up += m.bar(*day, t).close_cents > m.bar(*day - 1, t).close_cents;
  if (up == 0 || up == ticker_count(m)) return std::nullopt;
  const std::string& date = m.dates[*day];
  return count(fmt::format("How many tickers closed higher on {} than on the previous trading day? {}", date, kWhole),
               "count", up, fmt::format("SELECT COUNT(*) {} AND a.close > b.close", previous_day_join(date)));
}

std::vector<double> month_volumes(const Market& m, const Period& month) {
  std::vector<double> totals(m.tickers.size(), 0);
  for (int day = month.first; day <= month.last; ++day)
    for (int t = 0; t < ticker_count(m); ++t) totals[t] += static_cast<double>(m.bar(day, t).volume);
  return totals;
}

std::optional<Draft> volume_rank_in_month(const Market& m, Rng& rng) {
  const int t = rng.below(ticker_count(m));
  const Period month = random_month(m, rng);
  const std::vector<double> totals = month_volumes(m, month);
  long rank = 1;
  for (int other = 0; other < ticker_count(m); ++other) {
    if (other != t && totals[other] == totals[t]) return std::nullopt;  // a tie has no single rank
    rank += totals[other] > totals[t];
  }
  const std::string& ticker = m.tickers[t];
  return count(fmt::format("Rank all tickers by their total trading volume (shares) in {}, largest first. What is "
                           "the rank of {}? (1 = the largest.) {}",
                           month.label, ticker, kWhole),
               "count", rank,
               fmt::format("WITH totals AS (SELECT ticker, SUM(volume) AS total FROM prices WHERE date {} GROUP BY "
                           "ticker) SELECT COUNT(*) + 1 FROM totals WHERE total > (SELECT total FROM totals WHERE "
                           "ticker = '{}')",
                           month.between(), ticker));
}

std::optional<Draft> average_close_on_day(const Market& m, Rng& rng) {
  const int day = rng.below(day_count(m));
  double sum = 0;
  for (int t = 0; t < ticker_count(m); ++t) sum += close_at(m, day, t);
  const std::string& date = m.dates[day];
  return number(fmt::format("What was the average closing price across all tickers on {} (the mean of every ticker's "
                            "close that day)? {}",
                            date, kDollarsRounded),
                "dollars", sum / ticker_count(m), 2, true,
                fmt::format("SELECT ROUND(AVG(close), 2) FROM prices WHERE date = '{}'", date));
}

std::optional<Draft> top_volume_in_month(const Market& m, Rng& rng) {
  const Period month = random_month(m, rng);
  std::optional<std::string> winner = clear_winner(m, month_volumes(m, month), true);
  if (!winner) return std::nullopt;
  return ticker_answer(
      fmt::format("Which ticker had the largest total trading volume (shares) in {}? {}", month.label, kTickerAnswer),
      *winner,
      fmt::format("SELECT ticker FROM prices WHERE date {} GROUP BY ticker ORDER BY SUM(volume) DESC LIMIT 1",
                  month.between()));
}

std::optional<Draft> tickers_above_price(const Market& m, Rng& rng) {
  static constexpr int kThresholds[] = {25, 50, 75, 100, 150, 200, 300};
  const int threshold = kThresholds[rng.below(7)];
  const int day = rng.below(day_count(m));
  long above = 0;
  for (int t = 0; t < ticker_count(m); ++t) {
    const std::int64_t cents = m.bar(day, t).close_cents;
    if (cents == threshold * 100) return std::nullopt;  // "above" would hinge on > versus >=
    above += cents > threshold * 100;
  }
  if (above == 0 || above == ticker_count(m)) return std::nullopt;
  const std::string& date = m.dates[day];
  return count(fmt::format("How many tickers closed above {}.00 dollars on {}? {}", threshold, date, kWhole), "count",
               above, fmt::format("SELECT COUNT(*) FROM prices WHERE date = '{}' AND close > {}", date, threshold));
}

std::optional<Draft> best_ticker_on_day(const Market& m, Rng& rng) {
  const std::optional<int> day = plain_day(m, rng);
  if (!day) return std::nullopt;
  std::vector<double> growth(m.tickers.size());
  for (int t = 0; t < ticker_count(m); ++t) growth[t] = close_at(m, *day, t) / close_at(m, *day - 1, t);
  std::optional<std::string> winner = clear_winner(m, growth, true);
  if (!winner) return std::nullopt;
  const std::string& date = m.dates[*day];
  return ticker_answer(
      fmt::format("Which ticker had the largest percentage gain on {}, close over the previous "
                  "trading day's close? {}",
                  date, kTickerAnswer),
      *winner, fmt::format("SELECT a.ticker {} ORDER BY a.close / b.close DESC LIMIT 1", previous_day_join(date)));
}

std::optional<Draft> median_close_on_day(const Market& m, Rng& rng) {
  const int day = rng.below(day_count(m));
  std::vector<double> closes;
  for (int t = 0; t < ticker_count(m); ++t) closes.push_back(close_at(m, day, t));
  std::sort(closes.begin(), closes.end());
  const std::size_t n = closes.size();
  const double median = n % 2 ? closes[n / 2] : (closes[n / 2 - 1] + closes[n / 2]) / 2;
  const std::string& date = m.dates[day];
  // LIMIT 2 - n % 2 OFFSET (n - 1) / 2 picks the one or two middle closes for any n.
  return number(fmt::format("What was the median closing price across all tickers on {}? (With an even number of "
                            "tickers, the median is the mean of the two middle closes.) {}",
                            date, kDollarsRounded),
                "dollars", median, 2, true,
                fmt::format("SELECT ROUND(AVG(close), 2) FROM (SELECT close FROM prices WHERE date = '{0}' ORDER BY "
                            "close LIMIT 2 - (SELECT COUNT(*) FROM prices WHERE date = '{0}') % 2 OFFSET ((SELECT "
                            "COUNT(*) FROM prices WHERE date = '{0}') - 1) / 2)",
                            date));
}

std::optional<Draft> tickers_up_in_quarter(const Market& m, Rng& rng) {
  const Period quarter = random_quarter(m, rng);
  long up = 0;
  for (int t = 0; t < ticker_count(m); ++t) {
    const std::int64_t first = m.bar(quarter.first, t).close_cents, last = m.bar(quarter.last, t).close_cents;
    if (first == last) return std::nullopt;  // "positive" would hinge on a zero return
    up += last > first;
  }
  if (up == 0 || up == ticker_count(m)) return std::nullopt;
  return count(fmt::format("How many tickers had a positive return in {}, from their close on the first trading day of "
                           "the quarter to their close on its last trading day? {} {}",
                           quarter.label, kAsListed, kWhole),
               "count", up, fmt::format(fmt::runtime(span_join(quarter)), "COUNT(*)") + " AND b.close > a.close");
}

}  // namespace

const ThemeTemplates& cross_section_templates() {
  static constexpr ThemeTemplates kTemplates = {
      best_return_in_year, best_return_in_quarter, tickers_up_on_day,  volume_rank_in_month, average_close_on_day,
      top_volume_in_month, tickers_above_price,    best_ticker_on_day, median_close_on_day,  tickers_up_in_quarter};
  return kTemplates;
}

}  // namespace qdrift::grounded::detail
