#include "util/utf8.h"

namespace qdrift {

std::size_t utf8_sequence_size(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return 0;
  const auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) return 1;
  // The lead byte says how many continuation bytes follow and the smallest code
  // point that may use that many (anything smaller is an overlong form).
  std::size_t continuation = 0;
  char32_t min_code = 0;
  if ((lead & 0xE0) == 0xC0) {
    continuation = 1;
    min_code = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    continuation = 2;
    min_code = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    continuation = 3;
    min_code = 0x10000;
  } else {
    return 0;
  }
  if (pos + continuation >= text.size()) return 0;
  char32_t code = lead & (0x3F >> continuation);
  for (std::size_t k = 1; k <= continuation; ++k) {
    const auto next = static_cast<unsigned char>(text[pos + k]);
    if ((next & 0xC0) != 0x80) return 0;
    code = (code << 6) | (next & 0x3F);
  }
  if (code < min_code || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return 0;
  return continuation + 1;
}

std::size_t first_invalid_utf8(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t size = utf8_sequence_size(text, pos);
    if (size == 0) return pos;
    pos += size;
  }
  return std::string_view::npos;
}

std::string printable_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t size = utf8_sequence_size(text, pos);
    if (size == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++pos;
    } else {
      out.append(text.substr(pos, size));
      pos += size;
    }
  }
  return out;
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  // Back up over continuation bytes to the start of the code point that was cut.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace qdrift
