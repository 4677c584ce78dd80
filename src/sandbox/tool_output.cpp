// cap_tool_output and the streaming form of it the bash session uses.
#include "sandbox/tool_output.h"

#include <fmt/format.h>

#include <algorithm>

#include "qdrift/bash_session.h"
#include "util/utf8.h"

namespace qdrift {

namespace sandbox {

namespace {

// At most `max_bytes` of the start of `text` (itself the start of a longer stream), ending before a code point that
// does not fit.
std::string_view utf8_head(std::string_view text, std::size_t max_bytes) {
  std::size_t end = std::min(text.size(), max_bytes);
  // The last lead byte within 4 bytes of the end, and how long its sequence is.
  for (std::size_t at = end; at > 0 && end - at < 4; --at) {
    const unsigned char byte = static_cast<unsigned char>(text[at - 1]);
    if ((byte & 0xC0) == 0x80) continue;
    const std::size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
    if (at - 1 + length > end) end = at - 1;
    break;
  }
  return text.substr(0, end);
}

// At most `max_bytes` of the end of `text` (itself the end of a longer stream), starting at a
// code point.
std::string_view utf8_tail(std::string_view text, std::size_t max_bytes) {
  std::size_t start = text.size() > max_bytes ? text.size() - max_bytes : 0;
  // Skip continuation bytes (10xxxxxx), at most 3: the rest of a code point cut in two.
  for (int i = 0; i < 3 && start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80; ++i)
    ++start;
  return text.substr(start);
}

}  // namespace

std::string cap_captured_output(std::string_view head, std::string_view tail, std::uint64_t total_bytes,
                                std::size_t cap) {
  if (total_bytes <= cap && total_bytes <= head.size() + tail.size()) {
    // All of it is here; head and tail may overlap.
    const std::size_t from_tail =
        static_cast<std::size_t>(total_bytes) - std::min<std::size_t>(head.size(), total_bytes);
    std::string whole(head.substr(0, static_cast<std::size_t>(total_bytes) - from_tail));
    whole.append(tail.substr(tail.size() - from_tail));
    return printable_utf8(whole);
  }
  const std::string_view first = utf8_head(head, cap / 2);
  const std::string_view last = utf8_tail(tail, cap / 2);
  std::string text = printable_utf8(first);
  if (!text.empty() && text.back() != '\n') text += '\n';
  text += fmt::format("[… {} bytes cut …]\n", total_bytes - first.size() - last.size());
  text += printable_utf8(last);
  return text;
}

}  // namespace sandbox

std::string cap_tool_output(std::string_view text, std::size_t cap) {
  const std::size_t half = (cap + 1) / 2;
  return sandbox::cap_captured_output(text.substr(0, std::min(half, text.size())),
                                      text.size() > half ? text.substr(text.size() - half) : std::string_view(),
                                      text.size(), cap);
}

}  // namespace qdrift
