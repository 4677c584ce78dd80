// Python `str` semantics on UTF-8 text, for the IFEval checkers: the reference
// checker is Python, and its verdicts hinge on str.strip(), str.lower(),
// str.isupper() and friends treating text as Unicode code points.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace qdrift::ifeval {

// Decodes UTF-8; an invalid byte becomes U+FFFD so decoding never fails.
std::u32string decode_utf8(std::string_view text);
std::string encode_utf8(std::u32string_view text);

// Per code point, as Python's str methods classify a one-character string.
bool is_space(char32_t c);  // str.isspace()
bool is_upper(char32_t c);  // uppercase letter
bool is_lower(char32_t c);  // lowercase letter
bool is_cased(char32_t c);  // upper, lower or titlecase
bool is_alpha(char32_t c);  // str.isalpha()
bool is_digit(char32_t c);  // decimal digit (regex \d)
bool is_word(char32_t c);   // regex \w: letters, digits, other numerics, '_'
char32_t to_lower(char32_t c);

// str.strip() / lstrip() / rstrip() with no argument: Unicode whitespace.
std::string_view strip(std::string_view text);
std::string_view rstrip(std::string_view text);
// str.strip(chars) for ASCII `chars`.
std::string_view strip_chars(std::string_view text, std::string_view chars);
std::string_view lstrip_chars(std::string_view text, std::string_view chars);
std::string_view rstrip_chars(std::string_view text, std::string_view chars);

std::string lower(std::string_view text);   // str.lower()
bool is_upper_text(std::string_view text);  // str.isupper()
bool is_lower_text(std::string_view text);  // str.islower()
bool is_upper_text(std::u32string_view text);

bool starts_with(std::string_view text, std::string_view prefix);
bool ends_with(std::string_view text, std::string_view suffix);

// str.split(separator): every piece, empty ones included.
std::vector<std::string_view> split(std::string_view text, std::string_view separator);
// str.split() with no argument: runs of whitespace separate, no empty pieces.
std::vector<std::string_view> split_whitespace(std::string_view text);
std::vector<std::u32string_view> split_whitespace(std::u32string_view text);

// "\n".join(pieces)
std::string join_lines(const std::vector<std::string_view>& pieces, std::size_t begin, std::size_t end);

}  // namespace qdrift::ifeval
