// The writer's parts: every filler sentence is identified as its language,
// bans keep words and letters out of the filler, and the renderer lays out
// what the plan asks for.
#include <catch2/catch.hpp>

#include "ifeval/language.h"
#include "ifeval/punkt.h"
#include "ifeval/writer_filler.h"
#include "ifeval/writer_render.h"

using namespace qdrift::ifeval;
using namespace qdrift::ifeval::writer;

TEST_CASE("ifeval writer filler sentences are identified as their language", "[ifeval]") {
  for (std::string_view code : {"en", "de", "fr", "es", "it", "pt", "fi", "sw", "vi", "ru", "bg", "hi", "mr",
                                "ne", "bn", "pa", "gu", "kn", "te", "ta", "th", "ko", "ja", "ar", "fa", "ur"}) {
    const std::vector<std::string_view>* sentences = language_sentences(code);
    REQUIRE(sentences);
    CHECK(sentences->size() >= 6);
    std::string all;
    for (std::string_view sentence : *sentences) {
      INFO(code << ": " << sentence);
      CHECK(detect_language(sentence).code == std::string(code));
      CHECK(sentence.find(',') == std::string_view::npos);
      all += std::string(sentence) + " ";
    }
    CHECK(detect_language(all).code == std::string(code));
  }
  CHECK(language_sentences("xx") == nullptr);
}

TEST_CASE("ifeval writer filler keeps out banned words and letters", "[ifeval]") {
  Plan plan;
  plan.banned_words = {"the"};
  plan.banned_letters = {"e"};
  const Filler filler(plan, 0);
  REQUIRE_FALSE(filler.empty());
  for (std::size_t i = 0; i < 20; ++i) {
    const std::string sentence = filler.sentence(i, 2);
    INFO(sentence);
    CHECK(sentence.find('e') == std::string::npos);
    CHECK(sentence.find('E') == std::string::npos);
  }
  CHECK(filler.letter_word("z").find('z') != std::string::npos);
  CHECK(split_terminal("Done here.") == std::pair<std::string, std::string>{"Done here", "."});
  CHECK(split_terminal("\u0906\u091C \u0939\u0948\u0964").second == "\u0964");
}

TEST_CASE("ifeval writer renders sections bullets and paragraphs where the checkers look", "[ifeval]") {
  Plan plan;
  plan.section_splitter = "PART";
  plan.sections = 2;
  plan.bullets = 2;
  plan.title = true;
  plan.postscript = "P.S.";
  plan.end_phrase = "The end.";
  Knobs knobs;
  knobs.sentences = 4;
  const Filler filler(plan, 3);
  const std::string text = render(plan, knobs, filler);
  INFO(text);
  CHECK(text.rfind("<<", 0) == 0);
  CHECK(text.find("\nPART 1\n") != std::string::npos);
  CHECK(text.find("\n\nPART 2\n") != std::string::npos);
  CHECK(text.find("\n* ") != std::string::npos);
  CHECK(text.find("\nP.S. ") != std::string::npos);
  CHECK(text.substr(text.size() - 9) == "\nThe end.");
  // Filler sentences run together stay one sentence each.
  Plan plain;
  const Filler english(plain, 0);
  CHECK(count_sentences(english.sentence(0, 3)) == 1);
}
