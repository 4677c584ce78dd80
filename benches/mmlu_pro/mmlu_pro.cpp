// mmlu_pro. The prompt follows TIGER-Lab's zero-shot chain-of-thought format and
// asks the model to finish with "the answer is (X)"; options are lettered A-J in
// the dataset's order (some questions have fewer than ten).
#include "mmlu_pro/mmlu_pro.h"

#include <fmt/format.h>

#include "common/choice_letter.h"
#include "rows/row_fields.h"

namespace qdrift {

namespace mmlu_pro {

std::size_t option_count(const std::string& prompt) {
  const std::size_t start = prompt.rfind("\nOptions:\n");
  if (start == std::string::npos) return 0;
  std::size_t count = 0;
  for (std::size_t pos = start + 10; pos + 1 < prompt.size(); pos = prompt.find('\n', pos) + 1) {
    if (prompt[pos] == static_cast<char>('A' + count) && prompt[pos + 1] == '.') ++count;
    if (prompt.find('\n', pos) == std::string::npos) break;
  }
  return count;
}

}  // namespace mmlu_pro

namespace {

constexpr double kStandardFraction = 0.3;
constexpr std::size_t kSmokeItems = 50;

std::string letter(std::size_t index) { return std::string(1, static_cast<char>('A' + index)); }

class MmluProBench : public Bench {
 public:
  std::string name() const override { return "mmlu_pro"; }
  std::string version() const override { return "1"; }
  std::string summary() const override {
    return "10-option multiple choice, 14 categories (12032; standard: a 30% stratified slice)";
  }
  BenchDefaults defaults() const override { return {false, 1, 2048}; }
  std::vector<DatasetSource> sources() const override {
    return {{"mmlu_pro", "TIGER-Lab/MMLU-Pro", "default", "test", "mmlu_pro/test.jsonl", LocalFormat::kJsonl}};
  }

  Result<std::vector<Item>> items(const ItemQuery& query) const override {
    auto rows = rows::load(sources().front(), query);
    if (!rows.ok()) return rows.status();
    std::vector<Item> items;
    for (std::size_t i = 0; i < rows->rows.size(); ++i) {
      auto id = rows::text(*rows, i, "question_id");
      auto question = rows::text(*rows, i, "question");
      auto options = rows::text_list(*rows, i, "options");
      auto answer = rows::text(*rows, i, "answer");
      auto category = rows::text(*rows, i, "category");
      for (const Status& s : {id.status(), question.status(), options.status(), answer.status(), category.status()})
        if (!s.ok()) return s;
      if (options->size() < 2 || options->size() > 10)
        return Status::BadInput(rows::where(*rows, i, "options") + fmt::format(" has {} entries (2-10)", options->size()));
      if (answer->size() != 1 || (*answer)[0] < 'A' || (*answer)[0] >= 'A' + static_cast<int>(options->size()))
        return Status::BadInput(rows::where(*rows, i, "answer") + " is not one of the option letters");
      Item item;
      item.id = "mmlu_pro-" + *id;
      item.stratum = *category;
      item.answer = *answer;
      item.prompt = fmt::format(
          "The following is a multiple choice question about {}. Think step by step and then finish your answer "
          "with \"the answer is (X)\" where X is the correct letter choice.\n\nQuestion: {}\nOptions:\n",
          *category, *question);
      for (std::size_t k = 0; k < options->size(); ++k) item.prompt += fmt::format("{}. {}\n", letter(k), (*options)[k]);
      items.push_back(std::move(item));
    }
    switch (query.tier) {
      case Tier::kFull: return items;
      case Tier::kStandard: return stratified_slice(items, kStandardFraction, query.seed);
      case Tier::kSmoke: {
        // A fixed slice (seed 0, not the run's) of about 50, every category present.
        std::vector<Item> slice =
            stratified_slice(items, static_cast<double>(kSmokeItems) / static_cast<double>(items.size()), 0);
        return slice;
      }
    }
    return items;
  }

  std::vector<ChatMessage> chat(const Item& item) const override { return {{"user", item.prompt}}; }

  Score score(const Item& item, const ChatResponse& response) const override {
    const char last = static_cast<char>('A' + std::max<std::size_t>(mmlu_pro::option_count(item.prompt), 1) - 1);
    auto match = scoring::extract_choice_letter(response.content, last, scoring::ChoicePhrase::kAnswerIs);
    if (!match) return {false, "", "no answer letter found"};
    const std::string chosen(1, match->letter);
    const bool correct = chosen == item.answer;
    return {correct, chosen,
            fmt::format("{} {} gold {} ({}{})", chosen, correct ? "=" : "!=", item.answer, scoring::describe(match->rule),
                        match->ambiguous ? "; another letter was also named" : "")};
  }
};

}  // namespace

std::unique_ptr<Bench> make_mmlu_pro_bench() { return std::make_unique<MmluProBench>(); }

}  // namespace qdrift
