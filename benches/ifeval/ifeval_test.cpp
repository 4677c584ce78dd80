// Each of the 25 checkers on small inputs written for these tests: one
// response that follows the instruction and one that does not, plus the
// loose mode, validation and the explanation line.
#include "ifeval/ifeval.h"

#include <catch2/catch.hpp>

#include "ifeval/language.h"

using namespace qdrift::ifeval;
using nlohmann::json;

namespace {

IfevalResult grade(const std::string& id, json kwargs, const std::string& response) {
  auto result = evaluate("a prompt", {{id, std::move(kwargs)}}, response);
  INFO(result.status().message());
  REQUIRE(result.ok());
  return *result;
}

bool strict(const std::string& id, json kwargs, const std::string& response) {
  return grade(id, std::move(kwargs), response).prompt_strict;
}

bool loose(const std::string& id, json kwargs, const std::string& response) {
  return grade(id, std::move(kwargs), response).prompt_loose;
}

}  // namespace

TEST_CASE("ifeval knows exactly the 25 instruction ids", "[ifeval]") {
  CHECK(instruction_ids().size() == 25);
  CHECK(std::is_sorted(instruction_ids().begin(), instruction_ids().end()));
  CHECK(unknown_instruction({{"punctuation:no_comma", json::object()}}) == std::nullopt);
  CHECK(unknown_instruction({{"punctuation:no_comma", {}}, {"punctuation:no_dash", {}}}) == "punctuation:no_dash");
}

TEST_CASE("ifeval validation names the instruction and the problem", "[ifeval]") {
  auto message = [](std::vector<Instruction> instructions) { return validate(instructions).message(); };
  CHECK(validate({{"keywords:frequency", {{"keyword", "cat"}, {"frequency", 2}, {"relation", "at least"}}}}).ok());
  CHECK_THAT(message({{"keywords:nope", json::object()}}),
             Catch::Contains("instruction 1 (keywords:nope)") && Catch::Contains("unknown instruction id"));
  CHECK_THAT(message({{"punctuation:no_comma", {}}, {"keywords:frequency", {{"keyword", "cat"}, {"frequency", 2}}}}),
             Catch::Contains("instruction 2") && Catch::Contains("missing kwarg 'relation'"));
  CHECK_THAT(message({{"length_constraints:number_words", {{"num_words", "ten"}, {"relation", "at least"}}}}),
             Catch::Contains("non-negative integer"));
  CHECK_THAT(message({{"length_constraints:number_words", {{"num_words", 10}, {"relation", "at most"}}}}),
             Catch::Contains("\"less than\" or \"at least\""));
  CHECK_THAT(
      message({{"keywords:letter_frequency", {{"letter", "ab"}, {"let_frequency", 2}, {"let_relation", "at least"}}}}),
      Catch::Contains("single character"));
  CHECK_THAT(message({{"keywords:existence", {{"keywords", {"(unclosed"}}}}}),
             Catch::Contains("invalid regular expression"));
  CHECK_THAT(message({{"punctuation:no_comma", {{"num_words", 3}}}}), Catch::Contains("unexpected kwarg 'num_words'"));
  CHECK_THAT(message({{"length_constraints:nth_paragraph_first_word",
                       {{"num_paragraphs", 2}, {"nth_paragraph", 3}, {"first_word", "so"}}}}),
             Catch::Contains("nth_paragraph"));
  // Whole floats are counts; ones no integer can hold are refused, not converted (found by fuzzing).
  CHECK(validate({{"length_constraints:number_words", {{"num_words", 10.0}, {"relation", "at least"}}}}).ok());
  CHECK_THAT(message({{"length_constraints:number_words", {{"num_words", 1.1e68}, {"relation", "at least"}}}}),
             Catch::Contains("non-negative integer"));
  CHECK_THAT(message({{"length_constraints:number_words", {{"num_words", 18446744073709551615ULL}, {"relation", "at least"}}}}),
             Catch::Contains("non-negative integer"));
  // Null kwargs belonging to other ids (the Hugging Face layout) are ignored.
  CHECK(validate({{"punctuation:no_comma", {{"num_words", nullptr}, {"relation", nullptr}}}}).ok());
  CHECK_FALSE(evaluate("p", {{"keywords:nope", {}}}, "text").ok());
}

TEST_CASE("ifeval keywords checkers", "[ifeval]") {
  CHECK(strict("keywords:existence", {{"keywords", {"Cat", "dog"}}}, "A cat and a DOG."));
  CHECK_FALSE(strict("keywords:existence", {{"keywords", {"cat", "bird"}}}, "A cat and a dog."));

  json twice = {{"keyword", "tea"}, {"frequency", 2}, {"relation", "at least"}};
  CHECK(strict("keywords:frequency", twice, "Tea first; then more tea."));
  CHECK_FALSE(strict("keywords:frequency", twice, "Tea only once."));
  json rare = {{"keyword", "tea"}, {"frequency", 2}, {"relation", "less than"}};
  CHECK(strict("keywords:frequency", rare, "Tea only once."));
  CHECK_FALSE(strict("keywords:frequency", rare, "Tea, tea."));

  json forbidden = {{"forbidden_words", {"red", "blue"}}};
  CHECK(strict("keywords:forbidden_words", forbidden, "A reddish, bluish sky."));  // whole words only
  CHECK_FALSE(strict("keywords:forbidden_words", forbidden, "The sky is Blue."));

  json letters = {{"letter", "z"}, {"let_frequency", 3}, {"let_relation", "at least"}};
  CHECK(strict("keywords:letter_frequency", letters, "Zig zag zoo"));
  CHECK_FALSE(strict("keywords:letter_frequency", letters, "Zig zag"));
}

TEST_CASE("ifeval response language", "[ifeval]") {
  json french = {{"language", "fr"}};
  CHECK(strict("language:response_language", french,
               "Bonjour à tous, je suis très heureux de vous présenter notre nouveau projet aujourd'hui."));
  CHECK_FALSE(strict("language:response_language", french,
                     "Hello everyone, I am very happy to present our new project to you today."));
  // No letters at all: the reference cannot tell and counts it as followed.
  CHECK(strict("language:response_language", french, "1 2 3 4 5 !!!"));
  // CLD2's legacy code for Hebrew ("iw") is reported as ISO 639-1 "he".
  CHECK(strict("language:response_language", {{"language", "he"}},
               "שלום לכולם, אני שמח מאוד להציג לכם היום את הפרויקט החדש שלנו ואני מקווה שתהנו ממנו."));
}

TEST_CASE("ifeval language detection spells codes as langdetect does", "[ifeval]") {
  CHECK(detect_language("大家好，我今天很高兴向大家介绍我们的新项目，希望你们喜欢这个项目。").code == "zh-cn");
  // Too little text: CLD2 cannot tell, and it is not English either.
  const DetectedLanguage yes = detect_language("YES");
  CHECK(yes.has_features);
  CHECK(yes.code.empty());
  CHECK_FALSE(detect_language("42 - 7 = 35").has_features);
  CHECK_FALSE(strict("change_case:english_capital", json::object(), "YES"));
}

TEST_CASE("ifeval length checkers", "[ifeval]") {
  json three = {{"num_sentences", 3}, {"relation", "less than"}};
  CHECK(strict("length_constraints:number_sentences", three, "One. Two."));
  CHECK_FALSE(strict("length_constraints:number_sentences", three, "One. Two. Three."));

  json paragraphs = {{"num_paragraphs", 2}};
  CHECK(strict("length_constraints:number_paragraphs", paragraphs, "First part.\n***\nSecond part."));
  CHECK_FALSE(strict("length_constraints:number_paragraphs", paragraphs, "First.\n***\n***\nSecond."));
  CHECK_FALSE(strict("length_constraints:number_paragraphs", paragraphs, "Only one paragraph."));

  json words = {{"num_words", 5}, {"relation", "at least"}};
  CHECK(strict("length_constraints:number_words", words, "one two three four five"));
  CHECK_FALSE(strict("length_constraints:number_words", words, "one two-three four"));

  json nth = {{"num_paragraphs", 2}, {"nth_paragraph", 2}, {"first_word", "Then"}};
  CHECK(strict("length_constraints:nth_paragraph_first_word", nth, "First things.\n\n\"Then, more.\""));
  CHECK_FALSE(strict("length_constraints:nth_paragraph_first_word", nth, "First things.\n\nAfter that."));
  CHECK_FALSE(strict("length_constraints:nth_paragraph_first_word", nth, "Then only one."));
}

TEST_CASE("ifeval detectable content and format checkers", "[ifeval]") {
  CHECK(strict("detectable_content:number_placeholders", {{"num_placeholders", 2}}, "Dear [name], at [address]."));
  CHECK_FALSE(strict("detectable_content:number_placeholders", {{"num_placeholders", 2}}, "Dear [name]."));

  CHECK(strict("detectable_content:postscript", {{"postscript_marker", "P.S."}}, "Body.\n\np. s. see you"));
  CHECK_FALSE(strict("detectable_content:postscript", {{"postscript_marker", "P.P.S"}}, "Body.\n\nP.S. see you"));

  CHECK(strict("detectable_format:number_bullet_lists", {{"num_bullets", 2}}, "Intro\n* one\n- two"));
  CHECK_FALSE(strict("detectable_format:number_bullet_lists", {{"num_bullets", 2}}, "* one\n* two\n* three"));

  CHECK(strict("detectable_format:constrained_response", json::object(), "Sure. My answer is maybe."));
  CHECK_FALSE(strict("detectable_format:constrained_response", json::object(), "My answer is perhaps."));

  json highlights = {{"num_highlights", 2}};
  CHECK(strict("detectable_format:number_highlighted_sections", highlights, "*one* and *two*"));
  // "**" pairs are empty highlights; **bold** counts through the double-star rule.
  CHECK(strict("detectable_format:number_highlighted_sections", highlights, "**bold** and *it*"));
  CHECK_FALSE(strict("detectable_format:number_highlighted_sections", highlights, "just **bold**"));
  CHECK_FALSE(strict("detectable_format:number_highlighted_sections", highlights, "*one* and * *"));

  json sections = {{"section_spliter", "Section"}, {"num_sections", 2}};
  CHECK(strict("detectable_format:multiple_sections", sections, "Section 1\nintro\nSection 2\nmore"));
  CHECK_FALSE(strict("detectable_format:multiple_sections", sections, "Section 1\nintro\nSECTION 2\nmore"));

  CHECK(strict("detectable_format:json_format", json::object(), "```json\n{\"a\": [1, 2]}\n```"));
  CHECK_FALSE(strict("detectable_format:json_format", json::object(), "Here: {\"a\": 1}"));

  CHECK(strict("detectable_format:title", json::object(), "<<A Title>>\nText"));
  CHECK_FALSE(strict("detectable_format:title", json::object(), "<< >> and <<\nbroken>>"));
}

TEST_CASE("ifeval combination and startend checkers", "[ifeval]") {
  CHECK(strict("combination:two_responses", json::object(), "First answer.\n******\nSecond answer."));
  CHECK_FALSE(strict("combination:two_responses", json::object(), "Same.\n******\nSame."));
  CHECK_FALSE(strict("combination:two_responses", json::object(), "A\n******\n\n******\nB"));

  json repeat = {{"prompt_to_repeat", "Write a poem."}};
  CHECK(strict("combination:repeat_prompt", repeat, "  write a POEM. Roses are red."));
  CHECK_FALSE(strict("combination:repeat_prompt", repeat, "Sure! Write a poem. Roses are red."));

  json end = {{"end_phrase", "Any other questions?"}};
  CHECK(strict("startend:end_checker", end, "\"Done. any other questions?\"\n"));
  CHECK_FALSE(strict("startend:end_checker", end, "Any other questions? Bye."));

  CHECK(strict("startend:quotation", json::object(), " \"quoted\" "));
  CHECK_FALSE(strict("startend:quotation", json::object(), "\""));
}

TEST_CASE("ifeval change case and punctuation checkers", "[ifeval]") {
  json capitals = {{"capital_frequency", 3}, {"capital_relation", "at least"}};
  CHECK(strict("change_case:capital_word_frequency", capitals, "I DON'T like NASA's plan."));  // I DO N'T NASA
  CHECK_FALSE(strict("change_case:capital_word_frequency", capitals, "I like Nasa's plan. OK"));

  CHECK(strict("change_case:english_capital", json::object(),
               "THIS IS A SHORT STORY ABOUT A DOG WHO LOVED TO RUN IN THE PARK EVERY MORNING."));
  CHECK_FALSE(strict("change_case:english_capital", json::object(), "THIS IS Mostly CAPITALS."));

  CHECK(strict("change_case:english_lowercase", json::object(),
               "this is a short story about a dog who loved to run in the park every morning."));
  CHECK_FALSE(strict("change_case:english_lowercase", json::object(), "this is almost all lowercase. But"));
  CHECK_FALSE(strict("change_case:english_lowercase", json::object(),
                     "ceci est une petite histoire sur un chien qui aimait courir dans le parc chaque matin."));

  CHECK(strict("punctuation:no_comma", json::object(), "No commas here."));
  CHECK_FALSE(strict("punctuation:no_comma", json::object(), "Well, no."));
}

TEST_CASE("ifeval loose mode drops the first and last lines and asterisks", "[ifeval]") {
  // A chatty first line spoils the strict check only.
  const std::string chatty = "Sure, here it is:\n\"All wrapped up\"";
  CHECK_FALSE(strict("startend:quotation", json::object(), chatty));
  CHECK(loose("startend:quotation", json::object(), chatty));
  // A trailing sign-off line.
  json end = {{"end_phrase", "Is there anything else I can help with?"}};
  const std::string signed_off = "Answer.\nIs there anything else I can help with?\n-- Bot";
  CHECK_FALSE(strict("startend:end_checker", end, signed_off));
  CHECK(loose("startend:end_checker", end, signed_off));
  // Markdown bold hides the phrase from the strict check.
  json phrase = {{"end_phrase", "The end."}};
  CHECK_FALSE(strict("startend:end_checker", phrase, "Story.\n**The end.**"));
  CHECK(loose("startend:end_checker", phrase, "Story.\n**The end.**"));
  // Loose is never stricter than strict, and cannot rescue a real failure.
  CHECK_FALSE(loose("punctuation:no_comma", json::object(), "One, two,\nthree, four"));

  const std::vector<std::string> variants = loose_variants("a*\nb\nc*");
  REQUIRE(variants.size() == 8);
  CHECK(variants[1] == "a\nb\nc");
  CHECK(variants[2] == "b\nc*");
  CHECK(variants[3] == "a*\nb");
  CHECK(variants[4] == "b");
}

TEST_CASE("ifeval results carry per-instruction verdicts and one explanation", "[ifeval]") {
  auto result = evaluate("p",
                         {{"punctuation:no_comma", json::object()},
                          {"length_constraints:number_words", {{"num_words", 10}, {"relation", "at least"}}},
                          {"startend:quotation", json::object()}},
                         "Hi, there.\n\"quoted\"");
  REQUIRE(result.ok());
  REQUIRE(result->instructions.size() == 3);
  CHECK_FALSE(result->instructions[0].strict);
  CHECK(result->instructions[0].loose);  // the comma is on the first line
  CHECK_FALSE(result->instructions[1].loose);
  CHECK_FALSE(result->instructions[2].strict);
  CHECK(result->instructions[2].loose);
  CHECK_FALSE(result->prompt_strict);
  CHECK_FALSE(result->prompt_loose);
  CHECK(result->explanation == "punctuation:no_comma: contains a comma (followed once loosened)");
  CHECK(result->instructions[1].detail == "3 words, needs at least 10");

  // An empty response follows nothing, whatever the instruction.
  auto empty = evaluate("p", {{"punctuation:no_comma", json::object()}}, "   \n");
  REQUIRE(empty.ok());
  CHECK_FALSE(empty->prompt_loose);
  CHECK(empty->explanation == "punctuation:no_comma: empty response");
}
