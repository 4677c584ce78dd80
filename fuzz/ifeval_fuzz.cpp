// IFEval's checkers run regexes, a sentence splitter and language identification
// over model output. The first line of the input is the item's instruction list
// (JSON, as the dataset gives it); the rest is the response. Instruction lists
// that validate() refuses are dropped, as the bench drops them at load time.
#include <string>

#include "fuzz_target.h"
#include "ifeval/ifeval.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace ifeval = qdrift::ifeval;
  const auto input = qdrift::fuzz::as_text(data, size);
  const std::size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  const auto list = nlohmann::json::parse(input.substr(0, newline), nullptr, /*allow_exceptions=*/false);
  if (!list.is_array() || list.size() > 8) return 0;
  std::vector<ifeval::Instruction> instructions;
  for (const auto& entry : list) {
    if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_string()) return 0;
    ifeval::Instruction instruction{entry["id"].get<std::string>(), nlohmann::json::object()};
    if (entry.contains("kwargs") && entry["kwargs"].is_object()) instruction.kwargs = entry["kwargs"];
    instructions.push_back(std::move(instruction));
  }
  if (!ifeval::validate(instructions).ok()) return 0;
  const std::string response(input.substr(newline + 1));
  const auto result = ifeval::evaluate("", instructions, response);
  QDRIFT_REQUIRE(result.ok());  // validate() said every instruction can be evaluated
  QDRIFT_REQUIRE(result->instructions.size() == instructions.size());
  bool all_strict = true;
  for (const auto& checked : result->instructions) {
    QDRIFT_REQUIRE(!checked.strict || checked.loose);  // the response itself is one of the loose variants
    all_strict = all_strict && checked.strict;
  }
  QDRIFT_REQUIRE(result->prompt_strict == all_strict);
  return 0;
}
