// Tests of the grounded questions: 30 per scenario, stable, non-degenerate, the
// answer parser, and the second path: every question's SQL run by the host's
// sqlite3 on the written database must agree with the gold computed in C++.
#include "grounded/questions.h"

#include <fmt/format.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <set>

using namespace qdrift::grounded;
namespace fs = std::filesystem;

namespace {

struct ScratchDir {  // a fresh directory under /tmp, removed when this object dies
  ScratchDir() {
    char pattern[] = "/tmp/qdrift_grounded_XXXXXX";
    path = ::mkdtemp(pattern);
  }
  ~ScratchDir() { fs::remove_all(path); }
  std::string path;
};

constexpr const char* kSqlite = "/usr/bin/sqlite3";

struct Run {
  int exit_code = -1;
  std::string out;
};

// Runs sqlite3 with argv (no shell, as the sandbox's bash would pass it) and captures stdout.
Run run_sqlite(const std::string& db, const std::string& sql) {
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(pipe_fds[1], 1);
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    const char* argv[] = {kSqlite, "-batch", "-noheader", db.c_str(), sql.c_str(), nullptr};
    ::execv(kSqlite, const_cast<char* const*>(argv));
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  Run run;
  char buffer[4096];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) run.out.append(buffer, n);
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

Question number_question(std::string gold, double tolerance, std::string unit) {
  Question q;
  q.kind = AnswerKind::kNumber;
  q.gold = std::move(gold);
  q.tolerance = tolerance;
  q.unit = std::move(unit);
  return q;
}

}  // namespace

TEST_CASE("grounded: 30 questions per scenario with unique ids and stated units", "[grounded]") {
  const std::set<std::string> units = {"percent", "dollars", "shares", "count", "ticker"};
  for (int scenario = 1; scenario <= 3; ++scenario) {
    const Market market = generate_market(scenario);
    const std::vector<Question> questions = make_questions(market);
    REQUIRE(questions.size() == 30);
    CHECK(questions == make_questions(generate_market(scenario)));  // the same picks every time
    std::set<std::string> ids, texts;
    for (std::size_t i = 0; i < questions.size(); ++i) {
      const Question& q = questions[i];
      CAPTURE(q.id, q.text);
      CHECK(q.id == fmt::format("s{}-q{:02}", scenario, i + 1));
      CHECK(q.scenario == scenario);
      ids.insert(q.id);
      texts.insert(q.text);
      CHECK(units.count(q.unit) == 1);
      if (q.unit == "percent") CHECK(q.text.find("in percent, rounded to 2 decimals") != std::string::npos);
      if (q.unit == "dollars") CHECK(q.text.find("in dollars") != std::string::npos);
      if (q.unit == "shares") CHECK(q.text.find("in shares") != std::string::npos);
      if (q.unit == "count") CHECK(q.text.find("whole number") != std::string::npos);
      if (q.unit == "ticker") CHECK(q.text.find("ticker symbol") != std::string::npos);
      CHECK((q.kind == AnswerKind::kTicker) == (q.unit == "ticker"));
      // The query goes inside "..." in bash: nothing the shell would expand or end.
      CHECK(q.sql.find_first_of("\"$`\\!") == std::string::npos);
      CHECK((q.sql.rfind("SELECT ", 0) == 0 || q.sql.rfind("WITH ", 0) == 0));
    }
    CHECK(ids.size() == 30);
    CHECK(texts.size() == 30);
    for (std::size_t k = 0; k < 10; ++k)  // template k asks at k, k+10, k+20; a ticker answer never repeats
      if (questions[k].kind == AnswerKind::kTicker)
        CHECK(std::set<std::string>{questions[k].gold, questions[k + 10].gold, questions[k + 20].gold}.size() == 3);
  }
  Market other = generate_market(4);
  CHECK(make_questions(other).empty());
}

TEST_CASE("grounded: gold answers are not degenerate and tolerances forgive only rounding", "[grounded]") {
  for (int scenario = 1; scenario <= 3; ++scenario) {
    const Market market = generate_market(scenario);
    std::set<std::string> templates_with_numbers;
    for (const Question& q : make_questions(market)) {
      CAPTURE(q.id, q.text, q.gold);
      switch (q.kind) {
        case AnswerKind::kTicker:
          CHECK(market.ticker_index(q.gold) >= 0);
          CHECK(q.tolerance == 0);
          break;
        case AnswerKind::kCount:
          CHECK(std::regex_match(q.gold, std::regex("[1-9][0-9]*")));  // a count of 0 asks nothing
          CHECK(q.tolerance == 0);
          break;
        case AnswerKind::kNumber: {
          CHECK(std::regex_match(q.gold, std::regex("-?[0-9]+(\\.[0-9]{2})?")));
          const double gold = std::stod(q.gold);
          CHECK(gold != 0);
          CHECK(q.tolerance > 0);
          CHECK(q.tolerance <= std::max(1.1, 0.001 * std::abs(gold)));
          if (q.gold.find('.') != std::string::npos && std::abs(gold) < 10'000) CHECK(q.tolerance <= 0.011);
          break;
        }
        case AnswerKind::kText:
          FAIL("built-in questions have no free-text answers (only user scenarios do)");
          break;
      }
    }
  }
}

TEST_CASE("grounded: answer_matches reads numbers, percents, dollars and tickers", "[grounded]") {
  std::string why;
  const Question percent = number_question("12.34", 0.011, "percent");
  CHECK(answer_matches(percent, "12.34", &why));
  CHECK(why == "answered 12.34, expected 12.34 ± 0.011");
  CHECK(answer_matches(percent, "12.34%", nullptr));
  CHECK(answer_matches(percent, " **12.35 %**.", nullptr));
  CHECK(answer_matches(percent, "12.33 percent", nullptr));
  CHECK_FALSE(answer_matches(percent, "12.30", &why));
  CHECK(why == "answered 12.30, expected 12.34 ± 0.011");
  CHECK_FALSE(answer_matches(percent, "0.1234", nullptr));  // a fraction is not a percent
  CHECK_FALSE(answer_matches(percent, "$12.34", &why));
  CHECK(why == "answered 12.34 dollars, but the question asks for percent");
  CHECK_FALSE(answer_matches(percent, "ABCD", &why));
  CHECK(why == "answered ABCD, a word; expected the number 12.34");
  CHECK_FALSE(answer_matches(percent, "", &why));
  CHECK(why == "no answer");

  const Question negative = number_question("-5.10", 0.011, "percent");
  CHECK(answer_matches(negative, "-5.1%", nullptr));
  CHECK(answer_matches(negative,
                       "\xE2\x88\x92"
                       "5.10",
                       nullptr));  // U+2212, as some models write it
  CHECK_FALSE(answer_matches(negative, "5.10", nullptr));

  const Question money = number_question("1234.50", 0.005, "dollars");
  CHECK(answer_matches(money, "$1,234.50", nullptr));
  CHECK(answer_matches(money, "1,234.5 dollars", nullptr));
  CHECK(answer_matches(money, "1234.5", nullptr));
  CHECK(answer_matches(money, "`1234.50`", nullptr));
  CHECK_FALSE(answer_matches(money, "1234.51", nullptr));
  CHECK_FALSE(answer_matches(money, "1,23,4.50", &why));  // commas only in groups of three
  CHECK(why == "answered '1,23,4.50', not a number; expected 1234.50");
  CHECK_FALSE(answer_matches(money, "1234.50%", nullptr));
  CHECK_FALSE(answer_matches(money, "about 1234.50", nullptr));

  const Question volume = number_question("2345678", 2345.678, "shares");
  CHECK(answer_matches(volume, "2,345,678", nullptr));
  CHECK(answer_matches(volume, "2347000 shares", nullptr));  // within 0.1%
  CHECK_FALSE(answer_matches(volume, "2350000", nullptr));

  Question days;
  days.kind = AnswerKind::kCount;
  days.gold = "17";
  days.unit = "count";
  CHECK(answer_matches(days, "17", &why));
  CHECK(why == "answered 17, expected 17");
  CHECK(answer_matches(days, "17.", nullptr));
  CHECK_FALSE(answer_matches(days, "16", &why));
  CHECK(why == "answered 16, expected 17");
  CHECK_FALSE(answer_matches(days, "17%", nullptr));

  Question ticker;
  ticker.kind = AnswerKind::kTicker;
  ticker.gold = "ABCD";
  ticker.unit = "ticker";
  CHECK(answer_matches(ticker, "ABCD", &why));
  CHECK(why == "answered ABCD, expected ABCD");
  CHECK(answer_matches(ticker, "abcd", nullptr));
  CHECK(answer_matches(ticker, "**ABCD**", nullptr));
  CHECK(answer_matches(ticker, "ABCD.", nullptr));
  CHECK_FALSE(answer_matches(ticker, "ABCE", &why));
  CHECK(why == "answered ABCE, expected ABCD");
  CHECK_FALSE(answer_matches(ticker, "12.34", &why));
  CHECK(why == "answered 12.34, a number; expected the ticker ABCD");
  CHECK_FALSE(answer_matches(ticker, "ABCD and EFG", nullptr));
}

TEST_CASE("grounded: every question's SQL, run by sqlite3, agrees with its gold", "[grounded]") {
  if (::access(kSqlite, X_OK) != 0) {
    WARN("skipped: " << kSqlite << " is not installed");
    return;
  }
  int checked = 0;
  for (int scenario = 1; scenario <= 3; ++scenario) {
    const Market market = generate_market(scenario);
    ScratchDir dir;
    REQUIRE(write_market_files(market, dir.path).ok());
    for (const Question& q : make_questions(market)) {
      const Run run = run_sqlite(dir.path + "/market.db", q.sql);
      CAPTURE(q.id, q.text, q.sql, run.out);
      CHECK(run.exit_code == 0);
      REQUIRE(!run.out.empty());
      CHECK(run.out.back() == '\n');
      CHECK(std::count(run.out.begin(), run.out.end(), '\n') == 1);  // exactly one value
      std::string why;
      const bool matches = answer_matches(q, run.out, &why);
      CAPTURE(why);
      CHECK(matches);
      ++checked;
    }
  }
  CHECK(checked == 90);
}
