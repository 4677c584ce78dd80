// The checker functions behind ifeval.h, one per instruction id, and the
// validated arguments they take. Private to benches/ifeval.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace qdrift::ifeval {

enum class Relation { kLessThan, kAtLeast };  // "less than", "at least"

// An instruction's kwargs after validation; each checker reads the fields its
// id declares (see the table in ifeval.cpp).
struct Args {
  std::string text;                // keyword, letter, language, marker, phrase, first word, splitter, prompt
  std::vector<std::string> words;  // keywords, forbidden words
  std::int64_t number = 0;         // the count or threshold
  std::int64_t nth = 0;            // nth_paragraph
  Relation relation = Relation::kAtLeast;
};

struct Verdict {
  bool followed = false;
  std::string detail;  // why, in a few words: "212 words, needs at least 300"
};

using Checker = Verdict (*)(const Args& args, std::string_view response);

bool compare(std::int64_t actual, Relation relation, std::int64_t threshold);
std::string describe(Relation relation, std::int64_t threshold);  // "at least 3" / "fewer than 3"

// keywords:* and language:*  (checkers_keywords.cpp)
Verdict check_keyword_existence(const Args&, std::string_view);
Verdict check_keyword_frequency(const Args&, std::string_view);
Verdict check_forbidden_words(const Args&, std::string_view);
Verdict check_letter_frequency(const Args&, std::string_view);
Verdict check_response_language(const Args&, std::string_view);

// length_constraints:*  (checkers_length.cpp)
Verdict check_number_sentences(const Args&, std::string_view);
Verdict check_number_paragraphs(const Args&, std::string_view);
Verdict check_number_words(const Args&, std::string_view);
Verdict check_nth_paragraph_first_word(const Args&, std::string_view);

// detectable_content:* and detectable_format:*  (checkers_format.cpp)
Verdict check_number_placeholders(const Args&, std::string_view);
Verdict check_postscript(const Args&, std::string_view);
Verdict check_number_bullet_lists(const Args&, std::string_view);
Verdict check_constrained_response(const Args&, std::string_view);
Verdict check_number_highlighted_sections(const Args&, std::string_view);
Verdict check_multiple_sections(const Args&, std::string_view);
Verdict check_json_format(const Args&, std::string_view);
Verdict check_title(const Args&, std::string_view);

// combination:*, startend:*, change_case:*, punctuation:*  (checkers_misc.cpp)
Verdict check_two_responses(const Args&, std::string_view);
Verdict check_repeat_prompt(const Args&, std::string_view);
Verdict check_end_phrase(const Args&, std::string_view);
Verdict check_quotation(const Args&, std::string_view);
Verdict check_capital_word_frequency(const Args&, std::string_view);
Verdict check_english_capital(const Args&, std::string_view);
Verdict check_english_lowercase(const Args&, std::string_view);
Verdict check_no_comma(const Args&, std::string_view);

}  // namespace qdrift::ifeval
