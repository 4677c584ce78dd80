#include "common/final_number.h"

#include <catch2/catch.hpp>

using namespace qdrift::scoring;

TEST_CASE("final number prefers the final-answer phrase then hashes then the last number", "[extract]") {
  auto phrase = find_final_number("3 apples and 4 pears make 7.\nThe final answer is 7. Then 12 more.");
  REQUIRE(phrase);
  CHECK(phrase->number == "7");
  CHECK(phrase->rule == NumberRule::kFinalAnswerPhrase);
  auto hashes = find_final_number("48 / 2 = 24 and 48 + 24 = 72\n#### 72\nNote: 5 minutes.");
  REQUIRE(hashes);
  CHECK(hashes->number == "72");
  CHECK(hashes->rule == NumberRule::kHashes);
  auto last = find_final_number("She has 3 bags of 12, so 36 in all.");
  REQUIRE(last);
  CHECK(last->number == "36");
  CHECK(last->rule == NumberRule::kLastNumber);
  CHECK(describe(NumberRule::kHashes) == "\"#### N\"");
}

TEST_CASE("final number takes the last occurrence of a phrase", "[extract]") {
  CHECK(extract_final_number("The final answer is 10. Wait, I misread. The final answer is 12.") == "12");
  CHECK(extract_final_number("#### 5\n#### 6") == "6");
  // A phrase with no number after it does not count.
  CHECK(extract_final_number("The final answer is below: 8 + 1 = 9") == "9");
}

TEST_CASE("final number handles thousands separators and currency", "[extract]") {
  CHECK(extract_final_number("It costs $1,450,000 in total.") == "1450000");
  CHECK(extract_final_number("The final answer is $2,125.") == "2125");
  CHECK(extract_final_number("The final answer is: **1,000**") == "1000");
  // Commas not in groups of three separate numbers.
  CHECK(extract_final_number("the pairs are 3,4") == "4");
  CHECK(extract_final_number("values 12,34") == "34");
  CHECK(extract_final_number("1,2345") == "2345");
}

TEST_CASE("final number handles negatives and decimals", "[extract]") {
  CHECK(extract_final_number("The temperature fell to -10 degrees.") == "-10");
  CHECK(extract_final_number("#### -3") == "-3");
  CHECK(extract_final_number("She lost -$5 overall") == "-5");
  CHECK(extract_final_number("The final answer is $-5.") == "-5");
  CHECK(extract_final_number("The final answer is \xE2\x88\x92"
                             "7") == "-7");
  CHECK(extract_final_number("so the price is 18.50.") == "18.5");
  CHECK(extract_final_number("The final answer is 18.00") == "18");
  // Subtraction, not a sign.
  CHECK(extract_final_number("12-4") == "4");
  CHECK(extract_final_number("12 - 4") == "4");
  CHECK(extract_final_number("x = -4") == "-4");
  CHECK(extract_final_number("(2)-4") == "4");
}

TEST_CASE("final number reads LaTeX wrappers after the phrase", "[extract]") {
  CHECK(extract_final_number("The final answer is $\\boxed{42}$.") == "42");
  CHECK(extract_final_number("Final answer: \\(18\\)") == "18");
  CHECK_FALSE(extract_final_number("no digits here"));
}

TEST_CASE("canonical decimals compare numerically", "[extract]") {
  CHECK(canonical_decimal("18.00") == "18");
  CHECK(canonical_decimal("$1,000") == "1000");
  CHECK(canonical_decimal("007") == "7");
  CHECK(canonical_decimal("-0.0") == "0");
  CHECK(canonical_decimal("+5.") == "5");
  CHECK(canonical_decimal(".5") == "0.5");
  CHECK_FALSE(canonical_decimal("5%"));
  CHECK_FALSE(canonical_decimal("1.2.3"));
  CHECK_FALSE(canonical_decimal(""));
  CHECK(numbers_equal("18.00", "18"));
  CHECK(numbers_equal("1,000", "1000"));
  CHECK(numbers_equal("-3", "-3.0"));
  CHECK_FALSE(numbers_equal("18", "18.01"));
  CHECK_FALSE(numbers_equal("-3", "3"));
  CHECK_FALSE(numbers_equal("abc", "abc"));
  // Exact even where doubles would round the two together.
  CHECK_FALSE(numbers_equal("12345678901234567890", "12345678901234567891"));
}

TEST_CASE("gsm8k gold answers parse after the last hashes", "[extract]") {
  CHECK(parse_gsm8k_gold("She pays 9 * 2 = $<<9*2=18>>18.\n#### 18") == "18");
  CHECK(parse_gsm8k_gold("...\n#### 1,450,000") == "1450000");
  CHECK(parse_gsm8k_gold("...\n#### -10") == "-10");
  CHECK_FALSE(parse_gsm8k_gold("no marker 18"));
  CHECK_FALSE(parse_gsm8k_gold("#### twelve"));
}
