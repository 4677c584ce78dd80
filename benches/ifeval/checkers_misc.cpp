// combination:*, startend:*, change_case:* and punctuation:no_comma.
#include <string>

#include "ifeval/checkers.h"
#include "ifeval/language.h"
#include "ifeval/text.h"
#include "ifeval/word_tokenize.h"

namespace qdrift::ifeval {
namespace {

// The case checks also want English; the reference's language guard.
Verdict english_in_case(std::string_view response, bool upper) {
  const char* wanted = upper ? "capital" : "lowercase";
  if (!(upper ? is_upper_text(response) : is_lower_text(response))) {
    return {false, std::string("not all ") + wanted + " letters"};
  }
  const DetectedLanguage detected = detect_language(response);
  if (!detected.has_features) return {true, "no letters to identify a language by"};
  if (detected.code != "en") {
    return {false, std::string("all ") + wanted + " but language is " +
                       (detected.code.empty() ? std::string("unknown") : detected.code) + ", needs en"};
  }
  return {true, std::string("English in all ") + wanted + " letters"};
}

}  // namespace

Verdict check_two_responses(const Args&, std::string_view response) {
  const std::vector<std::string_view> pieces = split(response, "******");
  std::vector<std::string_view> responses;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (!strip(pieces[i]).empty()) {
      responses.push_back(pieces[i]);
    } else if (i != 0 && i + 1 != pieces.size()) {
      return {false, "an empty response between ****** separators"};
    }
  }
  if (responses.size() != 2) {
    return {false, std::to_string(responses.size()) + " responses separated by ******, needs 2"};
  }
  if (strip(responses[0]) == strip(responses[1])) return {false, "the two responses are the same"};
  return {true, "two different responses"};
}

Verdict check_repeat_prompt(const Args& args, std::string_view response) {
  const bool repeated = starts_with(lower(strip(response)), lower(strip(args.text)));
  return {repeated, repeated ? "starts by repeating the request" : "does not start by repeating the request"};
}

Verdict check_end_phrase(const Args& args, std::string_view response) {
  const std::string phrase = lower(strip(args.text));
  const bool ends = ends_with(lower(strip_chars(strip(response), "\"")), phrase);
  return {ends, ends ? "ends with '" + phrase + "'" : "does not end with '" + phrase + "'"};
}

Verdict check_quotation(const Args&, std::string_view response) {
  const std::u32string text = decode_utf8(strip(response));
  const bool quoted = text.size() > 1 && text.front() == U'"' && text.back() == U'"';
  return {quoted, quoted ? "wrapped in double quotes" : "not wrapped in double quotes"};
}

Verdict check_capital_word_frequency(const Args& args, std::string_view response) {
  const auto capitals = static_cast<std::int64_t>(count_capital_words(response));
  return {compare(capitals, args.relation, args.number),
          std::to_string(capitals) + " words in capitals, needs " + describe(args.relation, args.number)};
}

Verdict check_english_capital(const Args&, std::string_view response) { return english_in_case(response, true); }

Verdict check_english_lowercase(const Args&, std::string_view response) { return english_in_case(response, false); }

Verdict check_no_comma(const Args&, std::string_view response) {
  const bool none = response.find(',') == response.npos;
  return {none, none ? "no commas" : "contains a comma"};
}

}  // namespace qdrift::ifeval
