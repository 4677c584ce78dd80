// Word tokens as nltk.word_tokenize() makes them (punkt sentences, then the
// improved Treebank rules), which the reference uses to count words in all
// capital letters: "DON'T" is two tokens, "NASA's" is "NASA" + "'s", and a
// hyphenated word stays one token.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace qdrift::ifeval {

std::vector<std::string> word_tokenize(std::string_view text);

// Tokens that str.isupper() accepts.
std::size_t count_capital_words(std::string_view text);

// Runs of regex \w (Unicode letters, digits, '_'), the reference's word count.
std::size_t count_words(std::string_view text);

}  // namespace qdrift::ifeval
