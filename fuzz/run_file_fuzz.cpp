// Run files and baselines are committed, hand-edited, merged by git and cut short
// by full disks; the loader sees all of that.
#include "fuzz_target.h"
#include "qdrift/record.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(qdrift::fuzz::as_text(data, size));
  const auto parsed = qdrift::parse_run_file(text, "fuzz.json");
  if (!parsed.ok()) {
    QDRIFT_REQUIRE(qdrift::fuzz::storable(parsed.status().message()));
    return 0;
  }
  // Whatever the loader accepts, qdrift can write back and read again unchanged:
  // otherwise a resumed or re-graded run would not equal the file it came from.
  const std::string written = qdrift::serialize_run_file(parsed.value());
  const auto reread = qdrift::parse_run_file(written, "fuzz-rewritten.json");
  QDRIFT_REQUIRE(reread.ok());
  QDRIFT_REQUIRE(qdrift::serialize_run_file(reread.value()) == written);
  for (const auto& bench : parsed.value().benches) (void)qdrift::summarize(bench);
  return 0;
}
