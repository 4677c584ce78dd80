// The item model behind the calibration simulations (perf/stats_calibration.cpp
// and tests/calibration_test.cpp), a mirror of qdrift's simulator
// (src/sim/sim_model.cpp at temperature 0.7, where its sharpness is 1):
//
//   item i: difficulty d_i from the five arith levels, a fixed draw z_i ~ N(0, 1),
//           margin m_i = 3.8 - 3.5 d_i + 3 z_i, P(correct sample) p_i = Phi(m_i);
//   damage: m'_i = m_i - F exp(-m_i^2 / 4.5) - U (most of it on marginal items);
//   a run:  every sample an independent Bernoulli(p_i); two runs of one model are
//           independent draws from the same p_i (serving noise).
//
// Header-only; every random number comes from std::mt19937_64 through the
// helpers below (not the library's distributions), so figures reproduce exactly.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "qdrift/record.h"
#include "qdrift/stats.h"

namespace qdrift::calibration {

using Rng = std::mt19937_64;

inline constexpr std::array<double, 5> kLevels{0.10, 0.28, 0.40, 0.58, 0.76};

// ---- random numbers -------------------------------------------------------

inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// An independent stream per (run seed, experiment cell, comparison index): a
// comparison's draws do not depend on which thread ran it or in what order.
inline std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t cell, std::uint64_t index) {
  return splitmix64(splitmix64(splitmix64(seed) ^ cell) + index);
}

inline double uniform01(Rng& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }  // [0, 1)

inline double standard_normal(Rng& rng) {  // Box-Muller, one value per call
  const double u1 = 1.0 - uniform01(rng);  // (0, 1]
  const double u2 = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

inline double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// ---- the item model -------------------------------------------------------

struct Damage {
  double focused = 0;  // F: peaks on marginal items (m near 0)
  double uniform = 0;  // U: every item
};

inline double item_margin(double difficulty, double z) { return 3.8 - 3.5 * difficulty + 3.0 * z; }
inline double damaged_margin(double margin, Damage damage) {
  return margin - damage.focused * std::exp(-margin * margin / 4.5) - damage.uniform;
}
inline double p_correct(double margin, Damage damage = {}) { return normal_cdf(damaged_margin(margin, damage)); }

// A wrong sample's answer: wrong answers cluster on a few values, so a
// consistent wrong answer can outvote the right one under maj@K.
inline constexpr std::array<const char*, 3> kWrongAnswers{"W1", "W2", "W3"};
inline constexpr std::array<double, 3> kWrongShare{0.5, 0.3, 0.2};
inline constexpr const char* kRightAnswer = "A";

inline int draw_wrong(Rng& rng) {
  const double u = uniform01(rng);
  return u < kWrongShare[0] ? 0 : (u < kWrongShare[0] + kWrongShare[1] ? 1 : 2);
}

// P(maj@K answer is right) for an item with per-sample accuracy p, ties to the
// answer seen first (record.h's rule), by enumerating the 4^K answer sequences.
inline double majority_right_probability(double p, int samples) {
  if (samples == 1) return p;
  const std::array<double, 4> share{p, (1 - p) * kWrongShare[0], (1 - p) * kWrongShare[1], (1 - p) * kWrongShare[2]};
  int sequences = 1;
  for (int k = 0; k < samples; ++k) sequences *= 4;
  double total = 0;
  for (int code = 0; code < sequences; ++code) {
    double probability = 1;
    std::array<int, 4> count{0, 0, 0, 0};
    std::array<int, 4> first_seen{99, 99, 99, 99};
    int rest = code;
    for (int k = 0; k < samples; ++k) {
      const int answer = rest % 4;
      rest /= 4;
      probability *= share[static_cast<std::size_t>(answer)];
      if (count[static_cast<std::size_t>(answer)]++ == 0) first_seen[static_cast<std::size_t>(answer)] = k;
    }
    int best = 0;  // the answer with most votes, earliest first seen among ties
    for (int a = 1; a < 4; ++a) {
      const auto ua = static_cast<std::size_t>(a), ub = static_cast<std::size_t>(best);
      if (count[ua] > count[ub] || (count[ua] == count[ub] && count[ua] > 0 && first_seen[ua] < first_seen[ub])) best = a;
    }
    if (best == 0 && count[0] > 0) total += probability;
  }
  return total;
}

// ---- populations and slices -------------------------------------------------

struct StratumSpec {
  std::string name;               // "" when unstratified
  int population = 0;             // N_h: items of the full set
  int sampled = 0;                // n_h: items the run holds (the first n_h, a deterministic slice)
  std::array<double, 5> level_mix{0.2, 0.2, 0.2, 0.2, 0.2};  // share of each difficulty level
};

struct Design {
  std::string name;
  std::vector<StratumSpec> strata;
  int items() const {
    int n = 0;
    for (const StratumSpec& s : strata) n += s.sampled;
    return n;
  }
  bool stratified() const { return strata.size() > 1 || (!strata.empty() && !strata[0].name.empty()); }
};

// n items, levels equally likely (the arith bench draws its level uniformly).
inline Design unstratified_design(int items) { return {"unstratified", {{"", items, items, {0.2, 0.2, 0.2, 0.2, 0.2}}}}; }

// Five categories of unequal size and difficulty mix; the run holds a ~30%
// slice of each (at least 30 items), so weights N_h / n_h are unequal.
inline Design stratified_design() {
  auto slice = [](int population) { return std::max(30, static_cast<int>(std::lround(0.3 * population))); };
  return {"stratified",
          {{"easy", 400, slice(400), {0.40, 0.30, 0.20, 0.10, 0.00}},
           {"mixed", 300, slice(300), {0.20, 0.20, 0.20, 0.20, 0.20}},
           {"hard", 150, slice(150), {0.00, 0.10, 0.30, 0.30, 0.30}},
           {"hardest", 100, slice(100), {0.00, 0.00, 0.20, 0.40, 0.40}},
           {"bimodal", 50, slice(50), {0.50, 0.00, 0.00, 0.00, 0.50}}}};
}

inline double draw_difficulty(const std::array<double, 5>& mix, Rng& rng) {
  const double u = uniform01(rng);
  double cumulative = 0;
  for (std::size_t level = 0; level < 5; ++level) {
    cumulative += mix[level];
    if (u < cumulative) return kLevels[level];
  }
  return kLevels[4];
}

// Margins of the items a run holds, in file order (stratum by stratum).
inline std::vector<double> draw_margins(const Design& design, Rng& rng) {
  std::vector<double> margins;
  margins.reserve(static_cast<std::size_t>(design.items()));
  for (const StratumSpec& s : design.strata)
    for (int i = 0; i < s.sampled; ++i) {
      const double difficulty = draw_difficulty(s.level_mix, rng);
      margins.push_back(item_margin(difficulty, standard_normal(rng)));
    }
  return margins;
}

inline std::vector<double> probabilities(const std::vector<double>& margins, Damage damage = {}) {
  std::vector<double> p(margins.size());
  for (std::size_t i = 0; i < margins.size(); ++i) p[i] = p_correct(margins[i], damage);
  return p;
}

// Expected accuracy drop E[p - p'] over the design's item population
// (per-sample accuracy), by quadrature over z for each difficulty level.
inline double expected_drop(Damage damage, const std::array<double, 5>& mix = {0.2, 0.2, 0.2, 0.2, 0.2}) {
  constexpr double kStep = 0.002, kLimit = 8.0;
  double drop = 0;
  for (std::size_t level = 0; level < 5; ++level) {
    if (mix[level] == 0) continue;
    double sum = 0;
    for (double z = -kLimit; z <= kLimit; z += kStep) {
      const double m = item_margin(kLevels[level], z);
      sum += (p_correct(m) - p_correct(m, damage)) * std::exp(-0.5 * z * z);
    }
    drop += mix[level] * sum * kStep / std::sqrt(2 * M_PI);
  }
  return drop;
}

// The damage with U = uniform_share * F whose expected drop is `target`.
inline Damage damage_for_drop(double target, double uniform_share = 0.1) {
  double low = 0, high = 1;
  while (expected_drop({high, uniform_share * high}) < target && high < 1e3) high *= 2;
  for (int i = 0; i < 60; ++i) {
    const double mid = 0.5 * (low + high);
    (expected_drop({mid, uniform_share * mid}) < target ? low : high) = mid;
  }
  const double f = 0.5 * (low + high);
  return {f, uniform_share * f};
}

// ---- run files ------------------------------------------------------------------

inline constexpr const char* kBenchName = "calib";

// The skeleton of a run over the design: ids, strata, weights, K samples each;
// draw_run() fills in the outcomes. Baseline and candidate share settings and sha.
inline RunFile make_run_file(const Design& design, int samples, const std::string& kind) {
  RunFile run;
  run.kind = kind;
  run.qdrift_version = "calibration";
  run.model = kind == "baseline" ? "sim-baseline" : "sim-candidate";
  run.endpoint = "simulated";
  run.server = "simulated";
  run.created_at = "1970-01-01T00:00:00Z";
  run.config.tier = "standard";
  run.config.seed = 0;
  BenchRecord bench;
  bench.name = kBenchName;
  bench.settings.think = false;
  bench.settings.samples = samples;
  bench.settings.temperature = 0.7;
  bench.settings.top_p = 0.8;
  bench.settings.top_k = 20;
  bench.settings.max_tokens = 512;
  bench.settings.bench_version = "1";
  bench.dataset_sha256 = "calibration-" + design.name + "-" + std::to_string(design.items());
  int next_id = 0;
  for (const StratumSpec& s : design.strata) {
    for (int i = 0; i < s.sampled; ++i) {
      ItemRecord item;
      item.id = "item-" + std::to_string(100000 + next_id++);
      item.stratum = s.name;
      item.weight = static_cast<double>(s.population) / static_cast<double>(s.sampled);
      item.samples.resize(static_cast<std::size_t>(samples));
      for (SampleRecord& sample : item.samples) {
        sample.finish = "stop";
        sample.completion_tokens = 40;
      }
      bench.items.push_back(std::move(item));
    }
  }
  run.benches.push_back(std::move(bench));
  return run;
}

// Draws every sample of the run: correct with probability p[i], answer "A"
// when correct, else one of the wrong answers.
inline void draw_run(RunFile& run, const std::vector<double>& p, Rng& rng) {
  std::vector<ItemRecord>& items = run.benches[0].items;
  for (std::size_t i = 0; i < items.size(); ++i) {
    for (SampleRecord& sample : items[i].samples) {
      sample.correct = uniform01(rng) < p[i];
      sample.answer = sample.correct ? kRightAnswer : kWrongAnswers[static_cast<std::size_t>(draw_wrong(rng))];
    }
  }
}

inline double mean_correct(const ItemRecord& item) {
  double right = 0;
  for (const SampleRecord& s : item.samples) right += s.correct ? 1.0 : 0.0;
  return item.samples.empty() ? 0.0 : right / static_cast<double>(item.samples.size());
}

// ---- threads ------------------------------------------------------------------

// Runs body(i) for i in [0, count) on `threads` threads (0: every core). Each i
// draws from its own stream and writes its own slot, so results do not depend on
// scheduling.
template <typename Body>
void parallel_for(int count, Body&& body, unsigned threads = 0) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  std::atomic<int> next{0};
  auto worker = [&] {
    for (int i = next.fetch_add(1); i < count; i = next.fetch_add(1)) body(i);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
}

// ---- exact conditional rates ---------------------------------------------------

// Distribution of a sum of independent Bernoulli(p_i).
inline std::vector<double> poisson_binomial(const std::vector<double>& probs) {
  std::vector<double> dist{1.0};
  dist.reserve(probs.size() + 1);
  for (double p : probs) {
    dist.push_back(0.0);
    for (std::size_t k = dist.size() - 1; k > 0; --k) dist[k] = dist[k] * (1 - p) + dist[k - 1] * p;
    dist[0] *= 1 - p;
  }
  return dist;
}

// Exact false-alarm rate of "one-sided mid-p McNemar < level" for a fixed
// baseline (outcomes x) against null candidates whose item outcome is right with
// probability q_i: losses and wins are independent Poisson-binomial sums.
inline double exact_conditional_rate(const std::vector<bool>& x, const std::vector<double>& q, double level) {
  std::vector<double> loss_probs, win_probs;
  for (std::size_t i = 0; i < x.size(); ++i) (x[i] ? loss_probs.push_back(1 - q[i]) : win_probs.push_back(q[i]));
  const std::vector<double> losses = poisson_binomial(loss_probs), wins = poisson_binomial(win_probs);
  std::vector<double> wins_cdf(wins.size());
  double running = 0;
  for (std::size_t c = 0; c < wins.size(); ++c) wins_cdf[c] = (running += wins[c]);
  const auto rejects = [level](std::int64_t b, std::int64_t c) { return stats::mcnemar(b, c).one_sided_mid < level; };
  double rate = 0;
  for (std::size_t b = 0; b < losses.size(); ++b) {
    if (losses[b] < 1e-15) continue;
    const auto bb = static_cast<std::int64_t>(b);
    if (!rejects(bb, 0)) continue;
    std::int64_t low = 0, high = static_cast<std::int64_t>(wins.size()) - 1;  // largest c that still rejects
    while (low < high) {
      const std::int64_t mid = (low + high + 1) / 2;
      if (rejects(bb, mid)) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    rate += losses[b] * wins_cdf[static_cast<std::size_t>(low)];
  }
  return rate;
}

}  // namespace qdrift::calibration
