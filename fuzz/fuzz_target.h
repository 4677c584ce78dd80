// The one function every fuzz target defines. Built two ways (fuzz/CMakeLists.txt):
// with clang's libFuzzer, which calls it with inputs it mutates, and with any
// compiler inside qdrift_tests, where replay_test.cpp calls it once per file of the corpus
// kept in tests/fuzz/<target>/ so the ordinary test suite replays every input
// that ever mattered.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace qdrift::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A property the code under test promises; a broken one is a finding, so it must
// stop the fuzzer like a crash does (assert() would vanish in release builds).
inline void require(bool property, const char* what, int line) {
  if (property) return;
  std::fprintf(stderr, "broken property at line %d: %s\n", line, what);
  std::abort();
}
#define QDRIFT_REQUIRE(property) ::qdrift::fuzz::require((property), #property, __LINE__)

// Whether `text` can go into a run file: nlohmann's dump() throws on invalid UTF-8,
// so every string qdrift stores (answers, reasons, error messages) must pass.
inline bool storable(const std::string& text) {
  try {
    (void)nlohmann::json(text).dump();
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

}  // namespace qdrift::fuzz
