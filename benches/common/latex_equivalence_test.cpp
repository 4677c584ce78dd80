#include "common/latex_equivalence.h"

#include <catch2/catch.hpp>

using namespace qdrift::scoring;

namespace {
bool same(std::string_view answer, std::string_view gold) { return compare_latex_answers(answer, gold).equal; }
}  // namespace

TEST_CASE("latex answers equal by text after normalisation", "[extract]") {
  auto comparison = compare_latex_answers("\\dfrac{1}{576}", "\\frac{1}{576}");
  CHECK(comparison.equal);
  CHECK(comparison.how == "same text");
  CHECK(same("3^{2025}", "3^2025"));
  CHECK(same("74", "74^\\circ"));
  CHECK_FALSE(same("3^{2026}", "3^{2025}"));
  CHECK_FALSE(same("", "1"));
}

TEST_CASE("latex answers equal by value", "[extract]") {
  auto comparison = compare_latex_answers("\\frac{\\sqrt{12}}{2}", "\\sqrt{3}");
  CHECK(comparison.equal);
  CHECK(comparison.how == "same value");
  CHECK(same("0.5", "\\frac12"));
  CHECK(same("\\frac{9}{\\sqrt{23}}", "\\frac{9 \\sqrt{23}}{23}"));
  CHECK(same("-\\sqrt{12}+\\sqrt{23}", "\\sqrt{23}-2 \\sqrt{3}"));
  CHECK(same("26! \\cdot 2^{25}", "2^{25} \\cdot 26!"));
  CHECK(same("x = 2 - \\frac{\\pi}{2}", "2 - \\frac{\\pi}{2}"));
  CHECK(same("18.00", "18"));
  auto wrong = compare_latex_answers("\\frac{1}{577}", "\\frac{1}{576}");
  CHECK_FALSE(wrong.equal);
  CHECK(wrong.how.starts_with("different value"));
  // A rounded decimal is not the exact value.
  CHECK_FALSE(same("1.4142", "\\sqrt{2}"));
  CHECK_FALSE(same("x+1", "2"));
  // Doubles cannot tell this from 50, so it compares by text.
  CHECK_FALSE(same("50", "50(1 - \\frac{1}{2^{101} - 1})"));
  CHECK(same("50\\left(1-\\dfrac{1}{2^{101}-1}\\right)", "50(1 - \\frac{1}{2^{101} - 1})"));
}

TEST_CASE("latex answer lists compare elementwise", "[extract]") {
  const std::string_view gold = "\\frac{-1+\\sqrt{17}}{2}, \\frac{-1-\\sqrt{17}}{2}";
  CHECK(same("\\frac{-1-\\sqrt{17}}{2}, \\frac{-1+\\sqrt{17}}{2}", gold));  // a set of values: any order
  CHECK(same("\\left\\{\\frac{-1+\\sqrt{17}}{2}, \\frac{-1-\\sqrt{17}}{2}\\right\\}", gold));
  CHECK_FALSE(same("\\frac{-1+\\sqrt{17}}{2}", gold));
  CHECK(compare_latex_answers("\\frac{-1+\\sqrt{17}}{2}", gold).how == "1 values, expected 2");
  CHECK(same("(1, 2)", "(1,2)"));
  CHECK(same("(0.5, 2)", "(\\frac{1}{2},2)"));
  CHECK_FALSE(same("(2,1)", "(1,2)"));  // a tuple is ordered
  CHECK(same("x=1, y=2", "1, 2"));
  CHECK_FALSE(same("1, 3", "1, 2"));
}
