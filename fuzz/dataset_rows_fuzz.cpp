// Local dataset files (--data-dir) are whatever a user downloaded or exported:
// JSON Lines and CSV with quoted multi-line fields, BOMs and CRLF.
#include "data/text_rows.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = qdrift::fuzz::as_text(data, size);
  const auto jsonl = qdrift::parse_jsonl_rows(text, "fuzz.jsonl");
  if (jsonl.ok()) {
    for (const auto& row : jsonl.value()) QDRIFT_REQUIRE(row.is_object());
  } else {
    QDRIFT_REQUIRE(qdrift::fuzz::storable(jsonl.status().message()));
  }
  const auto csv = qdrift::parse_csv_rows(text, "fuzz.csv");
  if (csv.ok()) {
    // Every record becomes an object of strings keyed by the header's columns.
    for (const auto& row : csv.value()) {
      QDRIFT_REQUIRE(row.is_object());
      for (const auto& [column, value] : row.items()) QDRIFT_REQUIRE(value.is_string());
    }
  }
  return 0;
}
