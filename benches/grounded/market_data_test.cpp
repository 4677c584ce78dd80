// Tests of the grounded market: determinism (with a pinned checksum), the
// calendar, OHLC invariants, corporate actions, and the files on disk.
//
// Timing, measured once by hand on the 2-core dev machine: generating one
// scenario takes ~6-12 ms and writing its four files ~85-120 ms at -O2 (~20 ms
// and ~170 ms at -O1); the 47k-row SQLite insert and the fsyncs dominate.
#include "grounded/market_data.h"

#include <fmt/format.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "util/hash.h"

using namespace qdrift::grounded;
namespace fs = std::filesystem;

namespace {

// A fresh directory under /tmp, removed when this object dies.
struct ScratchDir {
  ScratchDir() {
    char pattern[] = "/tmp/qdrift_grounded_XXXXXX";
    path = ::mkdtemp(pattern);
  }
  ~ScratchDir() { fs::remove_all(path); }
  std::string path;
};

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// One number from a query on the database, through the C API.
double query_number(const std::string& db_path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
  const double value = sqlite3_column_double(statement, 0);
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return value;
}

}  // namespace

TEST_CASE("grounded market is the same on every call and differs by scenario", "[grounded]") {
  const Market one = generate_market(1);
  CHECK(one == generate_market(1));
  CHECK(one.scenario == 1);
  const Market two = generate_market(2);
  CHECK(one.tickers != two.tickers);
  CHECK(one.bars != two.bars);
}

TEST_CASE("grounded market trades every weekday of 2021-2023 under 3-4 letter tickers", "[grounded]") {
  using namespace std::chrono;
  const Market market = generate_market(1);
  REQUIRE(market.dates.size() == 780);  // 3 years of 52 weeks, no holidays
  CHECK(market.dates.front() == "2021-01-04");
  CHECK(market.dates.back() == "2023-12-29");
  // Checked against <chrono>'s calendar, not the generator's own arithmetic.
  sys_days expected = sys_days{year{2021} / January / 4};
  for (const std::string& date : market.dates) {
    const year_month_day ymd{expected};
    CHECK(date == fmt::format("{:04}-{:02}-{:02}", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day())));
    expected += weekday{expected} == Friday ? days{3} : days{1};
  }
  CHECK(market.tickers.size() >= 50);
  CHECK(std::is_sorted(market.tickers.begin(), market.tickers.end()));
  CHECK(std::set<std::string>(market.tickers.begin(), market.tickers.end()).size() == market.tickers.size());
  for (const std::string& ticker : market.tickers) {
    CHECK((ticker.size() == 3 || ticker.size() == 4));
    for (char c : ticker) CHECK((c >= 'A' && c <= 'Z'));
  }
  CHECK(market.bars.size() == market.dates.size() * market.tickers.size());
  CHECK(market.date_index("2021-01-04") == 0);
  CHECK(market.date_index("2021-01-09") == -1);  // a Saturday
  CHECK(market.ticker_index(market.tickers[7]) == 7);
  CHECK(market.ticker_index("lower") == -1);
}

TEST_CASE("grounded prices keep low <= open, close <= high within $5..$2000", "[grounded]") {
  for (int scenario = 1; scenario <= 3; ++scenario) {
    const Market market = generate_market(scenario);
    int broken = 0;
    for (const Bar& bar : market.bars) {
      broken += !(bar.low_cents <= std::min(bar.open_cents, bar.close_cents));
      broken += !(std::max(bar.open_cents, bar.close_cents) <= bar.high_cents);
      broken += !(bar.low_cents >= 500 && bar.high_cents <= 200'000);
      broken += !(bar.volume > 0);
    }
    CHECK(broken == 0);
  }
}

TEST_CASE("grounded corporate actions: one split per ticker, quarterly dividends for a third", "[grounded]") {
  for (int scenario = 1; scenario <= 3; ++scenario) {
    const Market market = generate_market(scenario);
    CHECK(market.splits.size() >= 6);
    CHECK(market.splits.size() <= 10);
    std::set<std::string> split_tickers;
    for (const Split& split : market.splits) {
      CHECK(split_tickers.insert(split.ticker).second);
      CHECK(split.numerator > split.denominator);  // never 1:1
      const int day = market.date_index(split.date), t = market.ticker_index(split.ticker);
      REQUIRE(day > 0);
      REQUIRE(t >= 0);
      // As traded: the price falls by the ratio overnight (give or take one day's move).
      const double drop = static_cast<double>(market.bar(day - 1, t).close_cents) / market.bar(day, t).open_cents;
      const double ratio = static_cast<double>(split.numerator) / split.denominator;
      CHECK(drop > ratio * 0.8);
      CHECK(drop < ratio * 1.25);
    }
    std::map<std::string, int> payments;
    for (const Dividend& dividend : market.dividends) {
      CHECK(dividend.amount_cents > 0);
      CHECK(market.date_index(dividend.ex_date) >= 0);
      ++payments[dividend.ticker];
    }
    CHECK(payments.size() * 3 == market.tickers.size());
    for (const auto& [ticker, paid] : payments) CHECK(paid == 12);  // four a year for three years
    // Some payers also split, so scenario 3 can ask about dividends across a split.
    int both = 0;
    for (const auto& [ticker, paid] : payments) both += split_tickers.count(ticker) > 0;
    CHECK(both >= 2);
  }
}

TEST_CASE("grounded market files: CSV with 2 decimals, SQLite with the same rows", "[grounded]") {
  const Market market = generate_market(1);
  ScratchDir dir;
  REQUIRE(write_market_files(market, dir.path).ok());
  REQUIRE(write_market_files(market, dir.path).ok());  // replacing the files works too

  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir.path)) names.insert(entry.path().filename().string());
  CHECK(names == std::set<std::string>{"dividends.csv", "market.db", "prices.csv", "splits.csv"});  // no temp left

  const std::string prices = read_all(dir.path + "/prices.csv");
  CHECK(prices.rfind("date,ticker,open,high,low,close,volume\n2021-01-04,", 0) == 0);
  CHECK(std::count(prices.begin(), prices.end(), '\n') == static_cast<long>(market.bars.size()) + 1);
  const Bar& first = market.bar(0, 0);
  CHECK(prices.find(fmt::format("2021-01-04,{},{},{},{},{},{}\n", market.tickers[0], format_cents(first.open_cents),
                                format_cents(first.high_cents), format_cents(first.low_cents),
                                format_cents(first.close_cents), first.volume)) != std::string::npos);
  CHECK(format_cents(1205) == "12.05");
  CHECK(format_cents(100000) == "1000.00");
  // A change to the generator (or to the format) changes this; update it on purpose only.
  CHECK(qdrift::sha256_hex(prices) == "6210052c44df5658081b202bdf4dd2c48c793ee48d2f13820ba048903fc49497");

  const std::string splits = read_all(dir.path + "/splits.csv");
  CHECK(splits.rfind("date,ticker,numerator,denominator\n", 0) == 0);
  CHECK(splits.find(fmt::format("{},{},{},{}\n", market.splits[0].date, market.splits[0].ticker,
                                market.splits[0].numerator, market.splits[0].denominator)) != std::string::npos);
  const std::string dividends = read_all(dir.path + "/dividends.csv");
  CHECK(dividends.rfind("ex_date,ticker,amount\n", 0) == 0);
  CHECK(std::count(dividends.begin(), dividends.end(), '\n') == static_cast<long>(market.dividends.size()) + 1);

  const std::string db = dir.path + "/market.db";
  CHECK(query_number(db, "SELECT COUNT(*) FROM prices") == market.bars.size());
  std::int64_t cents = 0;
  for (const Bar& bar : market.bars) cents += bar.close_cents;
  CHECK(query_number(db, "SELECT SUM(CAST(ROUND(close * 100) AS INTEGER)) FROM prices") == cents);
  CHECK(query_number(db, "SELECT COUNT(*) FROM splits") == market.splits.size());
  CHECK(query_number(db, "SELECT COUNT(*) FROM dividends") == market.dividends.size());
  CHECK(query_number(
            db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND sql LIKE '%prices (ticker, date)%'") == 1);
  CHECK(query_number(
            db, "SELECT COUNT(*) FROM pragma_table_info('prices') WHERE name = 'volume' AND type = 'INTEGER'") == 1);
}

TEST_CASE("grounded market files: errors name the file and the cause", "[grounded]") {
  const Market market = generate_market(2);
  ScratchDir dir;
  const std::string blocker = dir.path + "/blocker";
  std::ofstream(blocker) << "a file where a directory should be";
  qdrift::Status status = write_market_files(market, blocker);
  CHECK_FALSE(status.ok());
  CHECK(status.message().find("blocker") != std::string::npos);

  fs::create_directories(dir.path + "/out/market.db");  // a directory where the database goes
  status = write_market_files(market, dir.path + "/out");
  CHECK_FALSE(status.ok());
  CHECK(status.message().find("market.db") != std::string::npos);
  CHECK(status.message().find("directory") != std::string::npos);
  for (const auto& entry : fs::directory_iterator(dir.path + "/out"))
    CHECK(entry.path().filename().string().find(".tmp.") == std::string::npos);
}
