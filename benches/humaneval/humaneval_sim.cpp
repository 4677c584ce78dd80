// HumanEvalSim: longer reference solutions are harder, so an item's difficulty
// grows with the canonical solution's lines; answers come from sim_answers.h.
#include "humaneval/humaneval_sim.h"

#include <algorithm>

#include "humaneval/humaneval_bench.h"
#include "humaneval/sim_answers.h"

namespace qdrift {

namespace {

class HumanEvalSim final : public BenchSim {
 public:
  std::string bench_name() const override { return "humaneval"; }

  double difficulty(const Item& item) const override {
    auto problem = humaneval::problem_of(item);
    if (!problem.ok()) return 0.5;
    const std::string& solution = problem->canonical_solution;
    return std::min(1.0, static_cast<double>(std::count(solution.begin(), solution.end(), '\n')) / 15.0);
  }

  std::string write_answer(const Item& item, std::string_view /*prompt*/, bool correct,
                           std::uint64_t noise) const override {
    auto problem = humaneval::problem_of(item);
    if (!problem.ok()) return "I cannot read this problem.";
    return correct ? humaneval::right_answer(*problem, noise) : humaneval::wrong_answer(*problem, noise);
  }
};

}  // namespace

std::unique_ptr<BenchSim> make_humaneval_sim() { return std::make_unique<HumanEvalSim>(); }

}  // namespace qdrift
