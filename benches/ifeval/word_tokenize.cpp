// nltk's NLTKWordTokenizer as an ordered list of regex substitutions, applied
// to each punkt sentence; the rules are restated here in PCRE2 syntax.
#include "ifeval/word_tokenize.h"

#include <utility>

#include "ifeval/pattern.h"
#include "ifeval/punkt.h"
#include "ifeval/text.h"

namespace qdrift::ifeval {
namespace {

struct Rule {
  Pattern pattern;
  std::string_view replacement;
};

Rule rule(std::string_view regex, std::string_view replacement) { return {Pattern::fixed(regex), replacement}; }

// Before the text is padded with spaces.
const std::vector<Rule>& leading_rules() {
  static const std::vector<Rule> rules = {
      // Opening quotes.
      rule("([«“‘„]|[`]+)", " $1 "),
      rule("^\"", "``"),
      rule("(``)", " $1 "),
      rule("([ \\(\\[{<])(\"|'{2})", "$1 `` "),
      rule("(?i)(')(?!re|ve|ll|m|t|s|d|n)(\\w)\\b", "$1 $2"),
      // Punctuation.
      rule("([^\\.])(\\.)([\\]\\)}>\"'»”’ ]*)\\s*$", "$1 $2 $3 "),
      rule("([:,])([^\\d])", " $1 $2"),
      rule("([:,])$", " $1 "),
      rule("\\.{2,}", " $0 "),
      rule("[;@#$%&]", " $0 "),
      rule("([^\\.])(\\.)([\\]\\)}>\"']*)\\s*$", "$1 $2$3 "),
      rule("[?!]", " $0 "),
      rule("([^'])' ", "$1 ' "),
      rule("[*]", " $0 "),
      // Brackets and double dashes.
      rule("[\\]\\[\\(\\)\\{\\}\\<\\>]", " $0 "),
      rule("--", " -- "),
  };
  return rules;
}

// After padding: closing quotes, clitics and fused words ("cannot").
const std::vector<Rule>& trailing_rules() {
  static const std::vector<Rule> rules = {
      rule("([»”’])", " $1 "),
      rule("''", " '' "),
      rule("\"", " '' "),
      rule("([^' ])('[sS]|'[mM]|'[dD]|') ", "$1 $2 "),
      rule("([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ", "$1 $2 "),
      rule("(?i)\\b(can)(?#X)(not)\\b", " $1 $2 "),
      rule("(?i)\\b(d)(?#X)('ye)\\b", " $1 $2 "),
      rule("(?i)\\b(gim)(?#X)(me)\\b", " $1 $2 "),
      rule("(?i)\\b(gon)(?#X)(na)\\b", " $1 $2 "),
      rule("(?i)\\b(got)(?#X)(ta)\\b", " $1 $2 "),
      rule("(?i)\\b(lem)(?#X)(me)\\b", " $1 $2 "),
      rule("(?i)\\b(more)(?#X)('n)\\b", " $1 $2 "),
      rule("(?i)\\b(wan)(?#X)(na)(?=\\s)", " $1 $2 "),
      rule("(?i) ('t)(?#X)(is)\\b", " $1 $2 "),
      rule("(?i) ('t)(?#X)(was)\\b", " $1 $2 "),
  };
  return rules;
}

std::vector<std::string> tokenize_sentence(std::string text) {
  for (const Rule& r : leading_rules()) text = r.pattern.replace_all(text, r.replacement);
  text = " " + text + " ";
  for (const Rule& r : trailing_rules()) text = r.pattern.replace_all(text, r.replacement);
  std::vector<std::string> tokens;
  for (std::string_view token : split_whitespace(text)) tokens.emplace_back(token);
  return tokens;
}

}  // namespace

std::vector<std::string> word_tokenize(std::string_view text) {
  std::vector<std::string> tokens;
  for (std::string& sentence : split_sentences(text)) {
    for (std::string& token : tokenize_sentence(std::move(sentence))) tokens.push_back(std::move(token));
  }
  return tokens;
}

std::size_t count_capital_words(std::string_view text) {
  std::size_t capitals = 0;
  for (const std::string& token : word_tokenize(text)) capitals += is_upper_text(token) ? 1 : 0;
  return capitals;
}

std::size_t count_words(std::string_view text) {
  static const Pattern word = Pattern::fixed("\\w+");
  return word.count(text);
}

}  // namespace qdrift::ifeval
