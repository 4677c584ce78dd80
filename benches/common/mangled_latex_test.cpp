#include "common/mangled_latex.h"

#include <catch2/catch.hpp>

using namespace qdrift::scoring;

TEST_CASE("mangled latex repairs a form feed that ate frac", "[extract]") {
  auto repair = repair_mangled_latex("Find $\frac{m}{n}$ and $\frac12$.");
  CHECK(repair.text == "Find $\\frac{m}{n}$ and $\\frac12$.");
  CHECK(repair.repairs.size() == 2);
  CHECK(repair.changed());
  CHECK_FALSE(repair.suspicious());
  CHECK(repair.repairs[0] == "form feed+rac -> \\frac at byte 6");
}

TEST_CASE("mangled latex repairs tab backspace and carriage return commands", "[extract]") {
  CHECK(repair_mangled_latex("of $\triangle ABC$").text == "of $\\triangle ABC$");
  CHECK(repair_mangled_latex("$3\times 4$").text == "$3\\times 4$");
  CHECK(repair_mangled_latex("$\theta$").text == "$\\theta$");
  CHECK(repair_mangled_latex("$\binom{5}{2}$ and $\beta$").text == "$\\binom{5}{2}$ and $\\beta$");
  CHECK(repair_mangled_latex("$\\left(x\right)$ and $\rho$").text == "$\\left(x\\right)$ and $\\rho$");
  // The longest command wins: "\rightarrow", not "\right" + "arrow".
  CHECK(repair_mangled_latex("$a \rightarrow b$").text == "$a \\rightarrow b$");
  // Python-literal escapes.
  CHECK(repair_mangled_latex("$\alpha \approx \vec{v}$").text == "$\\alpha \\approx \\vec{v}$");
}

TEST_CASE("mangled latex repairs a newline command only inside inline math", "[extract]") {
  auto inline_math = repair_mangled_latex("Suppose $a \neq b$ and $\nu > 0$.");
  CHECK(inline_math.text == "Suppose $a \\neq b$ and $\\nu > 0$.");
  CHECK(inline_math.repairs.size() == 2);
  // Display math starting on a new line: "u = 1" is a real line, not \nu.
  const std::string display = "Let\n\\[\nu = 1\n\\]";
  auto left_alone = repair_mangled_latex(display);
  CHECK(left_alone.text == display);
  CHECK_FALSE(left_alone.changed());
  CHECK_FALSE(left_alone.suspicious());  // a line starting with a lone "u" is ordinary
  // In display math a newline then "eq" is not repaired, but it is reported.
  auto display_neq = repair_mangled_latex("$$a\neq b$$");
  CHECK_FALSE(display_neq.changed());
  CHECK(display_neq.suspicious());
}

TEST_CASE("mangled latex leaves real whitespace and prose alone", "[extract]") {
  const std::string prose = "First line.\nnot a command\n\nTable:\tan apple\tend\r\nend";
  auto repair = repair_mangled_latex(prose);
  CHECK(repair.text == prose);
  CHECK_FALSE(repair.changed());
  // A tab then "an" outside math may be real: reported, not repaired; inside math it is \tan.
  REQUIRE(repair.unrepaired.size() == 1);
  CHECK(repair.unrepaired[0].find("tab") != std::string::npos);
  CHECK(repair_mangled_latex("$\tan x$").text == "$\\tan x$");
  // A newline then "eq" outside inline math is left alone but reported.
  CHECK(repair_mangled_latex("so\neq").suspicious());
  // Letters that only start a command are not repaired: "\f"+"ractal".
  auto fractal = repair_mangled_latex("a \fractal");
  CHECK(fractal.text == "a \fractal");
  CHECK(fractal.suspicious());
  // Escaped dollars do not open math.
  CHECK_FALSE(repair_mangled_latex("costs \\$5\neq").changed());
  CHECK_FALSE(repair_mangled_latex("").changed());
}
