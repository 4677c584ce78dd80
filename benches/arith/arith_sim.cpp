// ArithSim: a prompt names its expression, so the item and its difficulty are
// recovered from the prompt alone; answers use the final-number forms arith's
// score() reads, a wrong one off by a typical slip.
#include "arith/arith_sim.h"

#include <fmt/format.h>

#include "arith/arith.h"
#include "util/hash.h"

namespace qdrift {

namespace {

class ArithSim final : public BenchSim {
 public:
  std::string bench_name() const override { return "arith"; }

  std::optional<SimItem> recognise(std::string_view prompt) const override {
    std::optional<std::string> expression = arith::expression_of(prompt);
    if (!expression) return std::nullopt;
    return SimItem{arith::make_item("arith:" + std::to_string(hash64(*expression)), *expression),
                   arith::difficulty_of(*expression)};
  }

  double difficulty(const Item& item) const override {
    std::optional<std::string> expression = arith::expression_of(item.prompt);
    return expression ? arith::difficulty_of(*expression) : 0.5;
  }

  std::string write_answer(const Item& item, std::string_view /*prompt*/, bool correct,
                           std::uint64_t noise) const override {
    std::string value = item.answer;
    if (!correct) {
      static constexpr int kSlips[] = {1, -1, 10, -10, 2, 100, -100, 9};
      value = std::to_string(std::stoll(item.answer) + kSlips[noise % 8]);
    }
    switch ((noise >> 8) % 3) {
      case 0: return fmt::format("Working it through step by step.\nThe final answer is {}.", value);
      case 1: return fmt::format("Multiplying first, then adding and subtracting.\n\nThe final answer is **{}**", value);
      default: return fmt::format("So the result is:\n#### {}", value);
    }
  }
};

}  // namespace

std::unique_ptr<BenchSim> make_arith_sim() { return std::make_unique<ArithSim>(); }

}  // namespace qdrift
