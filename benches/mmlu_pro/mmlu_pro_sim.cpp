// MmluProSim: more options, more ways to miss, so an item's difficulty grows
// with the options its prompt lists; a wrong answer picks another shown letter.
#include "mmlu_pro/mmlu_pro_sim.h"

#include <fmt/format.h>

#include <algorithm>

#include "mmlu_pro/mmlu_pro.h"

namespace qdrift {

namespace {

class MmluProSim final : public BenchSim {
 public:
  std::string bench_name() const override { return "mmlu_pro"; }

  double difficulty(const Item& item) const override {
    return 0.3 + 0.04 * static_cast<double>(mmlu_pro::option_count(item.prompt));
  }

  std::string write_answer(const Item& item, std::string_view /*prompt*/, bool correct,
                           std::uint64_t noise) const override {
    const std::size_t options = std::max<std::size_t>(mmlu_pro::option_count(item.prompt), 2);
    std::size_t chosen = static_cast<std::size_t>(item.answer[0] - 'A');
    if (!correct) chosen = (chosen + 1 + noise % (options - 1)) % options;
    const char letter = static_cast<char>('A' + chosen);
    switch ((noise >> 8) % 2) {
      case 0: return fmt::format("Let's think step by step. Option A is tempting but does not fit.\nThe answer is ({})", letter);
      default: return fmt::format("Weighing each option in turn, only one holds up. the answer is {}.", letter);
    }
  }
};

}  // namespace

std::unique_ptr<BenchSim> make_mmlu_pro_sim() { return std::make_unique<MmluProSim>(); }

}  // namespace qdrift
