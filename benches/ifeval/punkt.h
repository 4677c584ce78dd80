// Sentence splitting that behaves like nltk's Punkt tokenizer with its
// pretrained English model, which the IFEval reference uses to count
// sentences. The algorithm (candidate contexts, two annotation passes,
// boundary realignment) is followed step by step; the trained model is not
// available as a Debian package, so its parameters are approximated by
// punkt_lexicon: a hand-written list of common abbreviations and of common
// words that start sentences (the "orthographic context").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace qdrift::ifeval {

std::vector<std::string> split_sentences(std::string_view text);
std::size_t count_sentences(std::string_view text);

// Punkt's own word tokenizer (used inside the sentence splitter): splits off
// punctuation other than periods. Exposed for tests.
std::vector<std::u32string> punkt_words(std::u32string_view line);

namespace punkt_lexicon {
// Lowercase, no final period: "dr", "e.g", "u.s".
bool is_abbreviation(std::u32string_view type);
// A lowercase word often seen lowercase mid-sentence and rarely capitalized
// there, so a capitalized occurrence after a period suggests a new sentence.
bool is_common_lowercase_word(std::u32string_view type);
}  // namespace punkt_lexicon

}  // namespace qdrift::ifeval
