// UTF-8 checks for text qdrift did not write: server bodies, dataset files, model
// output. Every string that reaches a run file must be valid UTF-8 (nlohmann's
// dump() throws otherwise), and error messages quote such text, so the quotes
// must be made valid too.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace qdrift {

// The length (1 to 4) of the well-formed UTF-8 sequence starting at `pos`, or 0
// when the bytes there are not one: a stray continuation byte, a cut sequence,
// an overlong form, a UTF-16 surrogate or a value past U+10FFFF.
std::size_t utf8_sequence_size(std::string_view text, std::size_t pos);

// The offset of the first byte that is not part of well-formed UTF-8, or npos.
std::size_t first_invalid_utf8(std::string_view text);

// `text` with each byte that is not well-formed UTF-8 replaced by U+FFFD, for
// quoting untrusted text in a message or a stored reason.
std::string printable_utf8(std::string_view text);

// At most `max_bytes` of `text`, cut so that no code point is split.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

}  // namespace qdrift
