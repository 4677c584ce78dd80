// What a bash command's output becomes for the model: its first and last halves around
// a line saying how much was cut, valid UTF-8. The child process keeps only those halves
// of a long stream (and counts the rest), so the capping works on them directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace qdrift::sandbox {

// The capped text of a stream of `total_bytes` of which `head` is the first and `tail`
// the last part, each at least (cap + 1) / 2 bytes long unless the stream was shorter:
// the same as cap_tool_output(whole stream, cap).
std::string cap_captured_output(std::string_view head, std::string_view tail, std::uint64_t total_bytes,
                                std::size_t cap);

}  // namespace qdrift::sandbox
