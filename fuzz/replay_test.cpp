// Replays the fuzz corpus (tests/fuzz/<target>/: seeds and every input that ever
// crashed) through each target in the ordinary build, so a fixed crash stays fixed
// on machines without clang. A crash or broken property aborts the test process,
// which fails the test.
#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

// The targets' LLVMFuzzerTestOneInput, renamed per source file (fuzz/CMakeLists.txt).
extern "C" {
int qdrift_fuzz_chat_response(const std::uint8_t* data, std::size_t size);
int qdrift_fuzz_run_file(const std::uint8_t* data, std::size_t size);
int qdrift_fuzz_dataset_rows(const std::uint8_t* data, std::size_t size);
int qdrift_fuzz_extractors(const std::uint8_t* data, std::size_t size);
int qdrift_fuzz_logprobs(const std::uint8_t* data, std::size_t size);
int qdrift_fuzz_ifeval(const std::uint8_t* data, std::size_t size);
}

namespace {

using Target = int (*)(const std::uint8_t*, std::size_t);

// Every file of tests/fuzz/<name>/ through `target`; the number replayed.
std::size_t replay(const std::string& name, Target target) {
  const std::filesystem::path corpus = std::filesystem::path(QDRIFT_SOURCE_DIR) / "tests" / "fuzz" / name;
  std::size_t replayed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    INFO(entry.path().string());
    target(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    ++replayed;
  }
  return replayed;
}

}  // namespace

TEST_CASE("fuzz corpus replays through every target", "[fuzz]") {
  const std::pair<const char*, Target> targets[] = {
      {"chat_response", qdrift_fuzz_chat_response}, {"run_file", qdrift_fuzz_run_file},
      {"dataset_rows", qdrift_fuzz_dataset_rows},   {"extractors", qdrift_fuzz_extractors},
      {"logprobs", qdrift_fuzz_logprobs},           {"ifeval", qdrift_fuzz_ifeval}};
  for (const auto& [name, target] : targets) {
    SECTION(name) {
      // An empty corpus means the folder moved: a replay of nothing must not pass.
      CHECK(replay(name, target) >= 5);
    }
  }
}
