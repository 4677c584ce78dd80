// Sentence splitting, word tokens and Python string semantics on inputs
// written for these tests; expected values are what nltk gives for them.
#include "ifeval/punkt.h"

#include <catch2/catch.hpp>

#include "ifeval/text.h"
#include "ifeval/word_tokenize.h"

using namespace qdrift::ifeval;
using Sentences = std::vector<std::string>;

TEST_CASE("punkt splits on terminal punctuation followed by a new token", "[ifeval]") {
  CHECK(split_sentences("Hello there. How are you? Fine!") == Sentences{"Hello there.", "How are you?", "Fine!"});
  CHECK(count_sentences("") == 0);
  CHECK(count_sentences("   ") == 0);
  CHECK(count_sentences("No final period") == 1);
  // Newlines alone never end a sentence: a list without periods is one sentence.
  CHECK(count_sentences("Title\n\n- first item\n- second item") == 1);
  // A period glued to the next word is not a candidate.
  CHECK(count_sentences("Visit example.com today.") == 1);
}

TEST_CASE("punkt keeps abbreviations decimals and initials inside sentences", "[ifeval]") {
  CHECK(count_sentences("Dr. Smith met Mr. Jones at 3 p.m. on Monday.") == 1);
  CHECK(count_sentences("It costs 3.5 dollars, e.g. on sale.") == 1);
  CHECK(count_sentences("The music of J. S. Bach lives on.") == 1);
  // A number before a lowercase word is not a sentence end ("in 2020. and").
  CHECK(count_sentences("Founded in 1999. and still going.") == 1);
  // ...but an abbreviation before a common capitalized word is.
  CHECK(count_sentences("We sold apples, pears, etc. The rest rotted.") == 2);
}

TEST_CASE("punkt treats ellipses and stacked marks like nltk", "[ifeval]") {
  CHECK(count_sentences("Wait... what happened?") == 1);           // ellipsis before lowercase
  CHECK(count_sentences("I waited... The bus never came.") == 2);  // before a sentence starter
  CHECK(split_sentences("Very bad acting!!! I promise.") == Sentences{"Very bad acting!!!", "I promise."});
}

TEST_CASE("punkt realigns closing quotes and brackets", "[ifeval]") {
  CHECK(split_sentences("(Sent one.) Sent two.") == Sentences{"(Sent one.)", "Sent two."});
  CHECK(split_sentences("He said \"stop.\" Then he left.") == Sentences{"He said \"stop.\"", "Then he left."});
}

TEST_CASE("punkt word tokenizer splits punctuation but not periods", "[ifeval]") {
  auto words = [](std::u32string_view line) {
    std::vector<std::string> out;
    for (const std::u32string& word : punkt_words(line)) out.push_back(encode_utf8(word));
    return out;
  };
  CHECK(words(U"Hello, world... (really)?") ==
        std::vector<std::string>{"Hello", ",", "world", "...", "(", "really", ")", "?"});
  CHECK(words(U"e.g. 3.14 -- ok") == std::vector<std::string>{"e.g.", "3.14", "--", "ok"});
}

TEST_CASE("word_tokenize follows the Treebank rules for capital words", "[ifeval]") {
  CHECK(word_tokenize("I DON'T know.") == std::vector<std::string>{"I", "DO", "N'T", "know", "."});
  CHECK(word_tokenize("NASA's \"AI-first\" plan (2024)") ==
        std::vector<std::string>{"NASA", "'s", "``", "AI-first", "''", "plan", "(", "2024", ")"});
  CHECK(count_capital_words("WE CANNOT STOP, OK?") == 5);  // WE CAN NOT STOP OK
  CHECK(count_capital_words("A-B-C is one word; 123 is none.") == 1);
  CHECK(count_words("It's 2 o'clock, naïve café!") == 7);
}

TEST_CASE("text helpers follow Python str semantics", "[ifeval]") {
  CHECK(strip("\u00a0\t hi \u3000\n") == "hi");
  CHECK(strip_chars("\"\"quoted\"", "\"") == "quoted");
  CHECK(lower("ÉCOLE Straße ΣΑΣ") == "école straße σασ");
  CHECK(is_upper_text("HELLO, WORLD 123"));
  CHECK(is_upper_text("ÉTÉ"));
  CHECK_FALSE(is_upper_text("123 !"));  // no cased character
  CHECK_FALSE(is_upper_text("HELLo"));
  CHECK(is_lower_text("héllo 42"));
  CHECK_FALSE(is_lower_text("hello I"));
  CHECK(split("a**b**", "**") == std::vector<std::string_view>{"a", "b", ""});
  CHECK(split_whitespace(" a \n b\u3000c ") == std::vector<std::string_view>{"a", "b", "c"});
  CHECK(decode_utf8("a\xff"
                    "b") == U"a\uFFFDb");  // invalid bytes never throw
}
