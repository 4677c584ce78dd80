// AIME and HMMT. The answer is the last \boxed{} (balanced braces), falling back
// to the last number when there is no box; AIME compares integers, HMMT compares
// LaTeX by value where both sides evaluate, else by normalised text. Problems
// and answers pass through repair_mangled_latex: some public copies lost a
// backslash to a JSON escape (a form feed where \frac was meant). An item whose
// answer still holds such a character is dropped rather than mis-graded.
#include "math/math_bench.h"

#include <fmt/format.h>

#include "common/boxed_answer.h"
#include "common/latex_equivalence.h"
#include "common/mangled_latex.h"
#include "rows/row_fields.h"

namespace qdrift {

namespace math {

std::string bench_name(MathContest contest, int year) {
  return fmt::format("{}_{}", contest == MathContest::kAime ? "aime" : "hmmt_feb", year);
}

bool gradable_answer(const std::string& answer) { return !scoring::repair_mangled_latex(answer).suspicious(); }

}  // namespace math

namespace {

class MathBench : public Bench {
 public:
  MathBench(MathContest contest, int year)
      : contest_(contest), name_(math::bench_name(contest, year)) {}

  std::string name() const override { return name_; }
  std::string version() const override { return "1"; }
  std::string summary() const override {
    return contest_ == MathContest::kAime ? fmt::format("AIME {}: integer answers, think, maj@4", year())
                                          : fmt::format("HMMT February {}: LaTeX answers, think, maj@4", year());
  }
  BenchDefaults defaults() const override { return {true, 4, 32768}; }
  std::vector<DatasetSource> sources() const override {
    return {{name_, "MathArena/" + name_, "default", "train", "math/" + name_ + ".jsonl", LocalFormat::kJsonl}};
  }

  Result<std::vector<Item>> items(const ItemQuery& query) const override {
    auto rows = rows::load(sources().front(), query);
    if (!rows.ok()) return rows.status();
    std::vector<Item> items;
    for (std::size_t i = 0; i < rows->rows.size(); ++i) {
      auto problem = rows::text(*rows, i, "problem");
      if (!problem.ok()) return problem.status();
      auto answer = rows::text(*rows, i, "answer");
      if (!answer.ok()) return answer.status();
      if (!math::gradable_answer(*answer)) continue;  // cannot be graded reliably: dropped, never mis-graded
      const scoring::LatexRepair repaired_answer = scoring::repair_mangled_latex(*answer);
      std::string number = std::to_string(i + 1);
      for (const char* field : {"id", "problem_idx"})
        if (rows::has(*rows, i, field))
          if (auto value = rows::text(*rows, i, field); value.ok()) number = *value;
      Item item;
      item.id = fmt::format("{}-{}", name_, number);
      item.prompt = scoring::repair_mangled_latex(*problem).text +
                    "\n\nPlease reason step by step, and put your final answer within \\boxed{}.";
      item.answer = repaired_answer.text;
      if (contest_ == MathContest::kAime && !scoring::parse_aime_integer(item.answer))
        return Status::BadInput(rows::where(*rows, i, "answer") + " is not an integer 0-999");
      items.push_back(std::move(item));
    }
    return items;  // 30-odd problems: every tier runs them all
  }

  std::vector<ChatMessage> chat(const Item& item) const override { return {{"user", item.prompt}}; }

  Score score(const Item& item, const ChatResponse& response) const override {
    auto found = scoring::extract_boxed_answer(response.content, true);
    if (!found) return {false, "", "no boxed answer and no number"};
    const std::string how(scoring::describe(found->rule));
    if (contest_ == MathContest::kAime) {
      const bool correct = scoring::aime_answers_equal(found->answer, item.answer);
      return {correct, found->answer, fmt::format("{} {} gold {} ({})", found->answer, correct ? "=" : "!=", item.answer, how)};
    }
    const scoring::LatexComparison compared = scoring::compare_latex_answers(found->answer, item.answer);
    return {compared.equal, found->answer,
            fmt::format("{} vs gold {}: {} ({})", found->answer, item.answer, compared.how, how)};
  }

 private:
  int year() const { return std::stoi(name_.substr(name_.rfind('_') + 1)); }

  MathContest contest_;
  std::string name_;
};

}  // namespace

std::unique_ptr<Bench> make_math_bench(MathContest contest, int year) {
  return std::make_unique<MathBench>(contest, year);
}

}  // namespace qdrift
