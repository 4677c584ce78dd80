// answer_matches: reads what a model wrote after "FINAL ANSWER:" (a number with
// its '$', commas and unit, or a ticker in markdown) and compares it with a
// question's gold, saying why it matched or not.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>

#include "grounded/questions.h"

namespace qdrift::grounded {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Strips what models wrap an answer in: spaces, markdown (** ` _), quotes and a
// closing period, repeatedly ("**ABCD**." -> "ABCD").
std::string_view unwrap(std::string_view s) {
  constexpr std::string_view kWrappers = " \t\r\n*_`\"'";
  for (std::size_t before = s.size() + 1; s.size() != before;) {
    before = s.size();
    while (!s.empty() && kWrappers.find(s.front()) != std::string_view::npos) s.remove_prefix(1);
    while (!s.empty() && (kWrappers.find(s.back()) != std::string_view::npos || s.back() == '.')) s.remove_suffix(1);
  }
  return s;
}

struct Answered {
  double value = 0;
  std::string text;      // the number as written, without '$', commas or unit: "1234.50"
  bool percent = false;  // "%" or "percent"
  bool dollars = false;  // "$", "dollars" or "USD"
};

// A number with an optional sign, '$', thousands commas (groups of three) and
// unit: "-$1,234.50", "12.3 %", "17 shares". nullopt if it is anything else.
std::optional<Answered> parse_number(std::string_view s) {
  Answered a;
  std::string body;
  std::size_t i = 0;
  auto take_dollar = [&] {
    if (i < s.size() && s[i] == '$') a.dollars = true, ++i;
  };
  take_dollar();
  if (s.substr(i, 3) == "\xE2\x88\x92")
    body += '-', i += 3;  // U+2212 MINUS SIGN
  else if (i < s.size() && (s[i] == '-' || s[i] == '+'))
    body += s[i] == '-' ? "-" : "", ++i;
  take_dollar();
  const std::size_t digits_start = i;
  int group = -1;  // digits since the last comma; -1 before any comma
  bool point = false, any_digit = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (is_digit(c)) {
      body += c;
      any_digit = true;
      if (group >= 0 && !point) ++group;
    } else if (c == ',' && !point) {
      const std::size_t lead = i - digits_start;
      if (i == digits_start || (group >= 0 ? group != 3 : lead > 3)) return std::nullopt;
      group = 0;
    } else if (c == '.' && !point) {
      if (group >= 0 && group != 3) return std::nullopt;
      point = true;
      body += c;
    } else {
      break;
    }
  }
  if (!any_digit || (group >= 0 && !point && group != 3)) return std::nullopt;
  std::string_view rest = s.substr(i);
  while (!rest.empty() && is_space(rest.front())) rest.remove_prefix(1);
  const std::string unit = lower(rest);
  if (unit == "%" || unit == "percent")
    a.percent = true;
  else if (unit == "dollars" || unit == "dollar" || unit == "usd")
    a.dollars = true;
  else if (!unit.empty() && unit != "shares" && unit != "share" && unit != "days" && unit != "tickers")
    return std::nullopt;
  if (body.front() == '.' || body.back() == '.') body.insert(body.front() == '.' ? 0 : body.size(), "0");
  if (body.size() >= 2 && body[0] == '-' && body[1] == '.') body.insert(1, "0");
  const char* end = body.data() + body.size();
  auto [stop, error] = std::from_chars(body.data(), end, a.value);
  if (error != std::errc() || stop != end) return std::nullopt;
  a.text = std::move(body);
  return a;
}

bool fail(std::string* why, std::string message) {
  if (why) *why = std::move(message);
  return false;
}

}  // namespace

bool answer_matches(const Question& question, std::string_view answer, std::string* why) {
  const std::string_view given = unwrap(answer);
  if (given.empty()) return fail(why, "no answer");
  if (question.kind == AnswerKind::kText) {
    const bool right = lower(given) == lower(question.gold);
    if (why) *why = fmt::format("answered '{}', expected '{}'", given, question.gold);
    return right;
  }
  if (question.kind == AnswerKind::kTicker) {
    if (std::any_of(given.begin(), given.end(), is_digit))
      return fail(why, fmt::format("answered {}, a number; expected the ticker {}", given, question.gold));
    if (given.size() > 6 || !std::all_of(given.begin(), given.end(), is_letter))
      return fail(why, fmt::format("answered '{}', not a ticker symbol; expected {}", given, question.gold));
    std::string upper(given);
    for (char& c : upper)
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    const bool right = upper == question.gold;
    if (why) *why = fmt::format("answered {}, expected {}", upper, question.gold);
    return right;
  }
  const std::optional<Answered> number = parse_number(given);
  if (!number) {
    if (std::all_of(given.begin(), given.end(), is_letter))
      return fail(why, fmt::format("answered {}, a word; expected the number {}", given, question.gold));
    return fail(why, fmt::format("answered '{}', not a number; expected {}", given, question.gold));
  }
  // A user's question may leave its unit unsaid ("" ): then any sign is the model's business.
  if (number->percent && question.unit != "percent" && !question.unit.empty())
    return fail(why, fmt::format("answered {}%, but the question asks for {}", number->text, question.unit));
  if (number->dollars && question.unit != "dollars" && !question.unit.empty())
    return fail(why, fmt::format("answered {} dollars, but the question asks for {}", number->text, question.unit));
  const double gold = std::stod(question.gold);
  // The 1e-9 absorbs binary noise in the tolerance itself (0.011 is not exact).
  const bool right = std::abs(number->value - gold) <= question.tolerance + 1e-9;
  if (why)
    *why = question.kind == AnswerKind::kCount
               ? fmt::format("answered {}, expected {}", number->text, question.gold)
               : fmt::format("answered {}, expected {} ± {:g}", number->text, question.gold, question.tolerance);
  return right;
}

}  // namespace qdrift::grounded
