// Gsm8kSim: an item's difficulty is the number of lines of its reference
// solution, which the item does not carry (only the final number), so items()
// reads the rows again beside the bench's items.
#include "gsm8k/gsm8k_sim.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/final_number.h"
#include "rows/row_fields.h"

namespace qdrift {

namespace {

class Gsm8kSim final : public BenchSim {
 public:
  std::string bench_name() const override { return "gsm8k"; }

  Result<std::vector<SimItem>> items(const Bench& bench, const DataOptions& data) const override {
    auto loaded = rows::full_items_and_rows(bench, data);
    if (!loaded.ok()) return loaded.status();
    auto& [items, dataset] = *loaded;
    // The full tier is every row, in order (gsm8k.cpp).
    if (dataset.rows.size() != items.size())
      return Status::Internal(fmt::format("gsm8k sim: {} rows but {} items", dataset.rows.size(), items.size()));
    std::vector<SimItem> rated;
    for (std::size_t i = 0; i < items.size(); ++i) {
      auto answer = rows::text(dataset, i, "answer");
      if (!answer.ok()) return answer.status();
      // Longer reference solutions are harder.
      const auto steps = static_cast<double>(std::count(answer->begin(), answer->end(), '\n'));
      rated.push_back({std::move(items[i]), std::min(1.0, steps / 8.0)});
    }
    return rated;
  }

  std::string write_answer(const Item& item, std::string_view /*prompt*/, bool correct,
                           std::uint64_t noise) const override {
    std::string value = item.answer;
    if (!correct) {
      static constexpr int kSlips[] = {1, -1, 2, 10, -10, 3};
      const double gold = std::stod(item.answer);
      value = scoring::canonical_decimal(fmt::format("{}", gold + kSlips[noise % 6])).value_or("0");
    }
    switch ((noise >> 8) % 3) {
      case 0: return fmt::format("First work out each quantity, then combine them.\nThe final answer is {}", value);
      case 1: return fmt::format("Adding the parts step by step gives the total.\n#### {}", value);
      default: return fmt::format("Step 1 uses 2 of the numbers; step 2 the rest. So the answer is ${}.", value);
    }
  }
};

}  // namespace

std::unique_ptr<BenchSim> make_gsm8k_sim() { return std::make_unique<Gsm8kSim>(); }

}  // namespace qdrift
