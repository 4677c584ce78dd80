#include "common/choice_letter.h"

#include <catch2/catch.hpp>

using namespace qdrift::scoring;

namespace {

constexpr char kMmluPro = 'J';
constexpr char kGpqa = 'D';

std::optional<ChoiceMatch> mmlu_pro(std::string_view text) {
  return extract_choice_letter(text, kMmluPro, ChoicePhrase::kAnswerIs);
}
std::optional<ChoiceMatch> gpqa(std::string_view text) {
  return extract_choice_letter(text, kGpqa, ChoicePhrase::kAnswerColon);
}
char letter_of(const std::optional<ChoiceMatch>& match) { return match ? match->letter : '-'; }

}  // namespace

TEST_CASE("choice letter reads the answer-is phrase past a letter in prose", "[extract]") {
  auto match = mmlu_pro("A good approach is to compare the rates. Option B is too slow.\nThe answer is (C).");
  REQUIRE(match);
  CHECK(match->letter == 'C');
  CHECK(match->rule == ChoiceRule::kAnswerIs);
  CHECK_FALSE(match->ambiguous);
  CHECK(letter_of(mmlu_pro("the answer is J")) == 'J');
  CHECK(letter_of(mmlu_pro("Therefore, the answer is: **(H)**")) == 'H');
  CHECK(letter_of(mmlu_pro("So the answer is $\\boxed{E}$.")) == 'E');
  CHECK(letter_of(mmlu_pro("The correct answer is option (B)")) == 'B');
  CHECK(letter_of(gpqa("**Answer**: Choice D")) == 'D');
}

TEST_CASE("choice letter ignores words and lower-case articles after the phrase", "[extract]") {
  // "Because" and "a" are not letters; nothing else matches so there is no answer.
  CHECK_FALSE(mmlu_pro("I think the answer is Because of friction"));
  CHECK_FALSE(mmlu_pro("the answer is a matter of taste"));
  // simple-evals would read "Answer: Despite" as D.
  CHECK_FALSE(gpqa("Answer: Despite the noise it is unclear"));
}

TEST_CASE("choice letter takes Answer colon after the words Option A is wrong", "[extract]") {
  auto match = gpqa("Option A is wrong because the spin is conserved.\nOption C ignores the field.\nAnswer: B");
  REQUIRE(match);
  CHECK(match->letter == 'B');
  CHECK(match->rule == ChoiceRule::kAnswerColon);
  CHECK(letter_of(gpqa("**Answer:** D")) == 'D');
  CHECK(letter_of(gpqa("Answer: (C)")) == 'C');
  CHECK(letter_of(gpqa("Answer: $A$")) == 'A');
  CHECK(letter_of(gpqa("Final Answer: \\boxed{B}")) == 'B');
  CHECK(letter_of(gpqa("answer : C")) == 'C');
}

TEST_CASE("choice letter respects the letter range", "[extract]") {
  CHECK_FALSE(gpqa("Answer: E"));
  CHECK(letter_of(mmlu_pro("Answer: E")) == 'E');
  CHECK(letter_of(extract_choice_letter("Answer: F", 'F', ChoicePhrase::kAnswerColon)) == 'F');
}

TEST_CASE("choice letter tries the asked phrase before the other one", "[extract]") {
  const std::string_view both = "The answer is (A) at first sight.\nAnswer: C";
  auto asked_is = mmlu_pro(both);
  auto asked_colon = gpqa(both);
  REQUIRE(asked_is);
  REQUIRE(asked_colon);
  CHECK(asked_is->letter == 'A');
  CHECK(asked_is->rule == ChoiceRule::kAnswerIs);
  CHECK(asked_colon->letter == 'C');
  CHECK(asked_colon->rule == ChoiceRule::kAnswerColon);
  // A response using only the other phrase is still read.
  CHECK(letter_of(gpqa("so the answer is (D)")) == 'D');
}

TEST_CASE("choice letter takes the last match and flags a change of mind", "[extract]") {
  auto match = mmlu_pro("The answer is (A). Wait, that ignores drag. The answer is (G).");
  REQUIRE(match);
  CHECK(match->letter == 'G');
  CHECK(match->ambiguous);
  auto repeated = gpqa("Answer: B\nAnswer: B");
  REQUIRE(repeated);
  CHECK_FALSE(repeated->ambiguous);
}

TEST_CASE("choice letter falls back to boxed then marked then a bare letter line", "[extract]") {
  auto boxed = mmlu_pro("Comparing all ten, option D fits.\n\\boxed{\\text{D}}");
  REQUIRE(boxed);
  CHECK(boxed->letter == 'D');
  CHECK(boxed->rule == ChoiceRule::kBoxed);
  // A box holding an expression is not a letter.
  CHECK_FALSE(mmlu_pro("\\boxed{A + B}"));

  auto marked = mmlu_pro("Neither (A) nor (B) holds, so I pick **(F)**");
  REQUIRE(marked);
  CHECK(marked->letter == 'F');
  CHECK(marked->rule == ChoiceRule::kMarkedLetter);
  CHECK(marked->ambiguous);
  CHECK(letter_of(gpqa("It must be the second one: **B**")) == 'B');

  auto line = gpqa("The mass balance leaves one option.\n\nC) 42 kg\n");
  REQUIRE(line);
  CHECK(line->letter == 'C');
  CHECK(line->rule == ChoiceRule::kLetterLine);
  CHECK(letter_of(gpqa("Reasoning done.\nD")) == 'D');
  CHECK(letter_of(gpqa("Reasoning done.\n**A.**")) == 'A');
  // The pronoun and the article are not answers.
  CHECK_FALSE(mmlu_pro("I am not sure.\nA lot depends on the temperature."));
  CHECK_FALSE(gpqa(""));
  CHECK(describe(ChoiceRule::kAnswerColon) == "\"Answer: X\"");
}
