// UTF-8 validation: JSON text must be UTF-8 (RFC 8259), and nlohmann's dump()
// throws on a string that is not, so every place that meets bytes from outside
// (a server's body, a user's file) can ask here first.
#pragma once

#include <cstddef>
#include <string_view>

namespace qdrift {

// The offset of the first byte that does not start a well-formed UTF-8
// sequence (overlong forms, surrogates, code points past U+10FFFF and a
// sequence cut by the end of the text all count), or npos when `text` is valid.
std::size_t first_invalid_utf8(std::string_view text);

}  // namespace qdrift
