// Python `str` semantics on UTF-8 text. Character classes come from glibc's
// C.UTF-8 locale (full Unicode tables, no locale package needed), used through
// the *_l functions so the process-wide locale is never touched.
#include "ifeval/text.h"

#include <locale.h>
#include <wctype.h>

#include <algorithm>

namespace qdrift::ifeval {
namespace {

locale_t unicode_ctype() {
  // Never freed: one locale object for the life of the process.
  static const locale_t locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  return locale;
}

// Decimal-digit blocks (Unicode category Nd) that text in the wild uses; each
// holds ten consecutive digits. glibc's iswdigit knows only ASCII.
constexpr char32_t kDigitZeros[] = {0x30,  0x660,  0x6F0,  0x7C0,  0x966,  0x9E6,  0xA66,  0xAE6,
                                    0xB66, 0xBE6,  0xC66,  0xCE6,  0xD66,  0xDE6,  0xE50,  0xED0,
                                    0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0xFF10};

std::size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 0;
}

// Decodes the code point at `pos`, setting `size` to its byte length (1 for
// an invalid byte, which decodes to U+FFFD).
char32_t decode_at(std::string_view text, std::size_t pos, std::size_t& size) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  std::size_t length = utf8_length(lead);
  size = 1;
  if (length == 0 || pos + length > text.size()) return 0xFFFD;
  if (length == 1) return lead;
  char32_t c = lead & (0x7F >> length);
  for (std::size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[pos + i]);
    if ((next & 0xC0) != 0x80) return 0xFFFD;
    c = (c << 6) | (next & 0x3F);
  }
  size = length;
  return c;
}

template <typename Predicate>
std::string_view strip_if(std::string_view text, bool left, bool right, Predicate strip_this) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  if (left) {
    while (begin < end) {
      std::size_t size = 0;
      if (!strip_this(decode_at(text, begin, size))) break;
      begin += size;
    }
  }
  if (right) {
    while (end > begin) {
      std::size_t start = end - 1;  // back up to the lead byte
      while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
      std::size_t size = 0;
      if (!strip_this(decode_at(text, start, size))) break;
      end = start;
    }
  }
  return text.substr(begin, end - begin);
}

template <typename String>
bool case_test(const String& chars, bool want_upper) {
  bool cased = false;
  for (char32_t c : chars) {
    const bool upper = is_upper(c);
    const bool lower = is_lower(c);
    const bool title = (upper && lower) || (!upper && !lower && is_cased(c));
    if (title || (want_upper ? lower : upper)) return false;
    if (want_upper ? upper : lower) cased = true;
  }
  return cased;
}

}  // namespace

std::u32string decode_utf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t size = 0;
    out.push_back(decode_at(text, pos, size));
    pos += size;
  }
  return out;
}

std::string encode_utf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t c : text) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

bool is_space(char32_t c) {
  // Python's str.isspace(): bidi whitespace, separators and the \x1c-\x1f controls.
  if (c <= 0x20) return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
  return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

bool is_upper(char32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  const locale_t locale = unicode_ctype();
  return locale != nullptr && iswupper_l(static_cast<wint_t>(c), locale);
}

bool is_lower(char32_t c) {
  if (c < 0x80) return c >= 'a' && c <= 'z';
  const locale_t locale = unicode_ctype();
  return locale != nullptr && iswlower_l(static_cast<wint_t>(c), locale);
}

bool is_cased(char32_t c) {
  if (is_upper(c) || is_lower(c)) return true;
  const locale_t locale = unicode_ctype();
  if (locale == nullptr || c < 0x80) return false;
  const auto wc = static_cast<wint_t>(c);
  return towlower_l(wc, locale) != wc || towupper_l(wc, locale) != wc;
}

bool is_alpha(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  const locale_t locale = unicode_ctype();
  return locale != nullptr && iswalpha_l(static_cast<wint_t>(c), locale);
}

bool is_digit(char32_t c) {
  return std::any_of(std::begin(kDigitZeros), std::end(kDigitZeros),
                     [c](char32_t zero) { return c >= zero && c <= zero + 9; });
}

bool is_word(char32_t c) { return c == '_' || is_digit(c) || is_alpha(c); }

char32_t to_lower(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  const locale_t locale = unicode_ctype();
  return locale == nullptr ? c : static_cast<char32_t>(towlower_l(static_cast<wint_t>(c), locale));
}

std::string_view strip(std::string_view text) { return strip_if(text, true, true, is_space); }
std::string_view rstrip(std::string_view text) { return strip_if(text, false, true, is_space); }

std::string_view strip_chars(std::string_view text, std::string_view chars) {
  return strip_if(text, true, true, [chars](char32_t c) { return c < 0x80 && chars.find(char(c)) != chars.npos; });
}
std::string_view lstrip_chars(std::string_view text, std::string_view chars) {
  return strip_if(text, true, false, [chars](char32_t c) { return c < 0x80 && chars.find(char(c)) != chars.npos; });
}
std::string_view rstrip_chars(std::string_view text, std::string_view chars) {
  return strip_if(text, false, true, [chars](char32_t c) { return c < 0x80 && chars.find(char(c)) != chars.npos; });
}

std::string lower(std::string_view text) {
  std::u32string chars = decode_utf8(text);
  for (char32_t& c : chars) c = to_lower(c);
  return encode_utf8(chars);
}

bool is_upper_text(std::string_view text) { return case_test(decode_utf8(text), true); }
bool is_upper_text(std::u32string_view text) { return case_test(text, true); }
bool is_lower_text(std::string_view text) { return case_test(decode_utf8(text), false); }

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }
bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::vector<std::string_view> split(std::string_view text, std::string_view separator) {
  std::vector<std::string_view> pieces;
  std::size_t begin = 0;
  for (std::size_t at; (at = text.find(separator, begin)) != text.npos; begin = at + separator.size()) {
    pieces.push_back(text.substr(begin, at - begin));
  }
  pieces.push_back(text.substr(begin));
  return pieces;
}

std::vector<std::string_view> split_whitespace(std::string_view text) {
  std::vector<std::string_view> pieces;
  std::size_t start = text.npos;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t size = 0;
    const bool space = is_space(decode_at(text, pos, size));
    if (space && start != text.npos) {
      pieces.push_back(text.substr(start, pos - start));
      start = text.npos;
    } else if (!space && start == text.npos) {
      start = pos;
    }
    pos += size;
  }
  if (start != text.npos) pieces.push_back(text.substr(start));
  return pieces;
}

std::vector<std::u32string_view> split_whitespace(std::u32string_view text) {
  std::vector<std::u32string_view> pieces;
  std::size_t start = text.npos;
  for (std::size_t pos = 0; pos <= text.size(); ++pos) {
    const bool boundary = pos == text.size() || is_space(text[pos]);
    if (boundary && start != text.npos) {
      pieces.push_back(text.substr(start, pos - start));
      start = text.npos;
    } else if (!boundary && start == text.npos) {
      start = pos;
    }
  }
  return pieces;
}

std::string join_lines(const std::vector<std::string_view>& pieces, std::size_t begin, std::size_t end) {
  std::string out;
  for (std::size_t i = begin; i < end && i < pieces.size(); ++i) {
    if (i > begin) out.push_back('\n');
    out.append(pieces[i]);
  }
  return out;
}

}  // namespace qdrift::ifeval
