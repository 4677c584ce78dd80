// ifeval. The prompt is sent as is (IFEval has no template); the item's
// instructions travel in Item::answer as compact JSON. The item outcome is
// prompt-level strict; Score::answer spells the per-instruction verdicts
// (strict and loose) so instruction-level and loose accuracy can be computed
// from a run file, and the explanation names the first instruction missed.
#include "ifeval/ifeval_bench.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "rows/row_fields.h"

namespace qdrift {

namespace ifeval {

Result<std::vector<Instruction>> item_instructions(const Item& item) {
  const nlohmann::json parsed = nlohmann::json::parse(item.answer, nullptr, false);
  if (!parsed.is_array()) return Status::BadInput(item.id + ": its instructions are not a JSON list");
  std::vector<Instruction> instructions;
  for (const nlohmann::json& entry : parsed) {
    if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_string())
      return Status::BadInput(item.id + ": an instruction without an id");
    instructions.push_back({entry["id"].get<std::string>(), entry.value("kwargs", nlohmann::json::object())});
  }
  return instructions;
}

std::string verdict_letters(const IfevalResult& result) {
  std::string letters;
  for (const InstructionResult& instruction : result.instructions)
    letters += instruction.strict ? 'S' : instruction.loose ? 'L' : '-';
  return letters;
}

}  // namespace ifeval

namespace {

constexpr std::size_t kSmokeItems = 50;

// One row's instructions, kwargs without their null entries (the Hugging Face
// copy gives every row every key), or the row's error.
Result<std::vector<ifeval::Instruction>> row_instructions(const rows::BenchRows& rows, std::size_t i) {
  auto ids = rows::text_list(rows, i, "instruction_id_list");
  if (!ids.ok()) return ids.status();
  if (ids->empty()) return Status::BadInput(rows::where(rows, i, "instruction_id_list") + " is empty");
  const nlohmann::json& row = rows.rows[i];
  if (!row.contains("kwargs") || !row["kwargs"].is_array())
    return Status::BadInput(rows::where(rows, i, "kwargs") + " is missing or not a list");
  const nlohmann::json& kwargs = row["kwargs"];
  if (kwargs.size() != ids->size())
    return Status::BadInput(fmt::format("{} has {} entries for {} instructions", rows::where(rows, i, "kwargs"),
                                        kwargs.size(), ids->size()));
  std::vector<ifeval::Instruction> instructions;
  for (std::size_t k = 0; k < ids->size(); ++k) {
    nlohmann::json arguments = nlohmann::json::object();
    if (!kwargs[k].is_null() && !kwargs[k].is_object())
      return Status::BadInput(fmt::format("{}: entry {} is not an object", rows::where(rows, i, "kwargs"), k + 1));
    if (kwargs[k].is_object()) {
      for (const auto& [name, value] : kwargs[k].items())
        if (!value.is_null()) arguments[name] = value;
    }
    instructions.push_back({(*ids)[k], std::move(arguments)});
  }
  if (auto unknown = ifeval::unknown_instruction(instructions))
    return Status::BadInput(rows::where(rows, i, "instruction_id_list") + ": unknown instruction id '" + *unknown +
                            "'");
  if (Status valid = ifeval::validate(instructions); !valid.ok())
    return Status::BadInput(rows::where(rows, i, "kwargs") + ": " + valid.message());
  return instructions;
}

nlohmann::json to_json(const std::vector<ifeval::Instruction>& instructions) {
  nlohmann::json list = nlohmann::json::array();
  for (const ifeval::Instruction& instruction : instructions)
    list.push_back({{"id", instruction.id}, {"kwargs", instruction.kwargs}});
  return list;
}

class IfevalBench : public Bench {
 public:
  std::string name() const override { return "ifeval"; }
  std::string version() const override { return "1"; }
  std::string summary() const override { return "verifiable instructions, 25 checkers, prompt-level strict (541)"; }
  // 2048 tokens: the longest request is 1200 words (about 1600 tokens of English).
  BenchDefaults defaults() const override { return {false, 1, 2048}; }
  std::vector<DatasetSource> sources() const override {
    return {{"ifeval", "google/IFEval", "default", "train", "ifeval/input_data.jsonl", LocalFormat::kJsonl}};
  }

  Result<std::vector<Item>> items(const ItemQuery& query) const override {
    auto rows = rows::load(sources().front(), query);
    if (!rows.ok()) return rows.status();
    std::vector<Item> items;
    std::set<std::string> keys;
    for (std::size_t i = 0; i < rows->rows.size(); ++i) {
      auto key = rows::text(*rows, i, "key");
      if (!key.ok()) return key.status();
      if (!keys.insert(*key).second) return Status::BadInput(rows::where(*rows, i, "key") + " repeats key " + *key);
      auto prompt = rows::text(*rows, i, "prompt");
      if (!prompt.ok()) return prompt.status();
      auto instructions = row_instructions(*rows, i);
      if (!instructions.ok()) return instructions.status();
      Item item;
      item.id = "ifeval-" + *key;
      item.prompt = *prompt;
      item.answer = to_json(*instructions).dump();
      items.push_back(std::move(item));
    }
    if (query.tier == Tier::kSmoke) return rows::smoke_slice(items, kSmokeItems);
    return items;
  }

  std::vector<ChatMessage> chat(const Item& item) const override { return {{"user", item.prompt}}; }

  Score score(const Item& item, const ChatResponse& response) const override {
    auto instructions = ifeval::item_instructions(item);
    if (!instructions.ok()) return {false, "", instructions.status().message()};
    auto graded = ifeval::evaluate(item.prompt, *instructions, response.content);
    if (!graded.ok()) return {false, "", graded.status().message()};
    std::size_t strict = 0, loose = 0;
    for (const ifeval::InstructionResult& result : graded->instructions) {
      strict += result.strict;
      loose += result.loose;
    }
    const std::size_t total = graded->instructions.size();
    std::string explanation = fmt::format("strict {}/{}, loose {}/{}", strict, total, loose, total);
    if (!graded->prompt_strict) explanation += "; first failure: " + graded->explanation;
    return {graded->prompt_strict, ifeval::verdict_letters(*graded), explanation};
  }
};

}  // namespace

std::unique_ptr<Bench> make_ifeval_bench() { return std::make_unique<IfevalBench>(); }

}  // namespace qdrift
