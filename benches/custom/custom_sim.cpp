// CustomSim: a custom bench's items are asked exactly as rendered (choices
// never shuffled), so the default key (the prompt) finds them; nothing says how
// hard an item is, so every one is rated neutral; answers come from
// write_custom_answer (custom_answers.cpp), checked against the spec.
#include "custom/custom_sim.h"

#include "custom/custom_bench.h"
#include "custom/custom_scoring.h"

namespace qdrift {

namespace {

class CustomSim final : public BenchSim {
 public:
  CustomSim(std::string name, const custom::CustomSpec& spec) : name_(std::move(name)), spec_(spec) {}

  std::string bench_name() const override { return name_; }

  std::string write_answer(const Item& item, std::string_view prompt, bool correct,
                           std::uint64_t noise) const override {
    return custom::write_custom_answer(spec_, item, prompt, correct, noise);
  }

 private:
  std::string name_;
  const custom::CustomSpec& spec_;  // the bench's own; benches live for the process
};

}  // namespace

std::unique_ptr<BenchSim> make_custom_sim(const Bench& bench) {
  const custom::CustomSpec* spec = custom::spec_of(bench);
  if (!spec) return nullptr;
  return std::make_unique<CustomSim>(bench.name(), *spec);
}

}  // namespace qdrift
