// find_bench_sim: the built-in benches' sims from one explicit list (the core
// is a static library, so self-registering objects would be dropped by the
// linker), and custom benches' sims built from their specs on first lookup.
#include <map>
#include <memory>
#include <mutex>

#include "arith/arith_sim.h"
#include "custom/custom_sim.h"
#include "exam/exam_sim.h"
#include "gpqa/gpqa_sim.h"
#include "grounded/grounded_sim.h"
#include "gsm8k/gsm8k_sim.h"
#include "humaneval/humaneval_sim.h"
#include "ifeval/ifeval_sim.h"
#include "math/math_sim.h"
#include "mmlu_pro/mmlu_pro_sim.h"
#include "qdrift/bench_sim.h"

namespace qdrift {

namespace {

const std::vector<std::unique_ptr<BenchSim>>& built_in_sims() {
  static const std::vector<std::unique_ptr<BenchSim>> sims = [] {
    std::vector<std::unique_ptr<BenchSim>> list;
    list.push_back(make_arith_sim());
    list.push_back(make_gsm8k_sim());
    list.push_back(make_mmlu_pro_sim());
    list.push_back(make_gpqa_sim());
    list.push_back(make_ifeval_sim());
    list.push_back(make_humaneval_sim());
    list.push_back(make_grounded_sim());
    list.push_back(make_exam_sim());
    for (int year : {2026, 2025}) {
      list.push_back(make_math_sim(MathContest::kAime, year));
      list.push_back(make_math_sim(MathContest::kHmmtFeb, year));
    }
    return list;
  }();
  return sims;
}

// Keyed by the bench, not its name: a name registered again is another spec.
// Benches are never destroyed (bench.h), so neither are their sims.
struct CustomSims {
  std::mutex mutex;
  std::map<const Bench*, std::unique_ptr<BenchSim>> by_bench;
};

}  // namespace

const BenchSim* find_bench_sim(std::string_view bench_name) {
  for (const auto& sim : built_in_sims())
    if (sim->bench_name() == bench_name) return sim.get();
  const Bench* bench = find_bench(bench_name);
  if (!bench) return nullptr;
  static CustomSims custom;
  std::lock_guard lock(custom.mutex);
  std::unique_ptr<BenchSim>& sim = custom.by_bench[bench];
  if (!sim) sim = make_custom_sim(*bench);
  if (!sim) sim = make_agent_sim(*bench);
  if (!sim) sim = make_exam_spec_sim(*bench);
  return sim.get();
}

}  // namespace qdrift
