// length_constraints:*: sentences (punkt), words (\w+ runs), paragraphs split
// by "***" or by blank lines.
#include <string>

#include "ifeval/checkers.h"
#include "ifeval/pattern.h"
#include "ifeval/punkt.h"
#include "ifeval/text.h"
#include "ifeval/word_tokenize.h"

namespace qdrift::ifeval {

Verdict check_number_sentences(const Args& args, std::string_view response) {
  const auto sentences = static_cast<std::int64_t>(count_sentences(response));
  return {compare(sentences, args.relation, args.number),
          std::to_string(sentences) + " sentences, needs " + describe(args.relation, args.number)};
}

Verdict check_number_paragraphs(const Args& args, std::string_view response) {
  static const Pattern divider = Pattern::fixed("\\s?\\*\\*\\*\\s?");
  const std::vector<std::string_view> paragraphs = divider.split(response);
  auto count = static_cast<std::int64_t>(paragraphs.size());
  for (std::size_t i = 0; i < paragraphs.size(); ++i) {
    if (!strip(paragraphs[i]).empty()) continue;
    // An empty piece is tolerated only before the first or after the last divider.
    if (i != 0 && i + 1 != paragraphs.size()) return {false, "empty paragraph between two *** dividers"};
    --count;
  }
  return {count == args.number,
          std::to_string(count) + " paragraphs separated by ***, needs " + std::to_string(args.number)};
}

Verdict check_number_words(const Args& args, std::string_view response) {
  const auto words = static_cast<std::int64_t>(count_words(response));
  return {compare(words, args.relation, args.number),
          std::to_string(words) + " words, needs " + describe(args.relation, args.number)};
}

Verdict check_nth_paragraph_first_word(const Args& args, std::string_view response) {
  const std::vector<std::string_view> paragraphs = split(response, "\n\n");
  std::int64_t count = 0;
  for (std::string_view paragraph : paragraphs) count += strip(paragraph).empty() ? 0 : 1;
  // Like the reference, the nth piece is counted among all pieces, empty ones
  // included, while the paragraph count skips empty ones.
  if (args.nth > count) {
    return {false, std::to_string(count) + " paragraphs, so there is no paragraph " + std::to_string(args.nth)};
  }
  const std::string_view paragraph = strip(paragraphs[static_cast<std::size_t>(args.nth - 1)]);
  if (paragraph.empty()) return {false, "paragraph " + std::to_string(args.nth) + " is empty"};
  std::string_view word = split_whitespace(paragraph).front();
  word = lstrip_chars(lstrip_chars(word, "'"), "\"");
  std::string first_word;
  for (char32_t c : decode_utf8(word)) {
    if (std::u32string_view(U".,?!'\"").find(c) != std::u32string_view::npos) break;
    first_word += encode_utf8(std::u32string(1, to_lower(c)));
  }
  const std::string wanted = lower(args.text);
  const bool followed = count == args.number && first_word == wanted;
  return {followed, std::to_string(count) + " paragraphs (needs " + std::to_string(args.number) + "), paragraph " +
                        std::to_string(args.nth) + " starts with '" + first_word + "' (needs '" + wanted + "')"};
}

}  // namespace qdrift::ifeval
