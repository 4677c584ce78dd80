// gpqa. The prompt is simple-evals' multiple-choice template: the question, the
// four answers as "A) ..." lines in an order shuffled per item from the run seed,
// and "Answer: LETTER" asked for on the last line.
#include "gpqa/gpqa.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/choice_letter.h"
#include "rows/row_fields.h"
#include "util/hash.h"

namespace qdrift {

namespace gpqa {
std::vector<int> choice_order(const std::string& item_id, std::uint64_t seed) {
  std::vector<int> order = {0, 1, 2, 3};
  const std::string seed_text = std::to_string(seed);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return hash_parts({"gpqa-order", seed_text, item_id, std::to_string(a)}) <
           hash_parts({"gpqa-order", seed_text, item_id, std::to_string(b)});
  });
  return order;
}

std::vector<std::string> shown_choices(std::string_view prompt) {
  std::vector<std::string> choices;
  std::size_t pos = prompt.rfind(kChoicesStart);
  if (pos == std::string_view::npos) return choices;
  pos += 2;
  for (char letter = 'A'; letter <= 'D'; ++letter) {
    const std::string marker = std::string(1, letter) + ") ";
    if (prompt.compare(pos, marker.size(), marker) != 0) return {};
    const std::size_t start = pos + marker.size();
    const std::string next = letter < 'D' ? fmt::format("\n{}) ", static_cast<char>(letter + 1)) : "";
    const std::size_t end = next.empty() ? prompt.size() : prompt.find(next, start);
    if (end == std::string_view::npos) return {};
    choices.emplace_back(prompt.substr(start, end - start));
    pos = end + 1;
  }
  return choices;
}

}  // namespace gpqa

namespace {

constexpr std::string_view kHead =
    "Answer the following multiple choice question. The last line of your response should be of the following "
    "format: 'Answer: $LETTER' (without quotes) where LETTER is one of ABCD. Think step by step before "
    "answering.\n\n";

class GpqaBench : public Bench {
 public:
  std::string name() const override { return "gpqa"; }
  std::string version() const override { return "1"; }
  std::string summary() const override { return "GPQA diamond, 4 shuffled choices (198; gated: HF_TOKEN)"; }
  BenchDefaults defaults() const override { return {false, 1, 4096}; }
  std::vector<DatasetSource> sources() const override {
    return {{"gpqa", "Idavidrein/gpqa", "gpqa_diamond", "train", "gpqa/gpqa_diamond.csv", LocalFormat::kCsv}};
  }

  Result<std::vector<Item>> items(const ItemQuery& query) const override {
    auto rows = rows::load(sources().front(), query);
    if (!rows.ok()) return rows.status();
    std::vector<Item> items;
    for (std::size_t i = 0; i < rows->rows.size(); ++i) {
      std::vector<std::string> answers;
      for (const char* field : {"Correct Answer", "Incorrect Answer 1", "Incorrect Answer 2", "Incorrect Answer 3"}) {
        auto value = rows::text(*rows, i, field);
        if (!value.ok()) return value.status();
        answers.push_back(trimmed(*value));
      }
      auto question = rows::text(*rows, i, "Question");
      if (!question.ok()) return question.status();
      Item item;
      auto record = rows::has(*rows, i, "Record ID") ? rows::text(*rows, i, "Record ID") : Result<std::string>("");
      item.id = record.ok() && !record->empty() ? "gpqa-" + *record : fmt::format("gpqa-{:03d}", i);
      const std::vector<int> order = gpqa::choice_order(item.id, query.seed);
      item.prompt = std::string(kHead) + trimmed(*question) + "\n";
      // Recorded per item: shown letter -> dataset answer (C = correct, 1-3 = incorrect 1-3).
      item.detail = "choices ";
      for (int k = 0; k < 4; ++k)
        item.detail += fmt::format("{}{}={}", k ? " " : "", static_cast<char>('A' + k), order[k] == 0 ? "C" : std::to_string(order[k]));
      for (std::size_t k = 0; k < 4; ++k) {
        item.prompt += fmt::format("\n{}) {}", static_cast<char>('A' + k), answers[static_cast<std::size_t>(order[k])]);
        if (order[k] == 0) item.answer = std::string(1, static_cast<char>('A' + k));
      }
      items.push_back(std::move(item));
    }
    if (query.tier == Tier::kSmoke) return rows::smoke_slice(items, 50);
    return items;
  }

  std::vector<ChatMessage> chat(const Item& item) const override { return {{"user", item.prompt}}; }

  Score score(const Item& item, const ChatResponse& response) const override {
    auto match = scoring::extract_choice_letter(response.content, 'D', scoring::ChoicePhrase::kAnswerColon);
    if (!match) return {false, "", "no answer letter found"};
    const std::string chosen(1, match->letter);
    const bool correct = chosen == item.answer;
    return {correct, chosen,
            fmt::format("{} {} gold {} ({}{})", chosen, correct ? "=" : "!=", item.answer, scoring::describe(match->rule),
                        match->ambiguous ? "; another letter was also named" : "")};
  }

 private:
  static std::string trimmed(const std::string& text) {
    const std::size_t start = text.find_first_not_of(" \t\r\n");
    if (start == std::string::npos) return "";
    return text.substr(start, text.find_last_not_of(" \t\r\n") - start + 1);
  }
};

}  // namespace

std::unique_ptr<Bench> make_gpqa_bench() { return std::make_unique<GpqaBench>(); }

}  // namespace qdrift
