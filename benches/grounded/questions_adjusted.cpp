// Scenario 3 of the grounded bench: split- and dividend-adjusted figures
// (returns across a split, holdings in today's shares, dividend cash, yields,
// total return). Several templates keep only picks where adjusting changes the
// answer, since those tell a careful reader from a careless one.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <set>
#include <utility>

#include "grounded/question_kit.h"

namespace qdrift::grounded::detail {
namespace {

struct SplitPick {
  int ticker, day;  // the split's date index
  const Split* split;
};
SplitPick random_split(const Market& m, Rng& rng) {
  const Split& split = m.splits[rng.below(static_cast<int>(m.splits.size()))];
  return {m.ticker_index(split.ticker), m.date_index(split.date), &split};
}
// A dividend payer; with `prefer_split`, one that also split when there is one.
std::optional<int> random_payer(const Market& m, Rng& rng, bool prefer_split) {
  std::set<int> payers, splitting;
  for (const Dividend& d : m.dividends) payers.insert(m.ticker_index(d.ticker));
  for (int t : payers)
    if (m.split_of(m.tickers[t])) splitting.insert(t);
  const std::set<int>& pool = prefer_split && !splitting.empty() ? splitting : payers;
  if (pool.empty()) return std::nullopt;
  return *std::next(pool.begin(), rng.below(static_cast<int>(pool.size())));
}
// The dividends of a ticker with ex-dates in (after, through], as date index and amount.
std::vector<std::pair<int, std::int64_t>> dividends_in(const Market& m, int t, int after, int through) {
  std::vector<std::pair<int, std::int64_t>> found;
  for (const Dividend& d : m.dividends) {
    const int day = m.date_index(d.ex_date);
    if (d.ticker == m.tickers[t] && day > after && day <= through) found.emplace_back(day, d.amount_cents);
  }
  return found;
}
// The split-adjusted close: closes before the split on the post-split basis.
double adjusted_close(const Market& m, const SplitPick& pick, int day) {
  const double close = close_at(m, day, pick.ticker);
  return day < pick.day ? close * pick.split->denominator / pick.split->numerator : close;
}
constexpr std::string_view kAdjustedCloseSql =
    "(CASE WHEN p.date < s.date THEN p.close * s.denominator / s.numerator ELSE p.close END)";

std::optional<Draft> adjusted_return_across_split(const Market& m, Rng& rng) {
  const SplitPick pick = random_split(m, rng);
  const int from = pick.day - rng.between(5, 150), to = std::min(day_count(m) - 1, pick.day + rng.between(0, 150));
  if (from < 0) return std::nullopt;
  const std::string& ticker = m.tickers[pick.ticker];
  const double factor = split_factor(m, pick.ticker, from, to);
  return percent(
      fmt::format(
          "What was the split-adjusted return of {} from its close on {} to its close on {}, i.e. the gain of a "
          "shareholder who keeps the extra shares from any split in between? Ignore dividends. {} {}",
          ticker, m.dates[from], m.dates[to], kSplitRule, kPercent),
      (close_at(m, to, pick.ticker) * factor / close_at(m, from, pick.ticker) - 1) * 100,
      fmt::format(
          "SELECT ROUND((b.close * {} / a.close - 1) * 100, 2) FROM prices a, prices b WHERE a.ticker = '{}' AND "
          "a.date = '{}' AND b.ticker = a.ticker AND b.date = '{}'",
          split_factor_sql("a.ticker", "a.date", "b.date"), ticker, m.dates[from], m.dates[to]));
}

std::optional<Draft> dividends_per_share_in_year(const Market& m, Rng& rng) {
  const std::optional<int> t = random_payer(m, rng, false);
  if (!t) return std::nullopt;
  const Period year = random_year(m, rng);
  if (splits_in(m, *t, year.first, year.last)) return std::nullopt;  // "per share" would need a basis
  std::int64_t cents = 0;
  for (const auto& [day, amount] : dividends_in(m, *t, year.first - 1, year.last)) cents += amount;
  if (cents == 0) return std::nullopt;
  const std::string& ticker = m.tickers[*t];
  return number(fmt::format("What were the total cash dividends per share of {} with ex-dates in {}? {}", ticker,
                            year.label, "Answer in dollars with 2 decimals."),
                "dollars", dollars(cents), 2, false,
                fmt::format("SELECT printf('%.2f', SUM(amount)) FROM dividends WHERE ticker = '{}' AND ex_date {}",
                            ticker, year.between()));
}

std::optional<Draft> total_return_with_dividends(const Market& m, Rng& rng) {
  const bool prefer_split = rng.below(2) == 0;
  const std::optional<int> t = random_payer(m, rng, prefer_split);
  if (!t) return std::nullopt;
  const int from = rng.below(day_count(m) - 130);
  const int to = std::min(day_count(m) - 1, from + rng.between(120, 400));
  const auto paid = dividends_in(m, *t, from, to);
  if (paid.size() < 2) return std::nullopt;
  double cash = 0;  // per share bought, in the order SQLite sums (ex-date order)
  for (const auto& [day, amount] : paid) cash += dollars(amount) * split_factor(m, *t, from, day);
  const double proceeds = close_at(m, to, *t) * split_factor(m, *t, from, to) + cash;
  const std::string& ticker = m.tickers[*t];
  const std::string name = sql_literal(ticker), start = sql_literal(m.dates[from]), end = sql_literal(m.dates[to]);
  return percent(
      fmt::format(
          "An investor bought {0} at the close on {1} and sold at the close on {2}, keeping any extra shares "
          "from splits and taking dividends as cash (not reinvested). What was the total return: the sale value "
          "plus the dividends with ex-dates after {1} up to and including {2}, relative to the purchase price? "
          "{3} {4}",
          ticker, m.dates[from], m.dates[to], kSplitRule, kPercent),
      (proceeds / close_at(m, from, *t) - 1) * 100,
      fmt::format("SELECT ROUND((((SELECT close FROM prices WHERE ticker = {0} AND date = {2}) * {3} + (SELECT "
                  "COALESCE(SUM(d.amount * {4}), 0) FROM dividends d WHERE d.ticker = {0} AND d.ex_date > {1} AND "
                  "d.ex_date <= {2})) / (SELECT close FROM prices WHERE ticker = {0} AND date = {1}) - 1) * 100, 2)",
                  name, start, end, split_factor_sql(name, start, end), split_factor_sql(name, start, "d.ex_date")));
}

std::optional<Draft> pre_split_close_in_todays_shares(const Market& m, Rng& rng) {
  const SplitPick pick = random_split(m, rng);
  const int day = pick.day - rng.between(1, 250);
  if (day < 0) return std::nullopt;
  const std::string& ticker = m.tickers[pick.ticker];
  return number(fmt::format("Express the close of {} on {} in today's shares, i.e. adjusted for every split after that "
                            "date, so that it compares with today's prices. {} {}",
                            ticker, m.dates[day], kSplitRule, kDollarsRounded),
                "dollars", adjusted_close(m, pick, day), 2, true,
                fmt::format("SELECT ROUND(p.close * s.denominator / s.numerator, 2) FROM prices p JOIN splits s ON "
                            "s.ticker = p.ticker AND s.date > p.date WHERE p.ticker = '{}' AND p.date = '{}'",
                            ticker, m.dates[day]));
}

std::optional<Draft> holding_value_across_split(const Market& m, Rng& rng) {
  const SplitPick pick = random_split(m, rng);
  const int shares = 100 * rng.between(1, 5);  // a multiple of 100, so 3:2 leaves whole shares
  const int from = pick.day - rng.between(1, 200), to = std::min(day_count(m) - 1, pick.day + rng.between(0, 200));
  if (from < 0) return std::nullopt;
  const std::int64_t held = shares * pick.split->numerator / pick.split->denominator;
  const std::string& ticker = m.tickers[pick.ticker];
  return number(
      fmt::format("An investor bought {} shares of {} on {} and held them, with any shares received from "
                  "splits, through {}. What were the holdings worth at the close on {}? Ignore dividends. {} {}",
                  shares, ticker, m.dates[from], m.dates[to], m.dates[to], kSplitRule, kDollarsRounded),
      "dollars", dollars(held * m.bar(to, pick.ticker).close_cents), 2, false,
      fmt::format("SELECT printf('%.2f', {} * {} * close) FROM prices WHERE ticker = '{}' AND date = '{}'", shares,
                  split_factor_sql(sql_literal(ticker), sql_literal(m.dates[from]), sql_literal(m.dates[to])), ticker,
                  m.dates[to]));
}

std::optional<Draft> dividend_yield_in_year(const Market& m, Rng& rng) {
  const std::optional<int> t = random_payer(m, rng, false);
  if (!t) return std::nullopt;
  const Period year = random_year(m, rng);
  if (splits_in(m, *t, year.first, year.last)) return std::nullopt;
  double paid = 0;  // summed in dollars, as SQLite sums the REAL column
  for (const auto& [day, amount] : dividends_in(m, *t, year.first - 1, year.last)) paid += dollars(amount);
  if (paid == 0) return std::nullopt;
  const std::string& ticker = m.tickers[*t];
  return percent(
      fmt::format(
          "What was the dividend yield of {0} for {1}: its total dividends per share with ex-dates in {1}, "
          "divided by its close on the last trading day of {1}? Answer in percent, rounded to 2 decimals (write "
          "1.23 for 1.23%; not a fraction).",
          ticker, year.label),
      paid / close_at(m, year.last, *t) * 100,
      fmt::format(
          "SELECT ROUND((SELECT SUM(amount) FROM dividends WHERE ticker = '{0}' AND ex_date {1}) / (SELECT close "
          "FROM prices WHERE ticker = '{0}' AND date = (SELECT MAX(date) FROM prices WHERE ticker = '{0}' AND "
          "date {1})) * 100, 2)",
          ticker, year.between()));
}

std::optional<Draft> adjusted_high_in_split_year(const Market& m, Rng& rng) {
  const SplitPick pick = random_split(m, rng);
  const Period year = year_period(m, std::stoi(pick.split->date.substr(0, 4)));
  if (pick.day == year.first) return std::nullopt;  // nothing to adjust
  double best = 0;
  for (int day = year.first; day <= year.last; ++day) best = std::max(best, adjusted_close(m, pick, day));
  const std::string& ticker = m.tickers[pick.ticker];
  return number(fmt::format("What was the highest split-adjusted close of {} during {}, with closes before its split "
                            "converted to the post-split basis? {} {}",
                            ticker, year.label, kSplitRule, kDollarsRounded),
                "dollars", best, 2, true,
                fmt::format("SELECT ROUND(MAX({}), 2) FROM prices p JOIN splits s ON s.ticker = p.ticker WHERE "
                            "p.ticker = '{}' AND p.date {}",
                            kAdjustedCloseSql, ticker, year.between()));
}

std::optional<Draft> worst_adjusted_return(const Market& m, Rng& rng) {
  const Period period = rng.below(4) == 0 ? random_year(m, rng) : random_quarter(m, rng);
  std::vector<double> adjusted(m.tickers.size()), as_listed(m.tickers.size());
  for (int t = 0; t < ticker_count(m); ++t) {
    as_listed[t] = close_at(m, period.last, t) / close_at(m, period.first, t);
    adjusted[t] =
        close_at(m, period.last, t) * split_factor(m, t, period.first, period.last) / close_at(m, period.first, t);
  }
  std::optional<std::string> winner = clear_winner(m, adjusted, false);
  // Only periods where adjusting changes the answer: they tell a careful reader from a careless one.
  if (!winner || winner == clear_winner(m, as_listed, false)) return std::nullopt;
  return ticker_answer(
      fmt::format(
          "Which ticker had the lowest split-adjusted return in {0}, from its close on the first trading day of "
          "{1} to its close on the last trading day of {1}, counting the extra shares from any split in "
          "between? Ignore dividends. {2} {3}",
          period.label, period.name, kSplitRule, kTickerAnswer),
      *winner,
      fmt::format(fmt::runtime(span_join(period)), "a.ticker") +
          fmt::format(" ORDER BY b.close * {} / a.close LIMIT 1",
                      split_factor_sql("a.ticker", "span.first_day", "span.last_day")));
}

std::optional<Draft> dividend_cash_across_split(const Market& m, Rng& rng) {
  const std::optional<int> t = random_payer(m, rng, true);
  if (!t) return std::nullopt;
  const int shares = 100 * rng.between(1, 5);
  const int pivot = split_day(m, *t) >= 0 ? split_day(m, *t) : rng.between(200, day_count(m) - 200);
  const int from = std::max(0, pivot - rng.between(60, 250)),
            to = std::min(day_count(m) - 1, pivot + rng.between(60, 250));
  const auto paid = dividends_in(m, *t, from, to);
  if (paid.size() < 2) return std::nullopt;
  std::int64_t cents = 0;
  for (const auto& [day, amount] : paid)
    cents += static_cast<std::int64_t>(std::llround(shares * split_factor(m, *t, from, day))) * amount;
  const std::string& ticker = m.tickers[*t];
  const std::string name = sql_literal(ticker), start = sql_literal(m.dates[from]), end = sql_literal(m.dates[to]);
  return number(fmt::format("An investor bought {0} shares of {1} at the close on {2} and held them, with any shares "
                            "received from splits, through {3}. How much cash did they receive in dividends with "
                            "ex-dates after {2} up to and including {3}? {4} {5}",
                            shares, ticker, m.dates[from], m.dates[to], kSplitRule, kDollarsRounded),
                "dollars", dollars(cents), 2, false,
                fmt::format("SELECT printf('%.2f', SUM({} * d.amount * {})) FROM dividends d WHERE d.ticker = {} AND "
                            "d.ex_date > {} AND d.ex_date <= {}",
                            shares, split_factor_sql(name, start, "d.ex_date"), name, start, end));
}

std::optional<Draft> adjusted_days_above(const Market& m, Rng& rng) {
  const SplitPick pick = random_split(m, rng);
  const Period year = year_period(m, std::stoi(pick.split->date.substr(0, 4)));
  std::vector<double> closes;
  for (int day = year.first; day <= year.last; ++day) closes.push_back(adjusted_close(m, pick, day));
  std::vector<double> sorted = closes;
  std::sort(sorted.begin(), sorted.end());
  // A whole-dollar threshold near a seeded quantile of the adjusted closes.
  const int threshold = static_cast<int>(std::lround(sorted[sorted.size() * rng.between(30, 70) / 100]));
  long above = 0, above_as_listed = 0;
  for (int day = year.first; day <= year.last; ++day) {
    const double adjusted = closes[day - year.first];
    if (std::abs(adjusted - threshold) < 0.001) return std::nullopt;  // would hinge on > versus >=
    above += adjusted > threshold;
    above_as_listed += close_at(m, day, pick.ticker) > threshold;
  }
  if (above == 0 || above == static_cast<long>(closes.size()) || above == above_as_listed) return std::nullopt;
  const std::string& ticker = m.tickers[pick.ticker];
  return count(
      fmt::format("On how many trading days in {} was the split-adjusted close of {} (closes before its split "
                  "converted to the post-split basis) above {}.00 dollars? {} {}",
                  year.label, ticker, threshold, kSplitRule, kWhole),
      "count", above,
      fmt::format("SELECT COUNT(*) FROM prices p JOIN splits s ON s.ticker = p.ticker WHERE p.ticker = '{}' AND "
                  "p.date {} AND {} > {}",
                  ticker, year.between(), kAdjustedCloseSql, threshold));
}

}  // namespace

const ThemeTemplates& adjusted_templates() {
  static constexpr ThemeTemplates kTemplates = {adjusted_return_across_split, dividends_per_share_in_year,
                                                total_return_with_dividends,  pre_split_close_in_todays_shares,
                                                holding_value_across_split,   dividend_yield_in_year,
                                                adjusted_high_in_split_year,  worst_adjusted_return,
                                                dividend_cash_across_split,   adjusted_days_above};
  return kTemplates;
}

}  // namespace qdrift::grounded::detail
