// normalize_latex_answer as a short pipeline of single-purpose passes.
#include "common/latex_normalize.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "common/latex_text.h"
#include "util/utf8.h"

namespace qdrift::scoring {

namespace {

bool is_letter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

template <std::size_t N>
bool one_of(std::string_view word, const std::array<std::string_view, N>& words) {
  for (std::string_view candidate : words) {
    if (word == candidate) return true;
  }
  return false;
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// Math delimiters around the whole answer, a wrapping \boxed{}, then every '$'.
std::string strip_delimiters(std::string_view answer) {
  std::string_view text = trim(answer);
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kPairs = {
      {{"$$", "$$"}, {"$", "$"}, {"\\(", "\\)"}, {"\\[", "\\]"}}};
  for (bool stripped = true; stripped;) {
    stripped = false;
    while (text.ends_with(".")) {  // "$\frac{1}{2}$." ends a sentence
      text = trim(text.substr(0, text.size() - 1));
      stripped = true;
    }
    for (auto [open, close] : kPairs) {
      if (text.size() >= open.size() + close.size() && text.starts_with(open) && text.ends_with(close)) {
        text = trim(text.substr(open.size(), text.size() - open.size() - close.size()));
        stripped = true;
      }
    }
    for (std::string_view box : {std::string_view("\\boxed{"), std::string_view("\\fbox{")}) {
      auto close = text.starts_with(box) ? closing_brace(text, box.size() - 1) : std::nullopt;
      if (close && *close + 1 == text.size()) {
        text = trim(text.substr(box.size(), *close - box.size()));
        stripped = true;
      }
    }
  }
  std::string out;
  for (char c : text) {
    if (c != '$') out.push_back(c);
  }
  replace_all(out, "\xE2\x88\x92", "-");       // U+2212 minus
  replace_all(out, "\xC3\x97", "*");           // U+00D7 times
  replace_all(out, "\xC2\xB7", "*");           // U+00B7 middle dot
  replace_all(out, "\xCF\x80", "\\pi ");       // U+03C0 pi
  replace_all(out, "\xC2\xB0", "");            // U+00B0 degree
  replace_all(out, "\xE2\x88\x9A", "\\sqrt");  // U+221A square root
  return out;
}

std::string rewrite_commands(std::string_view text);

// "\text{...}" at `pos` (the backslash): its content, or nothing when it is a
// trailing unit after a value. Returns the position after the group.
std::size_t rewrite_text_group(std::string_view text, std::size_t pos, std::size_t word_size, std::string& out) {
  const std::size_t open = pos + 1 + word_size;
  auto close = closing_brace(text, open);
  if (!close) return open;  // unclosed: drop the command, keep going
  const std::string_view content = text.substr(open + 1, *close - open - 1);
  const bool words_only =
      content.find_first_not_of(" .abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string_view::npos;
  const bool at_end = trim(text.substr(*close + 1)).find_first_not_of(".") == std::string_view::npos;
  const bool after_value = !trim(out).empty();
  if (!(words_only && at_end && after_value)) out += rewrite_commands(content);
  return *close + 1;
}

// Drops layout commands, unwraps text commands, maps display variants and
// multiplication signs, drops degree signs and percent.
std::string rewrite_commands(std::string_view text) {
  static constexpr std::array<std::string_view, 14> kLayout = {"left",         "right",     "bigl", "bigr",  "Bigl",
                                                               "Bigr",         "big",       "Big",  "biggl", "biggr",
                                                               "displaystyle", "textstyle", "quad", "qquad"};
  static constexpr std::array<std::string_view, 10> kTextWrappers = {
      "text", "textbf", "textit", "textrm", "mathrm", "mathbf", "mathit", "operatorname", "mbox", "textnormal"};
  std::string out;
  for (std::size_t pos = 0; pos < text.size();) {
    const char c = text[pos];
    if (c == '^' && (text.substr(pos + 1, 5) == "\\circ" || text.substr(pos + 1, 7) == "{\\circ}")) {
      pos += text[pos + 1] == '{' ? 8 : 6;
      continue;
    }
    if (c == '~') {
      out.push_back(' ');
      ++pos;
      continue;
    }
    if (c != '\\') {
      out.push_back(c);
      ++pos;
      continue;
    }
    const std::string_view word = control_word_at(text, pos);
    if (word.empty()) {  // "\!", "\,", "\;", "\:", "\ ", "\\", "\%" are layout; "\{" stays
      const char next = pos + 1 < text.size() ? text[pos + 1] : '\0';
      if (next == '{' || next == '}') out.append(text.substr(pos, 2));
      // A backslash before a non-ASCII character is not a LaTeX control symbol:
      // drop the backslash alone, never half of the character's bytes.
      const bool symbol = next != '\0' && static_cast<unsigned char>(next) < 0x80;
      pos += symbol ? 2 : 1;
      continue;
    }
    const std::size_t after = pos + 1 + word.size();
    if (one_of(word, kTextWrappers) && after < text.size() && text[after] == '{') {
      pos = rewrite_text_group(text, pos, word.size(), out);
      continue;
    }
    pos = after;
    if (one_of(word, kLayout)) {
      if ((word == "left" || word == "right") && pos < text.size() && text[pos] == '.') ++pos;
    } else if (word == "dfrac" || word == "tfrac" || word == "cfrac") {
      out += "\\frac";
    } else if (word == "dbinom" || word == "tbinom") {
      out += "\\binom";
    } else if (word == "cdot" || word == "times" || word == "ast") {
      out += '*';
    } else if (word != "circ" && word != "degree") {
      out += '\\';
      out += word;
    }
  }
  return out;
}

// Removes whitespace, keeping one space where a control word meets a letter.
std::string remove_spaces(std::string_view text) {
  std::string out;
  bool in_control_word = false;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (is_space(c)) {
      while (pos + 1 < text.size() && is_space(text[pos + 1])) ++pos;
      if (in_control_word && pos + 1 < text.size() && is_letter(text[pos + 1])) out.push_back(' ');
      in_control_word = false;
      continue;
    }
    in_control_word = is_letter(c) ? (in_control_word || (!out.empty() && out.back() == '\\')) : false;
    out.push_back(c);
  }
  return out;
}

// "x=5", "a_1=5", "a_{1}=5" -> "5"; only a short name, only a single '='.
std::string strip_leading_name(std::string text) {
  const std::size_t equals = text.find('=');
  if (equals == std::string::npos || text.find('=', equals + 1) != std::string::npos) return text;
  const std::string_view name = std::string_view(text).substr(0, equals);
  bool plain_name = !name.empty() && is_letter(name[0]) && name.size() <= 6;
  for (char c : name.substr(std::min<std::size_t>(1, name.size()))) {
    plain_name = plain_name && (is_letter(c) || is_digit(c) || c == '_' || c == '{' || c == '}');
  }
  return plain_name && equals + 1 < text.size() ? text.substr(equals + 1) : text;
}

std::string wrap_shorthand(std::string_view text);

// Copies one argument of \frac, \binom or \sqrt at `pos`, braced.
std::size_t emit_argument(std::string_view text, std::size_t pos, std::string& out) {
  if (pos >= text.size()) return pos;
  if (text[pos] == '{') {
    auto close = closing_brace(text, pos);
    const std::size_t end = close ? *close : text.size();
    out += '{' + wrap_shorthand(text.substr(pos + 1, end - pos - 1)) + '}';
    return close ? end + 1 : end;
  }
  const std::string_view word = control_word_at(text, pos);
  // One character, not one byte: \frac é2 must not split é's two bytes.
  const std::size_t size = !word.empty() ? word.size() + 1 : std::max<std::size_t>(1, utf8_sequence_size(text, pos));
  out += '{' + std::string(text.substr(pos, size)) + '}';
  return pos + size;
}

// \frac12 -> \frac{1}{2}, \sqrt3 -> \sqrt{3}, 2^10 -> 2^{10}.
std::string wrap_shorthand(std::string_view text) {
  std::string out;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::string_view word = control_word_at(text, pos);
    if (word == "frac" || word == "binom") {
      out += '\\' + std::string(word);
      pos = emit_argument(text, emit_argument(text, pos + 1 + word.size(), out), out);
    } else if (word == "sqrt") {
      out += "\\sqrt";
      pos += 5;
      auto close = pos < text.size() && text[pos] == '[' ? closing_bracket(text, pos) : std::nullopt;
      if (close) {
        out += '[' + wrap_shorthand(text.substr(pos + 1, *close - pos - 1)) + ']';
        pos = *close + 1;
      }
      pos = emit_argument(text, pos, out);
    } else if (!word.empty()) {
      out += '\\' + std::string(word);
      pos += 1 + word.size();
    } else if ((text[pos] == '^' || text[pos] == '_') && pos + 1 < text.size() && is_digit(text[pos + 1])) {
      std::size_t end = pos + 1;
      while (end < text.size() && is_digit(text[end])) ++end;
      out += text[pos] + ('{' + std::string(text.substr(pos + 1, end - pos - 1)) + '}');
      pos = end;
    } else {
      out += text[pos++];
    }
  }
  return out;
}

// "1,000" or "-12,345.5" as the whole answer: drop the separators.
std::string drop_thousands_separators(std::string text) {
  std::size_t pos = !text.empty() && text[0] == '-' ? 1 : 0;
  std::size_t run = 0;
  while (pos + run < text.size() && is_digit(text[pos + run])) ++run;
  if (run == 0 || run > 3) return text;
  pos += run;
  bool grouped = false;
  while (pos + 3 < text.size() && text[pos] == ',' && is_digit(text[pos + 1]) && is_digit(text[pos + 2]) &&
         is_digit(text[pos + 3]) && (pos + 4 == text.size() || !is_digit(text[pos + 4]))) {
    pos += 4;
    grouped = true;
  }
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && is_digit(text[pos])) ++pos;
  }
  if (!grouped || pos != text.size()) return text;
  std::string out;
  for (char c : text) {
    if (c != ',') out.push_back(c);
  }
  return out;
}

std::string strip_trailing(std::string text) {
  while (!text.empty() && (text.back() == '.' || text.back() == '\\' || is_space(text.back()))) text.pop_back();
  return text;
}

}  // namespace

std::string normalize_latex_answer(std::string_view answer) {
  std::string text = strip_delimiters(answer);
  text = remove_spaces(rewrite_commands(text));
  replace_all(text, "{,}", ",");
  text = strip_leading_name(strip_trailing(text));
  return strip_trailing(drop_thousands_separators(wrap_shorthand(text)));
}

}  // namespace qdrift::scoring
