// gsm8k. A zero-shot chat prompt asks for the reasoning and then the final answer
// on its own line; the answer is read as "The final answer is N", else "#### N",
// else the last number, and compared numerically with the gold "#### N".
#include "gsm8k/gsm8k.h"

#include <fmt/format.h>

#include "common/final_number.h"
#include "rows/row_fields.h"
#include "util/hash.h"

namespace qdrift {

namespace {

constexpr std::size_t kSmokeItems = 50;
constexpr std::string_view kInstruction =
    "Solve the following math problem step by step. Then give the final answer on its own last line as "
    "\"The final answer is N\", where N is just the number.\n\n";

class Gsm8kBench : public Bench {
 public:
  std::string name() const override { return "gsm8k"; }
  std::string version() const override { return "1"; }
  std::string summary() const override { return "grade-school math word problems, numeric answer (1319)"; }
  BenchDefaults defaults() const override { return {false, 1, 2048}; }
  std::vector<DatasetSource> sources() const override {
    return {{"gsm8k", "openai/gsm8k", "main", "test", "gsm8k/test.jsonl", LocalFormat::kJsonl}};
  }

  Result<std::vector<Item>> items(const ItemQuery& query) const override {
    auto rows = rows::load(sources().front(), query);
    if (!rows.ok()) return rows.status();
    std::vector<Item> items;
    for (std::size_t i = 0; i < rows->rows.size(); ++i) {
      auto question = rows::text(*rows, i, "question");
      if (!question.ok()) return question.status();
      auto answer = rows::text(*rows, i, "answer");
      if (!answer.ok()) return answer.status();
      auto gold = scoring::parse_gsm8k_gold(*answer);
      if (!gold) return Status::BadInput(rows::where(*rows, i, "answer") + " has no '#### N' final line");
      Item item;
      item.id = fmt::format("gsm8k-{:04d}", i);  // the split's order is its identity
      item.prompt = std::string(kInstruction) + *question;
      item.answer = *gold;
      items.push_back(std::move(item));
    }
    if (query.tier == Tier::kSmoke) return rows::smoke_slice(items, kSmokeItems);
    return items;
  }

  std::vector<ChatMessage> chat(const Item& item) const override { return {{"user", item.prompt}}; }

  Score score(const Item& item, const ChatResponse& response) const override {
    auto found = scoring::find_final_number(response.content);
    if (!found) return {false, "", "no number in the response"};
    const bool correct = scoring::numbers_equal(found->number, item.answer);
    return {correct, found->number,
            fmt::format("{} {} gold {} ({})", found->number, correct ? "=" : "!=", item.answer,
                        scoring::describe(found->rule))};
  }
};

}  // namespace

std::unique_ptr<Bench> make_gsm8k_bench() { return std::make_unique<Gsm8kBench>(); }

}  // namespace qdrift
