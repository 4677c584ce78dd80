// The bench registry: every bench qdrift knows, by name: the built-in ones and
// the custom ones loaded from spec files at run time.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>

#include "arith/arith.h"
#include "custom/custom_bench.h"
#include "exam/exam_bench.h"
#include "gpqa/gpqa.h"
#include "grounded/grounded_bench.h"
#include "gsm8k/gsm8k.h"
#include "ifeval/ifeval_bench.h"
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
    list.push_back(make_ifeval_bench());
    list.push_back(make_humaneval_bench());
    list.push_back(make_grounded_bench());
    list.push_back(make_exam_bench());
    for (int year : {2026, 2025}) {
      list.push_back(make_math_bench(MathContest::kAime, year));
      list.push_back(make_math_bench(MathContest::kHmmtFeb, year));
    }
    return list;
  }();
  return benches;
}

// Runtime benches from spec files. Replaced sets move to `retired` rather than
// being destroyed, because runners and simulators may still hold their pointers.
struct CustomSet {
  std::vector<std::unique_ptr<Bench>> active;
  std::vector<std::unique_ptr<Bench>> retired;
};
CustomSet& custom_set() {
  static CustomSet set;
  return set;
}

// Benches made in code by an embedding program (register_bench).
std::vector<std::unique_ptr<Bench>>& extensions() {
  static std::vector<std::unique_ptr<Bench>> benches;
  return benches;
}

const Bench* find_built_in(std::string_view name) {
  for (const auto& bench : registry())
    if (bench->name() == name) return bench.get();
  return nullptr;
}
}  // namespace

const Bench* find_bench(std::string_view name) {
  if (const Bench* bench = find_built_in(name)) return bench;
  for (const auto& bench : custom_set().active)
    if (bench->name() == name) return bench.get();
  for (const auto& bench : extensions())
    if (bench->name() == name) return bench.get();
  return nullptr;
}

std::vector<const Bench*> all_benches() {
  std::vector<const Bench*> list;
  for (const auto& bench : registry()) list.push_back(bench.get());
  for (const auto& bench : custom_set().active) list.push_back(bench.get());
  for (const auto& bench : extensions()) list.push_back(bench.get());
  return list;
}

Status register_bench(std::unique_ptr<Bench> bench) {
  if (find_bench(bench->name())) return Status::BadInput(fmt::format("a bench named '{}' exists already", bench->name()));
  extensions().push_back(std::move(bench));
  return Status::Ok();
}

std::vector<const Bench*> custom_benches() {
  std::vector<const Bench*> list;
  for (const auto& bench : custom_set().active) list.push_back(bench.get());
  return list;
}

std::vector<const Bench*> default_benches(Tier tier) {
  // Every tier runs the one-shot set; the tier decides how many items each runs.
  // arith is for demos and tests, and the previous years' contests are opt-in.
  // The multi-turn benches (grounded, exam) join in the full tier only: like the
  // brief, they are run apart from the one-shot table elsewhere (--bench grounded,exam).
  // Custom benches the user loaded run too.
  std::vector<const Bench*> benches;
  for (const char* name : {"gsm8k", "mmlu_pro", "gpqa", "ifeval", "humaneval", "aime_2026", "hmmt_feb_2026"})
    if (const Bench* bench = find_bench(name)) benches.push_back(bench);
  if (tier == Tier::kFull)
    for (const char* name : {"grounded", "exam"})
      if (const Bench* bench = find_bench(name)) benches.push_back(bench);
  for (const Bench* bench : custom_benches()) benches.push_back(bench);
  return benches;
}

Status register_custom_benches(const std::vector<std::string>& spec_paths) {
  std::vector<std::unique_ptr<Bench>> loaded;
  std::map<std::string, std::string> file_of;  // bench name -> spec file
  std::set<std::string> seen_files;
  for (const std::string& path : spec_paths) {
    std::error_code ec;
    const std::string canonical = std::filesystem::weakly_canonical(path, ec).string();
    if (!seen_files.insert(ec ? path : canonical).second) continue;
    auto bench = load_custom_bench(path);
    if (!bench.ok()) return bench.status();
    const std::string name = (*bench)->name();
    if (find_built_in(name))
      return Status::BadInput(fmt::format("{}: \"name\": '{}' is a built-in bench; pick another name", path, name));
    if (auto [it, fresh] = file_of.emplace(name, path); !fresh)
      return Status::BadInput(fmt::format("{}: \"name\": '{}' is already defined by {}", path, name, it->second));
    loaded.push_back(std::move(bench).value());
  }
  CustomSet& set = custom_set();
  for (auto& bench : set.active) set.retired.push_back(std::move(bench));
  set.active = std::move(loaded);
  return Status::Ok();
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
