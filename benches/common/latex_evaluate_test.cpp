#include "common/latex_evaluate.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <string>

using namespace qdrift::scoring;
using Catch::Matchers::WithinRel;

namespace {
double value_of(std::string_view text) {
  auto value = evaluate_latex(text);
  return value ? *value : std::nan("");
}
}  // namespace

TEST_CASE("latex evaluation follows precedence and associativity", "[extract]") {
  CHECK(value_of("1+2*3") == 7);
  CHECK(value_of("(1+2)*3") == 9);
  CHECK(value_of("{1+2}*3") == 9);
  CHECK(value_of("8/4/2") == 1);
  CHECK(value_of("2^3^2") == 512);
  CHECK(value_of("-2^{2}") == -4);
  CHECK(value_of("2^{-1}") == 0.5);
  CHECK(value_of("2^-1") == 0.5);
  CHECK(value_of("2-3") == -1);
  CHECK(value_of("1.5+.5") == 2);
}

TEST_CASE("latex evaluation knows fractions roots pi and factorials", "[extract]") {
  CHECK(value_of("\\frac{1}{576}") == 1.0 / 576);
  CHECK_THAT(value_of("\\frac{9\\sqrt{23}}{23}"), WithinRel(9 * std::sqrt(23.0) / 23, 1e-12));
  CHECK_THAT(value_of("1-\\frac{2}{\\pi}"), WithinRel(1 - 2 / std::numbers::pi, 1e-12));
  CHECK_THAT(value_of("\\sqrt[3]{27}"), WithinRel(3.0, 1e-12));
  CHECK_THAT(value_of("\\sqrt[3]{-8}"), WithinRel(-2.0, 1e-12));
  CHECK(value_of("5!") == 120);
  CHECK(value_of("\\binom{5}{2}") == 10);
  CHECK_THAT(value_of("e^{2}"), WithinRel(std::exp(2.0), 1e-12));
  CHECK_THAT(value_of("\\ln2"), WithinRel(std::log(2.0), 1e-12));
  CHECK_THAT(value_of("\\log_{2}8"), WithinRel(3.0, 1e-12));
  CHECK_THAT(value_of("(3+\\sqrt{6})^{-1/3}"), WithinRel(std::pow(3 + std::sqrt(6.0), -1.0 / 3), 1e-12));
}

TEST_CASE("latex evaluation multiplies implicitly", "[extract]") {
  CHECK_THAT(value_of("2\\sqrt{3}"), WithinRel(2 * std::sqrt(3.0), 1e-12));
  CHECK_THAT(value_of("3\\pi"), WithinRel(3 * std::numbers::pi, 1e-12));
  CHECK_THAT(value_of("\\frac{7}{3}\\sqrt{3}"), WithinRel(7.0 / 3 * std::sqrt(3.0), 1e-12));
  CHECK_THAT(value_of("2^{25}*26!"), WithinRel(std::pow(2.0, 25) * std::tgamma(27.0), 1e-12));
  CHECK(value_of("2\\cdot3") == 6);
  CHECK(value_of("2\\times 3") == 6);
  CHECK(value_of("(2)(3)") == 6);
}

TEST_CASE("latex evaluation refuses what it cannot value", "[extract]") {
  CHECK_FALSE(evaluate_latex("x+1"));
  CHECK_FALSE(evaluate_latex("\\infty"));
  CHECK_FALSE(evaluate_latex("\\log 2"));
  CHECK_FALSE(evaluate_latex("3^{2025}"));  // beyond double range
  CHECK_FALSE(evaluate_latex("\\frac{1}{0}"));
  CHECK_FALSE(evaluate_latex("\\sqrt{-1}"));
  CHECK_FALSE(evaluate_latex("(1+2"));
  CHECK_FALSE(evaluate_latex("1+"));
  CHECK_FALSE(evaluate_latex(""));
  CHECK_FALSE(evaluate_latex("2.5!"));
  // Terms below the tolerance, and cancellation, make the value untrustworthy.
  CHECK_FALSE(evaluate_latex("50(1-\\frac{1}{2^{101}-1})"));
  CHECK_FALSE(evaluate_latex("10^{12}+1"));
  CHECK_FALSE(evaluate_latex("1.0000001-1"));
  CHECK(value_of("10^{6}+1") == 1000001);
  CHECK(value_of("\\sqrt{2}-\\sqrt{2}") == 0);
  // Appended, not operator+: GCC 12 warns falsely (-Warray-bounds) on the inlined operator+.
  std::string nested(5000, '(');
  nested.append("1").append(5000, ')');
  CHECK_FALSE(evaluate_latex(nested));
  std::string negated(5000, '-');
  negated.append("1");
  CHECK_FALSE(evaluate_latex(negated));
}

TEST_CASE("values compare within a relative tolerance", "[extract]") {
  CHECK(values_close(1.0, 1.0 + 1e-12));
  CHECK(values_close(1e30, 1e30 * (1 + 1e-10)));
  CHECK_FALSE(values_close(1.0, 1.0 + 1e-6));
  CHECK(values_close(0.0, 1e-13));
  CHECK_FALSE(values_close(0.0, 1e-6));
}
