// IfevalSim: more instructions, more ways to miss one, so an item's difficulty
// grows with its instruction count; answers come from ifeval's writer.
#include "ifeval/ifeval_sim.h"

#include <algorithm>

#include "ifeval/ifeval_bench.h"
#include "ifeval/writer.h"

namespace qdrift {

namespace {

class IfevalSim final : public BenchSim {
 public:
  std::string bench_name() const override { return "ifeval"; }

  double difficulty(const Item& item) const override {
    auto instructions = ifeval::item_instructions(item);
    if (!instructions.ok()) return 0.5;
    return std::min(1.0, 0.1 + 0.25 * static_cast<double>(instructions->size()));
  }

  std::string write_answer(const Item& item, std::string_view /*prompt*/, bool correct,
                           std::uint64_t noise) const override {
    auto instructions = ifeval::item_instructions(item);
    if (!instructions.ok()) return "";
    // The writer always manages on IFEval's own items but for a few whose
    // instructions contradict each other; there a wrong answer stands in, and
    // an empty response is always graded wrong.
    if (auto text = ifeval::write_response(item.prompt, *instructions, correct, noise)) return *text;
    if (correct) {
      if (auto text = ifeval::write_response(item.prompt, *instructions, false, noise)) return *text;
    }
    return "";
  }
};

}  // namespace

std::unique_ptr<BenchSim> make_ifeval_sim() { return std::make_unique<IfevalSim>(); }

}  // namespace qdrift
