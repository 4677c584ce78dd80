#include "common/boxed_answer.h"

#include <catch2/catch.hpp>

using namespace qdrift::scoring;

TEST_CASE("boxed answer takes the last box with nested braces", "[extract]") {
  CHECK(last_boxed_content("so $\\boxed{\\frac{1}{2}}$") == "\\frac{1}{2}");
  CHECK(last_boxed_content("\\boxed{\\sqrt{\\frac{95}{24}}}.") == "\\sqrt{\\frac{95}{24}}");
  CHECK(last_boxed_content("set \\boxed{\\{1,2\\}}") == "\\{1,2\\}");
  // A box in the reasoning, then a different final box.
  CHECK(last_boxed_content("First try: \\boxed{12}. That double counts, so \\boxed{ 6 }") == "6");
}

TEST_CASE("boxed answer reads fbox and boxes without braces", "[extract]") {
  CHECK(last_boxed_content("\\fbox{70}") == "70");
  CHECK(last_boxed_content("$\\boxed 5$") == "5");
  CHECK(last_boxed_content("\\boxed 33.") == "33.");
  CHECK(last_boxed_content("\\boxed {7}") == "7");
  CHECK(last_boxed_content("\\boxed{3} then \\fbox{4}") == "4");
}

TEST_CASE("boxed answer rejects a cut-off box and skips an empty one", "[extract]") {
  CHECK_FALSE(last_boxed_content("\\boxed{1} and finally \\boxed{\\frac{1}{"));
  CHECK(last_boxed_content("\\boxed{9}. I was asked to use \\boxed{}") == "9");
  CHECK_FALSE(last_boxed_content("no box at all"));
  CHECK_FALSE(last_boxed_content("\\boxedfoo{1}"));
}

TEST_CASE("boxed answer falls back to the final number only when asked", "[extract]") {
  auto boxed = extract_boxed_answer("\\boxed{42}", true);
  REQUIRE(boxed);
  CHECK(boxed->rule == BoxedRule::kBoxed);
  CHECK_FALSE(extract_boxed_answer("so 3 and then 17", false));
  auto fallback = extract_boxed_answer("so 3 and then 17", true);
  REQUIRE(fallback);
  CHECK(fallback->answer == "17");
  CHECK(fallback->rule == BoxedRule::kLastNumberFallback);
  CHECK(describe(BoxedRule::kLastNumberFallback).find("fell back") != std::string_view::npos);
}

TEST_CASE("aime answers compare as integers 0 to 999", "[extract]") {
  CHECK(parse_aime_integer("033") == 33);
  CHECK(parse_aime_integer("\\text{33}") == 33);
  CHECK(parse_aime_integer("$33$.") == 33);
  CHECK(parse_aime_integer("33.0") == 33);
  CHECK(parse_aime_integer("0") == 0);
  CHECK(parse_aime_integer("999") == 999);
  CHECK_FALSE(parse_aime_integer("1000"));
  CHECK_FALSE(parse_aime_integer("-3"));
  CHECK_FALSE(parse_aime_integer("\\frac{1}{2}"));
  CHECK_FALSE(parse_aime_integer("33.5"));
  CHECK_FALSE(parse_aime_integer(""));
  CHECK(aime_answers_equal("033", "33"));
  CHECK_FALSE(aime_answers_equal("34", "33"));
  CHECK_FALSE(aime_answers_equal("x", "x"));
}
