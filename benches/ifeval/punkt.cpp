// Punkt sentence splitting (Kiss & Strunk 2006) as nltk implements it:
//  1. every '.', '?' or '!' followed by whitespace+token or by closing
//     punctuation is a candidate; the word before it, the mark and what
//     follows form its context;
//  2. the context is split into punkt words and annotated: a first pass by
//     word type (abbreviation, ellipsis, or break), a second pass by the pair
//     of words (initials, numbers, abbreviations before a sentence starter);
//  3. breaks are realigned so closing quotes/brackets stay with their sentence.
// Offsets are code points, as in Python.
#include "ifeval/punkt.h"

#include <optional>

#include "ifeval/text.h"

namespace qdrift::ifeval {
namespace {

constexpr std::u32string_view kNonWord = U")\";}]*:@'({[?!";         // cannot appear inside words
constexpr std::u32string_view kNotWordStart = U"(\"`{[:;&#*@)}]-,";  // cannot start a word

bool in(std::u32string_view set, char32_t c) { return set.find(c) != set.npos; }

// Length of the multi-character punctuation at `pos` ("--", "...", ". . ."), or 0.
std::size_t multi_char_length(std::u32string_view s, std::size_t pos) {
  auto run = [&](char32_t c) {
    std::size_t end = pos;
    while (end < s.size() && s[end] == c) ++end;
    return end - pos;
  };
  if (std::size_t dashes = run(U'-'); dashes >= 2) return dashes;
  if (std::size_t dots = run(U'.'); dots >= 2) return dots;
  // (?:\.\s){2,}\.  -- pairs of ". " then a final '.'
  std::size_t pairs = 0;
  while (pos + 2 * pairs + 1 < s.size() && s[pos + 2 * pairs] == U'.' && is_space(s[pos + 2 * pairs + 1])) ++pairs;
  for (; pairs >= 2; --pairs) {
    if (pos + 2 * pairs < s.size() && s[pos + 2 * pairs] == U'.') return 2 * pairs + 1;
  }
  return 0;
}

// Where a word may end: before whitespace, the end, punctuation, or a comma
// that is itself followed by one of those.
bool word_ends_at(std::u32string_view s, std::size_t pos) {
  auto plain_end = [&](std::size_t at) {
    return at >= s.size() || is_space(s[at]) || in(kNonWord, s[at]) || multi_char_length(s, at) > 0;
  };
  if (plain_end(pos)) return true;
  return s[pos] == U',' && plain_end(pos + 1);
}

// ^-?[\.,]?\d[\d,\.-]*\.?$
bool is_numeric(std::u32string_view s) {
  std::size_t pos = 0;
  if (pos < s.size() && s[pos] == U'-') ++pos;
  if (pos < s.size() && (s[pos] == U'.' || s[pos] == U',')) ++pos;
  if (pos >= s.size() || !is_digit(s[pos])) return false;
  ++pos;
  while (pos < s.size() && (is_digit(s[pos]) || s[pos] == U',' || s[pos] == U'.' || s[pos] == U'-')) ++pos;
  // The greedy run may have eaten the optional final '.', which is fine.
  return pos == s.size();
}

struct Token {
  std::u32string text;
  std::u32string type;  // lowercased, numbers collapsed to "##number##"
  bool sentbreak = false;
  bool abbreviation = false;
  bool ellipsis = false;

  explicit Token(std::u32string_view word) : text(word) {
    for (char32_t c : word) type.push_back(to_lower(c));
    if (is_numeric(type)) type = U"##number##";
  }
  bool period_final() const { return !text.empty() && text.back() == U'.'; }
  std::u32string type_no_period() const {
    return type.size() > 1 && type.back() == U'.' ? type.substr(0, type.size() - 1) : type;
  }
  std::u32string type_no_sentperiod() const { return sentbreak ? type_no_period() : type; }
  bool first_upper() const { return !text.empty() && is_upper(text[0]); }
  bool first_lower() const { return !text.empty() && is_lower(text[0]); }
  // [^\W\d]\.  -- one letter and a period
  bool is_initial() const { return text.size() == 2 && text[1] == U'.' && is_word(text[0]) && !is_digit(text[0]); }
  bool is_ellipsis() const { return text.size() >= 2 && text.find_first_not_of(U'.') == text.npos; }
};

// Orthographic context flags, as punkt's training collects them.
constexpr int kBegUpper = 1 << 1, kMidUpper = 1 << 2, kBegLower = 1 << 4, kMidLower = 1 << 5, kUnkLower = 1 << 6;
constexpr int kAnyLower = kBegLower | kMidLower | kUnkLower;
constexpr int kAnyUpper = kBegUpper | kMidUpper | (1 << 3);

// Our stand-in for the trained model's orthographic table: common words were
// seen lowercase mid-sentence and capitalized only at sentence starts; any
// other word (names, rare words) was never seen.
int ortho_context(std::u32string_view type) {
  return punkt_lexicon::is_common_lowercase_word(type) ? (kMidLower | kBegUpper) : 0;
}

enum class Starter { kYes, kNo, kUnknown };

Starter ortho_heuristic(const Token& token) {
  if (token.text.size() == 1 && in(U";:,.!?", token.text[0])) return Starter::kNo;
  const int context = ortho_context(token.type_no_sentperiod());
  if (token.first_upper() && (context & kAnyLower) && !(context & kMidUpper)) return Starter::kYes;
  if (token.first_lower() && ((context & kAnyUpper) || !(context & kBegLower))) return Starter::kNo;
  return Starter::kUnknown;
}

void first_pass(Token& token) {
  const std::u32string& text = token.text;
  if (text.size() == 1 && in(U".?!", text[0])) {
    token.sentbreak = true;
  } else if (token.is_ellipsis()) {
    token.ellipsis = true;
  } else if (token.period_final() && !(text.size() >= 2 && text[text.size() - 2] == U'.')) {
    std::u32string stem;
    for (std::size_t i = 0; i + 1 < text.size(); ++i) stem.push_back(to_lower(text[i]));
    const std::size_t hyphen = stem.rfind(U'-');
    const std::u32string last_part = hyphen == stem.npos ? stem : stem.substr(hyphen + 1);
    if (punkt_lexicon::is_abbreviation(stem) || punkt_lexicon::is_abbreviation(last_part)) {
      token.abbreviation = true;
    } else {
      token.sentbreak = true;
    }
  }
}

// Revisits `token` knowing the word after it (collocations and frequent
// sentence starters are empty in our model, so those steps are absent).
void second_pass(Token& token, const Token& next) {
  if (!token.period_final()) return;
  const bool initial = token.is_initial();
  if ((token.abbreviation || token.ellipsis) && !initial) {
    if (ortho_heuristic(next) == Starter::kYes) {
      token.sentbreak = true;
      return;
    }
  }
  if (initial || token.type_no_period() == U"##number##") {
    const Starter starter = ortho_heuristic(next);
    if (starter == Starter::kNo) {
      token.sentbreak = false;
      token.abbreviation = true;
      return;
    }
    // "J. Bach": an initial before a word never seen lowercase.
    if (starter == Starter::kUnknown && initial && next.first_upper() &&
        !(ortho_context(next.type_no_sentperiod()) & kAnyLower)) {
      token.sentbreak = false;
      token.abbreviation = true;
    }
  }
}

// True when a token other than the last one in `context` ends a sentence.
bool contains_sentence_break(std::u32string_view context) {
  std::vector<Token> tokens;
  std::size_t line_start = 0;
  while (line_start <= context.size()) {
    std::size_t line_end = context.find(U'\n', line_start);
    if (line_end == context.npos) line_end = context.size();
    for (std::u32string& word : punkt_words(context.substr(line_start, line_end - line_start))) {
      tokens.emplace_back(word);
    }
    line_start = line_end + 1;
  }
  for (Token& token : tokens) first_pass(token);
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    second_pass(tokens[i], tokens[i + 1]);
    if (tokens[i].sentbreak) return true;
  }
  return false;
}

struct Candidate {
  std::size_t mark;                       // index of '.', '?' or '!'
  std::size_t after_end;                  // end of the lookahead (punctuation, or whitespace + next token)
  std::optional<std::size_t> next_token;  // start of the next token, when whitespace follows
};

std::vector<Candidate> candidates(std::u32string_view text) {
  std::vector<Candidate> found;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (!in(U".?!", text[i])) continue;
    if (in(kNonWord, text[i + 1])) {
      found.push_back({i, i + 2, std::nullopt});
    } else if (is_space(text[i + 1])) {
      std::size_t next = i + 1;
      while (next < text.size() && is_space(text[next])) ++next;
      if (next == text.size()) continue;
      std::size_t end = next;
      while (end < text.size() && !is_space(text[end])) ++end;
      found.push_back({i, end, next});
    }
  }
  return found;
}

bool is_ascii_space(char32_t c) { return c == U' ' || (c >= 0x09 && c <= 0x0D); }

struct Slice {
  std::size_t begin, end;
};

// Sentence slices before realignment: one per candidate whose context holds a
// break, plus the rest of the text.
std::vector<Slice> raw_slices(std::u32string_view text) {
  std::vector<Slice> slices;
  std::size_t last_break = 0;
  auto consider = [&](const Candidate& candidate, Slice word) {
    std::u32string context(text.substr(word.begin, word.end - word.begin));
    context.append(text.substr(candidate.mark, candidate.after_end - candidate.mark));
    if (!contains_sentence_break(context)) return;
    slices.push_back({last_break, candidate.mark + 1});
    last_break = candidate.next_token ? *candidate.next_token : candidate.mark + 1;
  };
  // A candidate whose preceding word overlaps the next candidate's (as in
  // "!!!") gives way to the later one.
  std::optional<Candidate> previous;
  Slice previous_word{0, 0};
  for (const Candidate& candidate : candidates(text)) {
    std::size_t word_begin = previous_word.begin;
    for (std::size_t i = candidate.mark; i > previous_word.end + 1;) {
      --i;
      if (is_ascii_space(text[i])) {
        word_begin = i + 1;
        break;
      }
    }
    const Slice word{word_begin, candidate.mark};
    if (previous && previous_word.end <= word.begin) consider(*previous, previous_word);
    previous = candidate;
    previous_word = word;
  }
  if (previous) consider(*previous, previous_word);
  std::size_t end = text.size();  // the last sentence stops before trailing whitespace
  while (end > 0 && is_space(text[end - 1])) --end;
  slices.push_back({last_break, end});
  return slices;
}

// ["')\]}]+?(?:\s+|(?=--)|$) at the start of `s`: the length matched and the
// length without trailing whitespace, or nothing.
std::optional<std::pair<std::size_t, std::size_t>> realignment(std::u32string_view s) {
  for (std::size_t closers = 1; closers <= s.size() && in(U"\"')]}", s[closers - 1]); ++closers) {
    std::size_t end = closers;
    while (end < s.size() && is_space(s[end])) ++end;
    if (end > closers) return std::make_pair(end, closers);
    if (s.substr(closers, 2) == U"--" || closers == s.size() || s[closers] == U'\n') {
      return std::make_pair(closers, closers);
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::u32string> punkt_words(std::u32string_view line) {
  std::vector<std::u32string> words;
  for (std::size_t pos = 0; pos < line.size();) {
    if (is_space(line[pos])) {
      ++pos;
      continue;
    }
    std::size_t end = pos + multi_char_length(line, pos);
    if (end == pos && !in(kNotWordStart, line[pos])) {
      end = pos + 1;
      while (!word_ends_at(line, end)) ++end;
    }
    if (end == pos) end = pos + 1;  // any other single character
    words.emplace_back(line.substr(pos, end - pos));
    pos = end;
  }
  return words;
}

std::vector<std::string> split_sentences(std::string_view text_utf8) {
  const std::u32string text = decode_utf8(text_utf8);
  const std::vector<Slice> slices = raw_slices(text);
  std::vector<std::string> sentences;
  auto emit = [&](Slice slice) {
    const std::size_t length = slice.end > slice.begin ? slice.end - slice.begin : 0;
    sentences.push_back(encode_utf8(std::u32string_view(text).substr(slice.begin, length)));
  };
  std::size_t shift = 0;  // closing punctuation moved into the previous sentence
  for (std::size_t i = 0; i < slices.size(); ++i) {
    Slice current{slices[i].begin + shift, slices[i].end};
    if (i + 1 == slices.size()) {
      if (current.end > current.begin) emit(current);
      break;
    }
    const Slice next = slices[i + 1];
    const std::u32string_view next_text =
        next.end > next.begin ? std::u32string_view(text).substr(next.begin, next.end - next.begin) : U"";
    if (auto moved = realignment(next_text)) {
      emit({current.begin, next.begin + moved->second});
      shift = moved->first;
    } else {
      shift = 0;
      if (current.end > current.begin) emit(current);
    }
  }
  return sentences;
}

std::size_t count_sentences(std::string_view text) { return split_sentences(text).size(); }

}  // namespace qdrift::ifeval
