// Generation of the grounded bench's market and its files. Prices move by an
// integer random walk in cents and parts per million, so every machine computes
// the same table bit for bit (no floating point, no libm).
#include "grounded/market_data.h"

#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <memory>
#include <numeric>
#include <tuple>

#include "util/files.h"

namespace qdrift::grounded {

int Rng::below(int n) {
  // The top 32 bits scaled to [0, n): the bias is below n / 2^32, irrelevant here.
  return static_cast<int>(((next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
}

std::int64_t Rng::normal_scaled() {
  std::int64_t sum = 0;
  for (int i = 0; i < 12; ++i) sum += static_cast<std::int64_t>(next() >> 44);  // 20-bit uniforms
  return sum - 6 * kNormalScale;
}

int Market::date_index(std::string_view date) const {
  auto it = std::lower_bound(dates.begin(), dates.end(), date);
  return it != dates.end() && *it == date ? static_cast<int>(it - dates.begin()) : -1;
}

int Market::ticker_index(std::string_view ticker) const {
  auto it = std::lower_bound(tickers.begin(), tickers.end(), ticker);
  return it != tickers.end() && *it == ticker ? static_cast<int>(it - tickers.begin()) : -1;
}

const Split* Market::split_of(std::string_view ticker) const {
  for (const Split& split : splits)
    if (split.ticker == ticker) return &split;
  return nullptr;
}

std::string format_cents(std::int64_t cents) { return fmt::format("{}.{:02}", cents / 100, cents % 100); }

namespace {

constexpr int kTickers = 60;
constexpr int kSplits = 8;
constexpr int kDividendPayers = 20;  // a third of the tickers
constexpr int kPayersThatSplit = 3;  // so scenario 3 can ask about dividends across a split
constexpr std::int64_t kMillion = 1'000'000;
constexpr std::int64_t kMinCents = 500;      // prices stay within $5 ..
constexpr std::int64_t kMaxCents = 200'000;  // .. $2000

// Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms).
int days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::string civil_from_days(int z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  return fmt::format("{:04}-{:02}-{:02}", yoe + era * 400 + (m <= 2), m, d);
}

// Every weekday from Monday 2021-01-04 through Friday 2023-12-29. There are no
// holidays: a made-up exchange keeps the calendar trivial to state and check.
std::vector<std::string> trading_days() {
  std::vector<std::string> days;
  for (int z = days_from_civil(2021, 1, 4); z <= days_from_civil(2023, 12, 29); ++z) {
    const int weekday = (z + 4) % 7;  // 0 = Sunday; 1970-01-01 was a Thursday
    if (weekday != 0 && weekday != 6) days.push_back(civil_from_days(z));
  }
  return days;
}

std::int64_t clamp_cents(std::int64_t cents, std::int64_t low, std::int64_t high) {
  return std::max(low, std::min(high, cents));
}

// cents × (1 + ppm / 10^6), rounded half up; ppm > -10^6.
std::int64_t grow(std::int64_t cents, std::int64_t ppm) { return (cents * (kMillion + ppm) + kMillion / 2) / kMillion; }

std::int64_t magnitude(std::int64_t x) { return x < 0 ? -x : x; }

std::vector<std::string> make_tickers(Rng& rng) {
  std::vector<std::string> tickers;
  while (static_cast<int>(tickers.size()) < kTickers) {
    std::string name(rng.below(2) == 0 ? 3 : 4, 'A');
    for (char& c : name) c = static_cast<char>('A' + rng.below(26));
    if (std::find(tickers.begin(), tickers.end(), name) == tickers.end()) tickers.push_back(name);
  }
  std::sort(tickers.begin(), tickers.end());
  return tickers;
}

struct Series {  // what drives one ticker's walk
  std::int64_t start_cents = 0;
  std::int64_t drift_ppm = 0;  // per day
  std::int64_t vol_ppm = 0;    // daily standard deviation
  std::int64_t base_volume = 0;
  int split_day = -1;            // date index of its split, or -1
  int first_dividend_month = 0;  // 0 = pays none; else 1..3, then every 3 months
  int dividend_day = 0;          // ex-date: first trading day on or after this day of the month
  std::int64_t quarterly_yield_ppm = 0;
};

// Date indices of a payer's ex-dates: four a year.
std::vector<int> ex_days(const Series& series, const std::vector<std::string>& dates) {
  std::vector<int> days;
  if (series.first_dividend_month == 0) return days;
  for (int year = 2021; year <= 2023; ++year)
    for (int month = series.first_dividend_month; month <= 12; month += 3) {
      const std::string wanted = fmt::format("{:04}-{:02}-{:02}", year, month, series.dividend_day);
      auto it = std::lower_bound(dates.begin(), dates.end(), wanted);
      if (it != dates.end()) days.push_back(static_cast<int>(it - dates.begin()));
    }
  return days;
}

// Walks one ticker through every date, filling its bars, split and dividends.
void walk(Market& market, int ticker, const Series& series, Rng& rng) {
  const std::size_t n = market.tickers.size();
  const std::vector<int> dividend_days = ex_days(series, market.dates);
  std::size_t next_dividend = 0;
  std::int64_t dividend_cents = 0;
  int dividend_year = 0;
  std::int64_t base_volume = series.base_volume;
  std::int64_t previous_close = series.start_cents;
  for (std::size_t day = 0; day < market.dates.size(); ++day) {
    std::int64_t reference = previous_close;
    if (static_cast<int>(day) == series.split_day) {
      // Big ratios only where the price can take them, as real boards choose.
      static constexpr int kRatios[4][2] = {{2, 1}, {3, 1}, {3, 2}, {4, 1}};
      const int* ratio = kRatios[rng.below(4)];
      if (reference * ratio[1] / ratio[0] < 2500) ratio = kRatios[2];
      market.splits.push_back({market.dates[day], market.tickers[ticker], ratio[0], ratio[1]});
      reference = (reference * ratio[1] + ratio[0] / 2) / ratio[0];
      dividend_cents = std::max<std::int64_t>(1, (dividend_cents * ratio[1] + ratio[0] / 2) / ratio[0]);
      base_volume = base_volume * ratio[0] / ratio[1];  // more shares trade after a split
    }
    if (next_dividend < dividend_days.size() && dividend_days[next_dividend] == static_cast<int>(day)) {
      ++next_dividend;
      const int year = std::stoi(market.dates[day].substr(0, 4));
      if (year != dividend_year) {  // the payout is reset once a year from the price
        dividend_year = year;
        dividend_cents = std::max<std::int64_t>(2, reference * series.quarterly_yield_ppm / kMillion);
      }
      market.dividends.push_back({market.dates[day], market.tickers[ticker], dividend_cents});
      reference -= dividend_cents;  // the price drops by the payout on the ex-date
    }
    // Lean against the edges so the price stays in range without clamping often.
    std::int64_t bias = 0;
    if (reference < 1500) bias = series.vol_ppm / 3;
    if (reference > 150'000) bias = -series.vol_ppm / 3;
    const std::int64_t move = series.drift_ppm + bias + series.vol_ppm * rng.normal_scaled() / kNormalScale;
    const std::int64_t gap = series.vol_ppm * 3 * rng.normal_scaled() / (10 * kNormalScale);
    Bar& bar = market.bars[day * n + ticker];
    bar.open_cents = clamp_cents(grow(reference, gap), 600, 190'000);
    bar.close_cents = clamp_cents(grow(reference, move), 600, 190'000);
    const std::int64_t top = std::max(bar.open_cents, bar.close_cents);
    const std::int64_t bottom = std::min(bar.open_cents, bar.close_cents);
    const std::int64_t half_vol = series.vol_ppm / 2;
    bar.high_cents =
        std::min(kMaxCents, top + top * half_vol * magnitude(rng.normal_scaled()) / kNormalScale / kMillion);
    bar.low_cents =
        std::max(kMinCents, bottom - bottom * half_vol * magnitude(rng.normal_scaled()) / kNormalScale / kMillion);
    // One draw per statement: the order of two draws in one expression is unspecified.
    const std::int64_t surge = magnitude(rng.normal_scaled()) * 600'000 / kNormalScale;
    const std::int64_t activity = 400'000 + surge + rng.below(400'000);
    bar.volume = std::max<std::int64_t>(1000, base_volume * activity / kMillion);
    previous_close = bar.close_cents;
  }
}

std::uint64_t seed_of(int scenario) {
  return 0x71d2f0a3c4e5b697ULL + 0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(scenario);
}

}  // namespace

Market generate_market(int scenario) {
  Rng rng(seed_of(scenario));
  Market market;
  market.scenario = scenario;
  market.tickers = make_tickers(rng);
  market.dates = trading_days();
  market.bars.resize(market.dates.size() * market.tickers.size());

  // A seeded shuffle decides who splits and who pays: the first kSplits split,
  // the first kPayersThatSplit of those and the ones after the splitters pay.
  std::vector<int> order(kTickers);
  std::iota(order.begin(), order.end(), 0);
  for (int i = kTickers - 1; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);
  std::vector<Series> series(kTickers);
  for (int rank = 0; rank < kTickers; ++rank) {
    Series& s = series[order[rank]];
    const bool splits = rank < kSplits;
    const int skew = rng.below(1000);
    s.start_cents = splits ? rng.between(15'000, 60'000) : 1000 + std::int64_t{skew} * skew * 29'000 / kMillion;
    s.drift_ppm = rng.between(-300, 900);
    s.vol_ppm = rng.between(8'000, 28'000);
    s.base_volume = std::int64_t{rng.between(100, 6'000)} * 1000;
    // Splits fall well inside the range, so questions have days on both sides.
    if (splits) s.split_day = rng.between(70, static_cast<int>(market.dates.size()) - 71);
    if (rank < kPayersThatSplit || (rank >= kSplits && rank < kSplits + kDividendPayers - kPayersThatSplit)) {
      s.first_dividend_month = rng.between(1, 3);
      s.dividend_day = rng.between(3, 24);
      s.quarterly_yield_ppm = rng.between(2'500, 10'000);
    }
  }
  for (int ticker = 0; ticker < kTickers; ++ticker) walk(market, ticker, series[ticker], rng);

  auto by_date = [](const auto& a, const auto& b) { return std::tie(a.date, a.ticker) < std::tie(b.date, b.ticker); };
  std::sort(market.splits.begin(), market.splits.end(), by_date);
  std::sort(market.dividends.begin(), market.dividends.end(), [](const Dividend& a, const Dividend& b) {
    return std::tie(a.ex_date, a.ticker) < std::tie(b.ex_date, b.ticker);
  });
  return market;
}

namespace {

std::string prices_csv(const Market& market) {
  std::string out = "date,ticker,open,high,low,close,volume\n";
  out.reserve(market.bars.size() * 56);
  auto sink = std::back_inserter(out);
  for (std::size_t day = 0; day < market.dates.size(); ++day)
    for (std::size_t ticker = 0; ticker < market.tickers.size(); ++ticker) {
      const Bar& bar = market.bar(day, ticker);
      fmt::format_to(sink, "{},{},{},{},{},{},{}\n", market.dates[day], market.tickers[ticker],
                     format_cents(bar.open_cents), format_cents(bar.high_cents), format_cents(bar.low_cents),
                     format_cents(bar.close_cents), bar.volume);
    }
  return out;
}

std::string splits_csv(const Market& market) {
  std::string out = "date,ticker,numerator,denominator\n";
  for (const Split& split : market.splits)
    fmt::format_to(std::back_inserter(out), "{},{},{},{}\n", split.date, split.ticker, split.numerator,
                   split.denominator);
  return out;
}

std::string dividends_csv(const Market& market) {
  std::string out = "ex_date,ticker,amount\n";
  for (const Dividend& dividend : market.dividends)
    fmt::format_to(std::back_inserter(out), "{},{},{}\n", dividend.ex_date, dividend.ticker,
                   format_cents(dividend.amount_cents));
  return out;
}

struct CloseDatabase {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct FinalizeStatement {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Database = std::unique_ptr<sqlite3, CloseDatabase>;
using Statement = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

constexpr const char* kSchema = R"sql(
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;
CREATE TABLE prices (date TEXT NOT NULL, ticker TEXT NOT NULL, open REAL NOT NULL, high REAL NOT NULL,
                     low REAL NOT NULL, close REAL NOT NULL, volume INTEGER NOT NULL);
CREATE TABLE splits (date TEXT NOT NULL, ticker TEXT NOT NULL, numerator INTEGER NOT NULL,
                     denominator INTEGER NOT NULL);
CREATE TABLE dividends (ex_date TEXT NOT NULL, ticker TEXT NOT NULL, amount REAL NOT NULL);
)sql";

// Fills the database at `temp`; `path` is the name errors report.
Status fill_database(const Market& market, const std::string& temp, const std::string& path) {
  sqlite3* raw = nullptr;
  const int opened = sqlite3_open_v2(temp.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  Database db(raw);
  if (opened != SQLITE_OK)
    return Status::Io(fmt::format("{}: cannot create: {}", path, raw ? sqlite3_errmsg(raw) : "out of memory"));
  auto failed = [&](std::string_view what) {
    return Status::Io(fmt::format("{}: {}: {}", path, what, sqlite3_errmsg(db.get())));
  };
  auto exec = [&](const char* sql) { return sqlite3_exec(db.get(), sql, nullptr, nullptr, nullptr) == SQLITE_OK; };
  auto prepare = [&](const char* sql) {
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db.get(), sql, -1, &statement, nullptr);
    return Statement(statement);
  };
  if (!exec(kSchema)) return failed("cannot create tables");

  Statement insert = prepare("INSERT INTO prices VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return failed("cannot prepare insert");
  for (std::size_t day = 0; day < market.dates.size(); ++day)
    for (std::size_t ticker = 0; ticker < market.tickers.size(); ++ticker) {
      const Bar& bar = market.bar(day, ticker);
      sqlite3_stmt* s = insert.get();
      sqlite3_reset(s);
      sqlite3_bind_text(s, 1, market.dates[day].c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(s, 2, market.tickers[ticker].c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_double(s, 3, dollars(bar.open_cents));
      sqlite3_bind_double(s, 4, dollars(bar.high_cents));
      sqlite3_bind_double(s, 5, dollars(bar.low_cents));
      sqlite3_bind_double(s, 6, dollars(bar.close_cents));
      sqlite3_bind_int64(s, 7, bar.volume);
      if (sqlite3_step(s) != SQLITE_DONE) return failed("cannot insert into prices");
    }
  insert = prepare("INSERT INTO splits VALUES (?, ?, ?, ?)");
  if (!insert) return failed("cannot prepare insert");
  for (const Split& split : market.splits) {
    sqlite3_stmt* s = insert.get();
    sqlite3_reset(s);
    sqlite3_bind_text(s, 1, split.date.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, split.ticker.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, split.numerator);
    sqlite3_bind_int(s, 4, split.denominator);
    if (sqlite3_step(s) != SQLITE_DONE) return failed("cannot insert into splits");
  }
  insert = prepare("INSERT INTO dividends VALUES (?, ?, ?)");
  if (!insert) return failed("cannot prepare insert");
  for (const Dividend& dividend : market.dividends) {
    sqlite3_stmt* s = insert.get();
    sqlite3_reset(s);
    sqlite3_bind_text(s, 1, dividend.ex_date.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, dividend.ticker.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_double(s, 3, dollars(dividend.amount_cents));
    if (sqlite3_step(s) != SQLITE_DONE) return failed("cannot insert into dividends");
  }
  insert.reset();
  // The index is built after the rows: one sort instead of 47k tree inserts.
  if (!exec("CREATE INDEX prices_ticker_date ON prices (ticker, date); COMMIT;")) return failed("cannot commit");
  if (sqlite3_close(db.release()) != SQLITE_OK) return Status::Io(fmt::format("{}: cannot close", path));
  return Status::Ok();
}

Status write_database(const Market& market, const std::string& path) {
  const std::string temp = fmt::format("{}.tmp.{}", path, ::getpid());
  std::remove(temp.c_str());  // a leftover from a crashed run would make CREATE TABLE fail
  Status filled = fill_database(market, temp, path);
  if (filled.ok()) filled = sync_file(temp);  // synchronous=OFF skipped the fsync: do it once here
  if (filled.ok()) filled = move_into_place(temp, path, /*replace=*/true);
  if (!filled.ok()) std::remove(temp.c_str());
  return filled;
}

}  // namespace

Status write_market_files(const Market& market, const std::string& dir) {
  QDRIFT_TRY(write_file_atomically(dir + "/prices.csv", prices_csv(market)));
  QDRIFT_TRY(write_file_atomically(dir + "/splits.csv", splits_csv(market)));
  QDRIFT_TRY(write_file_atomically(dir + "/dividends.csv", dividends_csv(market)));
  return write_database(market, dir + "/market.db");
}

}  // namespace qdrift::grounded
