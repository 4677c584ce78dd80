// The bench registry: every bench qdrift knows, by name.
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "arith/arith.h"
#include "gpqa/gpqa.h"
#include "gsm8k/gsm8k.h"
#include "humaneval/humaneval_bench.h"
#include "math/math_bench.h"
#include "mmlu_pro/mmlu_pro.h"
#include "qdrift/bench.h"
#include "util/hash.h"

namespace qdrift {

std::optional<Tier> parse_tier(std::string_view name) {
  if (name == "smoke") return Tier::kSmoke;
  if (name == "standard") return Tier::kStandard;
  if (name == "full") return Tier::kFull;
  return std::nullopt;
}

std::string tier_name(Tier tier) {
  switch (tier) {
    case Tier::kSmoke: return "smoke";
    case Tier::kStandard: return "standard";
    case Tier::kFull: return "full";
  }
  return "standard";
}

namespace {
const std::vector<std::unique_ptr<Bench>>& registry() {
  static const std::vector<std::unique_ptr<Bench>> benches = [] {
    std::vector<std::unique_ptr<Bench>> list;
    list.push_back(make_arith_bench());
    list.push_back(make_gsm8k_bench());
    list.push_back(make_mmlu_pro_bench());
    list.push_back(make_gpqa_bench());
    list.push_back(make_humaneval_bench());
    for (int year : {2026, 2025}) {
      list.push_back(make_math_bench(MathContest::kAime, year));
      list.push_back(make_math_bench(MathContest::kHmmtFeb, year));
    }
    return list;
  }();
  return benches;
}
}  // namespace

const Bench* find_bench(std::string_view name) {
  for (const auto& bench : registry())
    if (bench->name() == name) return bench.get();
  return nullptr;
}

std::vector<const Bench*> all_benches() {
  std::vector<const Bench*> list;
  for (const auto& bench : registry()) list.push_back(bench.get());
  return list;
}

std::vector<const Bench*> default_benches(Tier /*tier*/) {
  // Every tier runs the same set; the tier decides how many items each runs.
  // arith is for demos and tests, and the previous years' contests are opt-in.
  std::vector<const Bench*> benches;
  for (const char* name : {"gsm8k", "mmlu_pro", "gpqa", "humaneval", "aime_2026", "hmmt_feb_2026"})
    if (const Bench* bench = find_bench(name)) benches.push_back(bench);
  return benches;
}

std::vector<Item> stratified_slice(const std::vector<Item>& population, double fraction, std::uint64_t seed) {
  std::map<std::string, std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < population.size(); ++i) members[population[i].stratum].push_back(i);
  std::vector<bool> chosen(population.size(), false);
  std::map<std::string, double> weight;
  const std::string seed_text = std::to_string(seed);
  for (auto& [stratum, indices] : members) {
    // Order by a hash of (seed, id): a fixed pseudo-random permutation per seed.
    std::stable_sort(indices.begin(), indices.end(), [&](std::size_t a, std::size_t b) {
      return hash_parts({"slice", seed_text, population[a].id}) < hash_parts({"slice", seed_text, population[b].id});
    });
    const auto total = static_cast<double>(indices.size());
    const std::size_t take = std::clamp<std::size_t>(static_cast<std::size_t>(std::llround(fraction * total)), 1,
                                                     indices.size());
    for (std::size_t k = 0; k < take; ++k) chosen[indices[k]] = true;
    weight[stratum] = total / static_cast<double>(take);
  }
  std::vector<Item> slice;
  for (std::size_t i = 0; i < population.size(); ++i) {
    if (!chosen[i]) continue;
    slice.push_back(population[i]);
    slice.back().weight = weight[population[i].stratum];
  }
  return slice;
}

std::string items_sha256(const std::vector<Item>& items) {
  std::string canonical;
  for (const Item& item : items)
    canonical += fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1e", item.id, item.prompt, item.answer, item.stratum, item.weight);
  return sha256_hex(canonical);
}

}  // namespace qdrift
