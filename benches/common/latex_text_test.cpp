#include "common/latex_text.h"

#include <catch2/catch.hpp>

using namespace qdrift::scoring;

TEST_CASE("latex text matches braces and skips escaped ones", "[extract]") {
  CHECK(closing_brace("{a{b}c}", 0) == 6u);
  CHECK(closing_brace("{\\{1\\}}", 0) == 6u);
  CHECK_FALSE(closing_brace("{a{b}", 0));
  CHECK(closing_bracket("[0,1)", 0) == 4u);
  CHECK(closing_bracket("\\{1,2\\}", 0) == 6u);
  CHECK_FALSE(closing_bracket("(1,(2)", 0));
}

TEST_CASE("latex text splits at top level commas only", "[extract]") {
  CHECK(split_top_level_commas("1, 2") == std::vector<std::string>{"1", "2"});
  CHECK(split_top_level_commas("(1,2),\\frac{1,2}{3}") == std::vector<std::string>{"(1,2)", "\\frac{1,2}{3}"});
  CHECK(split_top_level_commas("\\{1,2\\}") == std::vector<std::string>{"\\{1,2\\}"});
  CHECK(split_top_level_commas("5") == std::vector<std::string>{"5"});
}

TEST_CASE("latex text reads control words and trims", "[extract]") {
  CHECK(control_word_at("\\frac{1}{2}", 0) == "frac");
  CHECK(control_word_at("\\,", 0).empty());
  CHECK(control_word_at("x", 0).empty());
  CHECK(trim("  a b \n") == "a b");
}
