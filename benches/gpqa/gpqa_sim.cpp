// GpqaSim: the index holds seed-0 items while a run may shuffle choices with
// another seed, so an item is found by its question alone and the answer's
// letter is looked up in the prompt as asked.
#include "gpqa/gpqa_sim.h"

#include <fmt/format.h>

#include <algorithm>

#include "gpqa/gpqa.h"

namespace qdrift {

namespace {

class GpqaSim final : public BenchSim {
 public:
  std::string bench_name() const override { return "gpqa"; }

  std::string key(std::string_view prompt) const override {
    const std::size_t pos = prompt.rfind(gpqa::kChoicesStart);
    return std::string(prompt.substr(0, pos == std::string_view::npos ? prompt.size() : pos));
  }

  double difficulty(const Item& /*item*/) const override { return 0.7; }  // graduate-level: most items are hard

  std::string write_answer(const Item& item, std::string_view prompt, bool correct,
                           std::uint64_t noise) const override {
    // `item` may come from another seed: find its correct answer's letter in this prompt.
    const std::vector<std::string> indexed = gpqa::shown_choices(item.prompt), asked = gpqa::shown_choices(prompt);
    std::size_t gold = static_cast<std::size_t>(item.answer[0] - 'A');
    if (indexed.size() == 4 && asked.size() == 4) {
      auto it = std::find(asked.begin(), asked.end(), indexed[gold]);
      if (it != asked.end()) gold = static_cast<std::size_t>(it - asked.begin());
    }
    const std::size_t chosen = correct ? gold : (gold + 1 + noise % 3) % 4;
    const char letter = static_cast<char>('A' + chosen);
    switch ((noise >> 8) % 2) {
      case 0: return fmt::format("Option A can be ruled out first; the rest follows from the data.\n\nAnswer: {}", letter);
      default: return fmt::format("Comparing the four candidates carefully.\n**Answer:** {}", letter);
    }
  }
};

}  // namespace

std::unique_ptr<BenchSim> make_gpqa_sim() { return std::make_unique<GpqaSim>(); }

}  // namespace qdrift
