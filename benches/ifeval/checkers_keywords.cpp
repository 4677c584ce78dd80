// keywords:* and language:response_language. As in the reference, keywords
// are regular expressions matched case-insensitively (in practice plain words).
#include <string>

#include "ifeval/checkers.h"
#include "ifeval/language.h"
#include "ifeval/pattern.h"
#include "ifeval/text.h"

namespace qdrift::ifeval {

bool compare(std::int64_t actual, Relation relation, std::int64_t threshold) {
  return relation == Relation::kLessThan ? actual < threshold : actual >= threshold;
}

std::string describe(Relation relation, std::int64_t threshold) {
  return (relation == Relation::kLessThan ? "fewer than " : "at least ") + std::to_string(threshold);
}

Verdict check_keyword_existence(const Args& args, std::string_view response) {
  for (const std::string& keyword : args.words) {
    Result<Pattern> pattern = Pattern::compile(keyword, Pattern::kIgnoreCase);
    if (!pattern.ok()) return {false, pattern.status().message()};
    if (!pattern->search(response)) return {false, "keyword '" + keyword + "' is missing"};
  }
  return {true, "all keywords present"};
}

Verdict check_keyword_frequency(const Args& args, std::string_view response) {
  const std::string keyword(strip(args.text));
  Result<Pattern> pattern = Pattern::compile(keyword, Pattern::kIgnoreCase);
  if (!pattern.ok()) return {false, pattern.status().message()};
  const auto occurrences = static_cast<std::int64_t>(pattern->count(response));
  return {compare(occurrences, args.relation, args.number), "'" + keyword + "' appears " + std::to_string(occurrences) +
                                                                " times, needs " +
                                                                describe(args.relation, args.number)};
}

Verdict check_forbidden_words(const Args& args, std::string_view response) {
  for (const std::string& word : args.words) {
    Result<Pattern> pattern = Pattern::compile("\\b" + word + "\\b", Pattern::kIgnoreCase);
    if (!pattern.ok()) return {false, pattern.status().message()};
    if (pattern->search(response)) return {false, "uses forbidden word '" + word + "'"};
  }
  return {true, "no forbidden word"};
}

Verdict check_letter_frequency(const Args& args, std::string_view response) {
  const std::u32string letter = decode_utf8(lower(strip(args.text)));
  std::int64_t occurrences = 0;
  if (letter.size() == 1) {
    for (char32_t c : decode_utf8(lower(response))) occurrences += c == letter[0] ? 1 : 0;
  }
  return {compare(occurrences, args.relation, args.number), "letter '" + encode_utf8(letter) + "' appears " +
                                                                std::to_string(occurrences) + " times, needs " +
                                                                describe(args.relation, args.number)};
}

Verdict check_response_language(const Args& args, std::string_view response) {
  const DetectedLanguage detected = detect_language(response);
  // The reference counts text it cannot classify (no letters) as followed.
  if (!detected.has_features) return {true, "no letters to identify a language by"};
  const std::string found = detected.code.empty() ? "unknown" : detected.code;
  return {detected.code == args.text, "language is " + found + ", needs " + args.text};
}

}  // namespace qdrift::ifeval
