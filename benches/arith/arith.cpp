// The `arith` bench. Items are generated from the seed with five difficulty
// levels (one addition up to nested products of three-digit numbers), so a
// simulated model gets a realistic spread of easy and marginal items.
#include "arith/arith.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "common/final_number.h"
#include "util/hash.h"

namespace qdrift {
namespace arith {

namespace {

// Recursive descent over: expr := term (('+'|'-') term)*; term := factor ('*' factor)*;
// factor := '-'? (integer | '(' expr ')').
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}
  std::optional<std::int64_t> parse() {
    auto value = expression();
    skip_spaces();
    if (!value || pos_ != text_.size()) return std::nullopt;
    return value;
  }

 private:
  void skip_spaces() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }
  bool take(char c) {
    skip_spaces();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::optional<std::int64_t> expression() {
    auto value = term();
    while (value) {
      if (take('+')) {
        auto rhs = term();
        if (!rhs) return std::nullopt;
        *value += *rhs;
      } else if (take('-')) {
        auto rhs = term();
        if (!rhs) return std::nullopt;
        *value -= *rhs;
      } else {
        break;
      }
    }
    return value;
  }
  std::optional<std::int64_t> term() {
    auto value = factor();
    while (value && take('*')) {
      auto rhs = factor();
      if (!rhs) return std::nullopt;
      *value *= *rhs;
    }
    return value;
  }
  std::optional<std::int64_t> factor() {
    if (take('-')) {
      auto value = factor();
      if (value) *value = -*value;
      return value;
    }
    if (take('(')) {
      auto value = expression();
      if (!value || !take(')')) return std::nullopt;
      return value;
    }
    skip_spaces();
    std::size_t start = pos_;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    if (start == pos_ || pos_ - start > 12) return std::nullopt;
    return std::stoll(std::string(text_.substr(start, pos_ - start)));
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<std::int64_t> evaluate(std::string_view expression) {
  return Parser(expression).parse();
}

}  // namespace arith

namespace {

constexpr int kFullSize = 1000;
constexpr int kStandardSize = 400;
constexpr int kSmokeSize = 50;
constexpr std::string_view kPromptHead = "Compute ";
constexpr std::string_view kPromptTail =
    ". Show your working briefly, then give the result on its own line as "
    "\"The final answer is N\".";

// Draws the expression of one item at a difficulty level 0..4.
std::string make_expression(int level, std::uint64_t h) {
  auto draw = [&h](int low, int high) {
    h = mix64(h);
    return low + static_cast<int>(h % static_cast<std::uint64_t>(high - low + 1));
  };
  switch (level) {
    case 0: return fmt::format("{} + {}", draw(10, 99), draw(10, 99));
    case 1: return fmt::format("{} * {} - {}", draw(12, 99), draw(3, 9), draw(10, 99));
    case 2: return fmt::format("{} * {} - {}", draw(12, 99), draw(12, 99), draw(100, 999));
    case 3: return fmt::format("({} + {}) * {} - {}", draw(100, 999), draw(10, 99), draw(12, 99),
                               draw(100, 999));
    default: return fmt::format("{} * {} - {} * ({} - {})", draw(100, 999), draw(12, 99),
                                draw(100, 999), draw(10, 99), draw(100, 999));
  }
}

}  // namespace

namespace arith {

double difficulty_of(std::string_view expression) {
  int operators = 0, digits = 0, longest = 0;
  for (char c : expression) {
    if (c == '+' || c == '-' || c == '*') ++operators;
    if (std::isdigit(static_cast<unsigned char>(c))) {
      longest = std::max(longest, ++digits);
    } else {
      digits = 0;
    }
  }
  const double score = 0.18 * (operators - 1) + 0.12 * (longest - 2) + 0.1;
  return std::clamp(score, 0.0, 1.0);
}

Item make_item(std::string id, const std::string& expression) {
  Item item;
  item.id = std::move(id);
  item.prompt = fmt::format("{}{}{}", kPromptHead, expression, kPromptTail);
  item.answer = std::to_string(*evaluate(expression));
  return item;
}

std::optional<std::string> expression_of(std::string_view prompt) {
  if (!prompt.starts_with(kPromptHead) || !prompt.ends_with(kPromptTail)) return std::nullopt;
  std::string expression(
      prompt.substr(kPromptHead.size(), prompt.size() - kPromptHead.size() - kPromptTail.size()));
  if (!evaluate(expression)) return std::nullopt;
  return expression;
}

}  // namespace arith

namespace {

class ArithBench final : public Bench {
 public:
  std::string name() const override { return "arith"; }
  std::string version() const override { return "1"; }
  std::string summary() const override {
    return "built-in integer arithmetic, generated from the seed (demo, tests, benchmarks)";
  }
  BenchDefaults defaults() const override { return {false, 1, 512}; }

  Result<std::vector<Item>> items(const ItemQuery& query) const override {
    const int count = query.tier == Tier::kSmoke      ? kSmokeSize
                      : query.tier == Tier::kStandard ? kStandardSize
                                                      : kFullSize;
    std::vector<Item> list;
    list.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
      const std::uint64_t h = hash_parts({"arith", std::to_string(query.seed), std::to_string(i)});
      const int level = static_cast<int>(mix64(h) % 5);
      list.push_back(arith::make_item(fmt::format("arith-{:04d}", i + 1), make_expression(level, h)));
    }
    return list;
  }

  std::vector<ChatMessage> chat(const Item& item) const override {
    return {{"user", item.prompt}};
  }

  Score score(const Item& item, const ChatResponse& response) const override {
    Score s;
    std::optional<scoring::FinalNumber> found = scoring::find_final_number(response.content);
    if (!found) {
      s.explanation = response.finish_reason == "length" ? "cut off at the token cap, no number"
                                                         : "no number in the answer";
      return s;
    }
    s.answer = found->number;
    s.correct = scoring::numbers_equal(s.answer, item.answer);
    s.explanation = s.correct ? "matches" : fmt::format("expected {}", item.answer);
    return s;
  }
};

}  // namespace

std::unique_ptr<Bench> make_arith_bench() { return std::make_unique<ArithBench>(); }

}  // namespace qdrift
