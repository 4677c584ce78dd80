// The made-up market behind the `grounded` bench: a daily price table with
// splits and cash dividends, generated from a fixed seed per scenario (no
// download), and written for the sandbox as CSV files plus one SQLite database.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "qdrift/status.h"

namespace qdrift::grounded {

// Random numbers that are the same on every machine and compiler: only the raw
// output of std::mt19937_64 (its sequence is fixed by the standard) and integer
// arithmetic on it. std:: distributions are implementation-defined, and libm's
// log/cos may differ in the last bit, so neither is used.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t next() { return engine_(); }
  // Uniform in [0, n); n > 0.
  int below(int n);
  // Uniform in [low, high].
  int between(int low, int high) { return low + below(high - low + 1); }
  // Approximately N(0, 1) scaled by 2^20 (kNormalScale): the sum of 12 uniforms
  // minus 6 (Irwin-Hall), exact in integers and bounded by ±6.
  std::int64_t normal_scaled();

 private:
  std::mt19937_64 engine_;
};
inline constexpr std::int64_t kNormalScale = std::int64_t{1} << 20;

// One row of the price table, prices in whole cents so they are exact; the
// date and ticker are the row's position in Market.
struct Bar {
  std::int64_t open_cents = 0;
  std::int64_t high_cents = 0;
  std::int64_t low_cents = 0;
  std::int64_t close_cents = 0;
  std::int64_t volume = 0;  // shares
  bool operator==(const Bar&) const = default;
};

// A split numerator:denominator (2:1 doubles the shares and halves the price).
// `date` is the first trading day on the new basis: rows before it are on the old one.
struct Split {
  std::string date;
  std::string ticker;
  int numerator = 1;
  int denominator = 1;
  bool operator==(const Split&) const = default;
};

// A cash dividend per share held on `ex_date`, on the basis in force that day.
struct Dividend {
  std::string ex_date;
  std::string ticker;
  std::int64_t amount_cents = 0;
  bool operator==(const Dividend&) const = default;
};

struct Market {
  int scenario = 0;
  std::vector<std::string> tickers;  // sorted
  std::vector<std::string> dates;    // YYYY-MM-DD, ascending: every weekday, no holidays
  std::vector<Bar> bars;             // bars[date_index * tickers.size() + ticker_index]
  std::vector<Split> splits;         // by date, then ticker; at most one per ticker
  std::vector<Dividend> dividends;   // by ex_date, then ticker

  const Bar& bar(std::size_t date_index, std::size_t ticker_index) const {
    return bars[date_index * tickers.size() + ticker_index];
  }
  int date_index(std::string_view date) const;           // -1 when not a trading day
  int ticker_index(std::string_view ticker) const;       // -1 when unknown
  const Split* split_of(std::string_view ticker) const;  // nullptr when it never split
  bool operator==(const Market&) const = default;
};

// A price as the files hold it: the CSV's "12.34" and the database's REAL are this double.
inline double dollars(std::int64_t cents) { return static_cast<double>(cents) / 100.0; }
// "12.34" for 1234; cents >= 0.
std::string format_cents(std::int64_t cents);

// The market of scenario 1, 2 or 3 (any other number gives another market from
// its own seed): 60 tickers, every weekday from 2021-01-04 through 2023-12-29.
// Identical on every machine; the tests pin a checksum of scenario 1.
Market generate_market(int scenario);

// Writes prices.csv, splits.csv, dividends.csv and market.db (tables prices,
// splits, dividends with the same columns) into `dir`, creating it. Each file is
// written under a temp name and renamed, so a reader never sees half of one.
Status write_market_files(const Market& market, const std::string& dir);

}  // namespace qdrift::grounded
