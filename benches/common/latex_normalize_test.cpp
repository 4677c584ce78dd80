#include "common/latex_normalize.h"

#include <catch2/catch.hpp>

using namespace qdrift::scoring;

TEST_CASE("latex normalisation drops delimiters layout and display variants", "[extract]") {
  CHECK(normalize_latex_answer("$\\dfrac{1}{2}$") == "\\frac{1}{2}");
  CHECK(normalize_latex_answer("\\(\\tfrac{1}{2}\\)") == "\\frac{1}{2}");
  CHECK(normalize_latex_answer("\\boxed{\\left( 1 + \\sqrt{2} \\right)}.") == "(1+\\sqrt{2})");
  CHECK(normalize_latex_answer("2\\!\\cdot\\!3") == "2*3");
  CHECK(normalize_latex_answer("2 \\times 3") == "2*3");
  CHECK(normalize_latex_answer("1\\,000\\;") == "1000");
  CHECK(normalize_latex_answer("\\displaystyle \\frac{a}{b}") == "\\frac{a}{b}");
}

TEST_CASE("latex normalisation unwraps text and drops units and degrees", "[extract]") {
  CHECK(normalize_latex_answer("\\text{33}") == "33");
  CHECK(normalize_latex_answer("\\mathrm{5}") == "5");
  CHECK(normalize_latex_answer("74^\\circ") == "74");
  CHECK(normalize_latex_answer("74^{\\circ}") == "74");
  CHECK(normalize_latex_answer("74\xC2\xB0") == "74");
  CHECK(normalize_latex_answer("5\\text{ cm}") == "5");
  CHECK(normalize_latex_answer("\\text{Alice}") == "Alice");
  CHECK(normalize_latex_answer("50\\%") == "50");
}

TEST_CASE("latex normalisation braces shorthand arguments", "[extract]") {
  CHECK(normalize_latex_answer("\\frac12") == "\\frac{1}{2}");
  CHECK(normalize_latex_answer("\\frac 1 2") == "\\frac{1}{2}");
  CHECK(normalize_latex_answer("\\frac{1}2") == "\\frac{1}{2}");
  CHECK(normalize_latex_answer("\\sqrt3") == "\\sqrt{3}");
  CHECK(normalize_latex_answer("\\sqrt[3]{2}") == "\\sqrt[3]{2}");
  CHECK(normalize_latex_answer("\\frac\\pi2") == "\\frac{\\pi}{2}");
  CHECK(normalize_latex_answer("3^2025") == "3^{2025}");
  CHECK(normalize_latex_answer("3^{2025}") == "3^{2025}");
  CHECK(normalize_latex_answer("\\frac{\\sqrt3}{2}") == "\\frac{\\sqrt{3}}{2}");
}

// Found by fuzz/extractors_fuzz.cpp: both split a multi-byte character.
TEST_CASE("latex normalisation never splits a utf8 character", "[extract]") {
  CHECK(normalize_latex_answer("\\frac\xC3\xA9 2") == "\\frac{\xC3\xA9}{2}");
  CHECK(normalize_latex_answer("x\\\xC3\xA9") == "x\xC3\xA9");
  CHECK(normalize_latex_answer("\\, 5") == "5");
}

TEST_CASE("latex normalisation handles names thousands spaces and unicode", "[extract]") {
  CHECK(normalize_latex_answer("x = 5") == "5");
  CHECK(normalize_latex_answer("a_{1}=5") == "5");
  CHECK(normalize_latex_answer("x=1, y=2") == "x=1,y=2");  // elements are handled one by one later
  CHECK(normalize_latex_answer("420,261") == "420261");
  CHECK(normalize_latex_answer("1{,}000") == "1000");
  CHECK(normalize_latex_answer("1,2") == "1,2");
  CHECK(normalize_latex_answer("(1,234)") == "(1,234)");
  CHECK(normalize_latex_answer("\\pi r^2") == "\\pi r^{2}");
  CHECK(normalize_latex_answer("2 \\pi") == "2\\pi");
  CHECK(normalize_latex_answer("\xE2\x88\x92"
                               "3") == "-3");
  CHECK(normalize_latex_answer("2\xCF\x80") == "2\\pi");
  CHECK(normalize_latex_answer("") == "");
}
