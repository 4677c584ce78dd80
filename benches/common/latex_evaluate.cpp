// The LaTeX evaluator: one small parser class, each grammar rule a method.
#include "common/latex_evaluate.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numbers>
#include <string>

#include "common/latex_text.h"

namespace qdrift::scoring {

namespace {

using Value = std::optional<double>;

class Evaluator {
 public:
  explicit Evaluator(std::string_view text) : text_(text) {}

  Value parse() {
    Value value = expression();
    if (!value || pos_ != text_.size() || !std::isfinite(*value) || imprecise_) return std::nullopt;
    return value;
  }

 private:
  // Nesting guard: a pathological answer ("((((...", "----...") must not exhaust the stack.
  struct DepthGuard {
    explicit DepthGuard(int& depth) : counter(depth), ok(++depth <= 200) {}
    ~DepthGuard() { --counter; }
    int& counter;
    const bool ok;
  };

  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool take(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  bool take_word(std::string_view word) {
    if (control_word_at(text_, pos_) != word) return false;
    pos_ += 1 + word.size();
    if (peek() == ' ') ++pos_;  // the space normalisation keeps before a letter
    return true;
  }

  Value expression() {
    DepthGuard guard(depth_);
    if (!guard.ok) return std::nullopt;
    Value value = term();
    while (value) {
      if (take('+')) {
        Value rhs = term();
        value = rhs ? sum(*value, *rhs) : std::nullopt;
      } else if (take('-')) {
        Value rhs = term();
        value = rhs ? sum(*value, -*rhs) : std::nullopt;
      } else {
        break;
      }
    }
    return value;
  }

  // A sum whose smaller term is below the comparison tolerance relative to the
  // larger one ("2^{101}-1"), or that cancels to almost nothing, has a value the
  // comparison cannot trust: "50(1-\frac{1}{2^{101}-1})" would equal 50.
  Value sum(double a, double b) {
    const double larger = std::max(std::fabs(a), std::fabs(b));
    const double smaller = std::min(std::fabs(a), std::fabs(b));
    const double result = a + b;
    if ((smaller != 0 && smaller < 1e-9 * larger) || (result != 0 && std::fabs(result) < 1e-6 * larger)) {
      imprecise_ = true;
    }
    return result;
  }

  Value term() {
    Value value = signed_value();
    while (value) {
      if (take('*') || take_word("cdot") || take_word("times")) {
        Value rhs = signed_value();
        value = rhs ? Value(*value * *rhs) : std::nullopt;
      } else if (take('/')) {
        Value rhs = signed_value();
        value = rhs && *rhs != 0 ? Value(*value / *rhs) : std::nullopt;
      } else if (starts_operand()) {
        Value rhs = power();  // implicit multiplication takes no sign: "2-3" is not 2*(-3)
        value = rhs ? Value(*value * *rhs) : std::nullopt;
      } else {
        break;
      }
    }
    return value;
  }

  bool starts_operand() const {
    const char c = peek();
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '(' || c == '{' || c == '[') return true;
    if (c == 'e') return !letter_after(pos_);
    const std::string_view word = control_word_at(text_, pos_);
    return !word.empty() && word != "cdot" && word != "times";
  }
  bool letter_after(std::size_t pos) const {
    return pos + 1 < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos + 1]));
  }

  Value signed_value() {
    DepthGuard guard(depth_);
    if (!guard.ok) return std::nullopt;
    if (take('-')) {
      Value value = signed_value();
      return value ? Value(-*value) : std::nullopt;
    }
    if (take('+')) return signed_value();
    return power();
  }

  Value power() {
    DepthGuard guard(depth_);
    if (!guard.ok) return std::nullopt;
    Value base = postfix();
    if (!base || !take('^')) return base;
    Value exponent = peek() == '{' ? primary() : signed_value();
    if (!exponent) return std::nullopt;
    return std::pow(*base, *exponent);
  }

  Value postfix() {
    Value value = primary();
    while (value && take('!')) {
      if (*value < 0 || *value > 170 || *value != std::floor(*value)) return std::nullopt;
      value = std::tgamma(*value + 1);
    }
    return value;
  }

  Value group(char open, char close) {
    if (!take(open)) return std::nullopt;
    Value value = expression();
    return value && take(close) ? value : std::nullopt;
  }

  // A command's argument: a braced group, else one primary ("\frac12" was normalised away).
  Value argument() { return peek() == '{' ? group('{', '}') : primary(); }

  Value number() {
    const std::size_t start = pos_;
    while (std::isdigit(static_cast<unsigned char>(peek()))) ++pos_;
    if (peek() == '.' && pos_ + 1 < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_ + 1]))) {
      ++pos_;
      while (std::isdigit(static_cast<unsigned char>(peek()))) ++pos_;
    }
    if (pos_ == start) return std::nullopt;
    return std::stod(std::string(text_.substr(start, pos_ - start)));
  }

  Value primary() {
    const char c = peek();
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') return number();
    if (c == '(') return group('(', ')');
    if (c == '{') return group('{', '}');
    if (c == '[') return group('[', ']');
    if (c == 'e' && !letter_after(pos_)) {
      ++pos_;
      return std::numbers::e;
    }
    if (take_word("pi")) return std::numbers::pi;
    // Arguments are read in separate statements: the order of evaluation of a
    // call's arguments is unspecified, and these read the text left to right.
    if (take_word("frac")) {
      Value numerator = argument();
      return quotient(numerator, argument());
    }
    if (take_word("binom")) {
      Value n = argument();
      return binomial(n, argument());
    }
    if (take_word("sqrt")) return root();
    if (take_word("log")) return logarithm();
    return function();
  }

  static Value quotient(Value numerator, Value denominator) {
    if (!numerator || !denominator || *denominator == 0) return std::nullopt;
    return *numerator / *denominator;
  }

  static Value binomial(Value n, Value k) {
    if (!n || !k || *k < 0 || *k > *n || *n > 170) return std::nullopt;
    return std::round(std::tgamma(*n + 1) / (std::tgamma(*k + 1) * std::tgamma(*n - *k + 1)));
  }

  Value root() {
    Value index = 2.0;
    if (peek() == '[') index = group('[', ']');
    Value radicand = argument();
    if (!index || !radicand || *index == 0) return std::nullopt;
    if (*radicand >= 0) return std::pow(*radicand, 1 / *index);
    const bool odd_index = std::fmod(std::fabs(*index), 2.0) == 1.0;
    return odd_index ? Value(-std::pow(-*radicand, 1 / *index)) : std::nullopt;
  }

  // Only \log_b x: a bare \log is base 10 to some readers and e to others.
  Value logarithm() {
    if (!take('_')) return std::nullopt;
    Value base = argument();
    Value x = power();
    if (!base || !x || *base <= 0 || *base == 1 || *x <= 0) return std::nullopt;
    return std::log(*x) / std::log(*base);
  }

  Value function() {
    struct Function {
      std::string_view name;
      double (*apply)(double);
    };
    static constexpr Function kFunctions[] = {
        {"ln", [](double x) { return std::log(x); }},      {"exp", [](double x) { return std::exp(x); }},
        {"sin", [](double x) { return std::sin(x); }},     {"cos", [](double x) { return std::cos(x); }},
        {"tan", [](double x) { return std::tan(x); }},     {"arcsin", [](double x) { return std::asin(x); }},
        {"arccos", [](double x) { return std::acos(x); }}, {"arctan", [](double x) { return std::atan(x); }},
    };
    for (const Function& f : kFunctions) {
      if (!take_word(f.name)) continue;
      Value x = power();
      if (!x) return std::nullopt;
      const double y = f.apply(*x);
      return std::isfinite(y) ? Value(y) : std::nullopt;
    }
    return std::nullopt;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  bool imprecise_ = false;
};

}  // namespace

std::optional<double> evaluate_latex(std::string_view normalized) {
  if (normalized.empty()) return std::nullopt;
  return Evaluator(normalized).parse();
}

bool values_close(double a, double b) {
  const double difference = std::fabs(a - b);
  return difference <= 1e-12 || difference <= 1e-9 * std::max(std::fabs(a), std::fabs(b));
}

}  // namespace qdrift::scoring
