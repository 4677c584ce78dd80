// MathSim: later problems of a contest are harder, so an item's difficulty is
// its row's place in the file, which the item does not carry; items() reads
// the rows again beside the bench's items (rows the bench drops are skipped).
#include "math/math_sim.h"

#include <fmt/format.h>

#include "common/boxed_answer.h"
#include "common/latex_equivalence.h"
#include "rows/row_fields.h"

namespace qdrift {

namespace {

class MathSim final : public BenchSim {
 public:
  MathSim(MathContest contest, int year) : contest_(contest), name_(math::bench_name(contest, year)) {}

  std::string bench_name() const override { return name_; }

  Result<std::vector<SimItem>> items(const Bench& bench, const DataOptions& data) const override {
    auto loaded = rows::full_items_and_rows(bench, data);
    if (!loaded.ok()) return loaded.status();
    auto& [items, dataset] = *loaded;
    std::vector<SimItem> rated;
    for (std::size_t i = 0; i < dataset.rows.size() && rated.size() < items.size(); ++i) {
      auto answer = rows::text(dataset, i, "answer");
      if (!answer.ok()) return answer.status();
      if (!math::gradable_answer(*answer)) continue;  // items() dropped it too
      const double place = static_cast<double>(i) / static_cast<double>(dataset.rows.size());
      rated.push_back({std::move(items[rated.size()]), 0.5 + 0.5 * place});
    }
    if (rated.size() != items.size())
      return Status::Internal(fmt::format("{} sim: rated {} of {} items", name_, rated.size(), items.size()));
    return rated;
  }

  std::string write_answer(const Item& item, std::string_view /*prompt*/, bool correct,
                           std::uint64_t noise) const override {
    std::string value = item.answer;
    if (!correct) {
      if (contest_ == MathContest::kAime) {
        value = std::to_string((*scoring::parse_aime_integer(item.answer) + 1 + noise % 7) % 1000);
      } else {
        for (const char* guess : {"0", "1", "-1", "2"})
          if (!scoring::compare_latex_answers(guess, item.answer).equal) {
            value = guess;
            break;
          }
      }
    }
    switch ((noise >> 8) % 2) {
      case 0: return fmt::format("Working through the cases, an earlier guess of \\boxed{{7}} fails.\nSo the answer is \\boxed{{{}}}.", value);
      default: return fmt::format("Combining the two constraints gives\n\\[ \\boxed{{{}}} \\]", value);
    }
  }

 private:
  MathContest contest_;
  std::string name_;
};

}  // namespace

std::unique_ptr<BenchSim> make_math_sim(MathContest contest, int year) {
  return std::make_unique<MathSim>(contest, year);
}

}  // namespace qdrift
