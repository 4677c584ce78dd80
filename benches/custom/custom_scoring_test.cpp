// Custom bench grading: each answer type against tricky responses, with and
// without an extract regex, and the helpers behind them.
#include "custom/custom_scoring.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace qdrift;
using namespace qdrift::custom;
using nlohmann::json;

namespace {

CustomSpec spec_of(const std::string& type, const std::string& extract = "") {
  json j = {{"spec", 1},    {"name", "t"},        {"version", "1"}, {"data", "d.jsonl"}, {"prompt", "{q}\n{choices}"},
            {"type", type}, {"answer_field", "a"}};
  if (type == "multiple_choice") j["choices_field"] = "options";
  if (!extract.empty()) j["extract"] = extract;
  auto spec = parse_custom_spec(j.dump(), "t.json");
  REQUIRE(spec.ok());
  return std::move(spec).value();
}

Item item_of(const std::string& answer, const std::string& prompt = "Which?\nA) one\nB) two\nC) three\nD) four") {
  return Item{"1", prompt, answer, "", 1, ""};
}

}  // namespace

TEST_CASE("multiple_choice reads the letter - last one wins - range from the prompt", "[custom]") {
  const CustomSpec spec = spec_of("multiple_choice");
  const Item item = item_of("B");
  auto grade = [&](const std::string& response) { return score_custom(spec, item, response, "stop"); };
  CHECK(grade("Answer: B").correct);
  CHECK(grade("**Answer:** (B)").correct);
  CHECK(grade("Let me see. Answer: A\nWait, that is wrong.\nAnswer: B").correct);
  Score wrong = grade("I pick C.\n\nAnswer: C");
  CHECK_FALSE(wrong.correct);
  CHECK(wrong.answer == "C");
  CHECK(wrong.explanation == "answered C, expected B (\"Answer: X\")");
  CHECK(grade("The answer is (B).").correct);  // the other phrase is read too
  // E is not an option here: nothing is extracted.
  Score out_of_range = grade("Answer: E");
  CHECK(out_of_range.answer.empty());
  CHECK(out_of_range.explanation == "no choice letter A-D found");
  CHECK(score_custom(spec, item, "", "length").explanation == "cut off at the token cap before an answer");
  CHECK(grade("Answer: B").explanation == "B matches (\"Answer: X\")");

  const CustomSpec regex = spec_of("multiple_choice", "FINAL\\s*=\\s*(\\S+)");
  CHECK(score_custom(regex, item, "FINAL = a, no: FINAL=(b)", "stop").correct);  // lower case and brackets are fine
  Score not_letter = score_custom(regex, item, "FINAL = two", "stop");
  CHECK_FALSE(not_letter.correct);
  CHECK(not_letter.explanation == "extracted 'two', not a letter A-D");
  CHECK(score_custom(regex, item, "Answer: B", "stop").explanation == "no match for the extract regex found");
}

TEST_CASE("numeric compares exact decimals - commas - dollars - trailing dots", "[custom]") {
  const CustomSpec spec = spec_of("numeric");
  const Item item = item_of("1200", "How much?");
  auto grade = [&](const std::string& response) { return score_custom(spec, item, response, "stop"); };
  CHECK(grade("The final answer is $1,200.").correct);
  CHECK(grade("So 1200.00").correct);
  CHECK(grade("#### 1,200").answer == "1200");
  Score last = grade("It is 1200 dollars, or 1300 with fees");  // the last number is the answer
  CHECK_FALSE(last.correct);
  CHECK(last.answer == "1300");
  CHECK(
      grade("The final answer is 1200. Checking: 3 * 400 = 1200, minus 5.").correct);  // the phrase beats later numbers
  CHECK(grade("no idea").explanation == "no number found");

  const Item negative = item_of("-3000", "Profit?");
  CHECK(score_custom(spec, negative, "The final answer is -3,000", "stop").correct);
  CHECK_FALSE(score_custom(spec, negative, "The final answer is 3,000", "stop").correct);

  const CustomSpec regex = spec_of("numeric", "Result:\\s*(.+)");
  CHECK(score_custom(regex, item, "Result: 900\nResult: **$1,200**", "stop").correct);
  Score text = score_custom(regex, item, "Result: unknown", "stop");
  CHECK(text.explanation == "extracted 'unknown', not a number");
}

TEST_CASE("short_answer normalises case - spaces - punctuation", "[custom]") {
  CHECK(normalize_short_answer("  The Bid-Ask\n spread. ") == "the bidask spread");
  CHECK(normalize_short_answer("Zürich!") == "zürich");  // non-ASCII kept as written
  CHECK(normalize_short_answer("...") == "");

  const CustomSpec spec = spec_of("short_answer");
  const Item item = item_of("Bid-ask spread", "What?");
  auto grade = [&](const std::string& response) { return score_custom(spec, item, response, "stop"); };
  CHECK(grade("Answer: bid ask spread").correct == false);  // a hyphen is dropped, not made a space
  CHECK(grade("Answer: BID-ASK  Spread.").correct);
  CHECK(grade("The answer is: **bid-ask spread**").correct);
  CHECK(grade("Thinking...\n\nbid-ask spread").correct);  // no phrase: the last line
  Score wrong = grade("Final answer: the spread");
  CHECK_FALSE(wrong.correct);
  CHECK(wrong.answer == "the spread");
  CHECK(wrong.explanation == "answered 'the spread', expected 'Bid-ask spread'");
  CHECK(grade("   ").explanation == "no answer found");

  CHECK(default_short_answer("answer: x\nANSWER IS y") == "y");
  CHECK(default_short_answer("Answer:\nParis") == "Paris");  // an empty phrase falls back to the last line
}

TEST_CASE("choices render as lettered lines and are counted back from the prompt", "[custom]") {
  CHECK(render_choices({"one", " two ", "three\nlines"}) == "A) one\nB) two\nC) three lines");
  CHECK(count_choices("Q\nA) x\nB) y\nC) z\n\nAnswer:") == 3);
  CHECK(count_choices("A) not the block\nQ\nA) x\nB) y") == 2);  // the longest run
  CHECK(count_choices("Options: A) x\nB) y\nC) z\nReply like A) or B).") == 3);  // a block after text, a stray mention
  CHECK(count_choices("no options") == 0);
}
