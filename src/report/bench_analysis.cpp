// analyze_bench: every per-bench statistic of a comparison (DESIGN §6).
#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include "qdrift/report.h"

namespace qdrift {

std::string bench_test_name(BenchTest test) {
  switch (test) {
    case BenchTest::kMcNemar: return "mcnemar_mid_p";
    case BenchTest::kPairedMean: return "paired_mean_sign_flip";
    case BenchTest::kStratified: return "stratified_sign_flip";
    case BenchTest::kEarlyStop: return "early_stop_e_value";
    case BenchTest::kLuckMargin: return "baseline_mean_luck_margin";
  }
  return "mcnemar_mid_p";
}

namespace {

double mean_correct(const ItemRecord& item) {
  double correct = 0;
  for (const SampleRecord& s : item.samples) correct += s.correct && s.error.empty();
  return item.samples.empty() ? 0.0 : correct / static_cast<double>(item.samples.size());
}

// The mean over an item's samples of one sample figure.
template <typename Field>
double sample_mean(const ItemRecord& item, Field field) {
  double total = 0;
  for (const SampleRecord& s : item.samples) total += static_cast<double>(field(s));
  return item.samples.empty() ? 0.0 : total / static_cast<double>(item.samples.size());
}

double mean_reasoning(const ItemRecord& item) {
  return sample_mean(item, [](const SampleRecord& s) { return s.reasoning_tokens; });
}

bool agent_item(const ItemRecord& item) {
  return std::any_of(item.samples.begin(), item.samples.end(),
                     [](const SampleRecord& s) { return s.turns > 1 || s.turn_cap_hit || s.tool_calls > 0; });
}

void count(stats::PairedCounts& counts, bool x, bool y) {
  (x ? (y ? counts.both_right : counts.losses) : (y ? counts.wins : counts.both_wrong))++;
}


// A score meets a gate when it rounds to at least the gate: the brief's "T3 89" is 8 of 9.
bool meets(int passed, int scenarios, double gate) {
  return scenarios > 0 && std::round(100.0 * passed / scenarios) >= gate;
}

// Each trait's passing scenarios on both sides, against its gate (items carry their trait as stratum).
std::vector<TraitScore> trait_scores(const BenchRecord& baseline, const BenchRecord& candidate) {
  std::map<std::string, const ItemRecord*> by_id;
  for (const ItemRecord& item : baseline.items) by_id[item.id] = &item;
  std::vector<TraitScore> scores;
  for (const TraitGate& trait : candidate.traits) {
    TraitScore t;
    t.id = trait.id;
    t.name = trait.name;
    t.gate = trait.gate;
    for (const ItemRecord& item : candidate.items) {
      if (item.stratum != trait.id) continue;
      ++t.scenarios;
      t.baseline_passed += item_outcome(*by_id.at(item.id));
      if (item_outcome(item)) {
        ++t.candidate_passed;
        continue;
      }
      std::string why = "no verdict";
      for (const SampleRecord& s : item.samples)
        if (!s.correct) {
          why = s.error.empty() ? s.explanation : s.error;
          break;
        }
      t.failed_scenarios.emplace_back(item.id, why);
    }
    t.baseline_met = meets(t.baseline_passed, t.scenarios, t.gate);
    t.candidate_met = meets(t.candidate_passed, t.scenarios, t.gate);
    t.gate_failed = t.baseline_met && !t.candidate_met;
    scores.push_back(std::move(t));
  }
  return scores;
}

std::int64_t passing_samples(const ItemRecord& item) {
  return std::count_if(item.samples.begin(), item.samples.end(),
                       [](const SampleRecord& s) { return s.correct && s.error.empty(); });
}

// A judged exam's figures beside the paired test: gates, the judge's
// self-agreement on each side, and passing seeds (shown, not tested).
void grade_exam(BenchGrade& g, const BenchRecord& baseline, const BenchRecord& candidate) {
  g.traits = trait_scores(baseline, candidate);
  g.gate_degraded = std::any_of(g.traits.begin(), g.traits.end(), [](const TraitScore& t) { return t.gate_failed; });
  g.agreement_baseline = judge_self_agreement(baseline);
  g.agreement_candidate = judge_self_agreement(candidate);
  std::map<std::string, const ItemRecord*> baseline_by_id;
  for (const ItemRecord& item : baseline.items) baseline_by_id[item.id] = &item;
  for (const ItemRecord& item : candidate.items) {  // the candidate's items: a bench stopped early has fewer
    g.seeds += static_cast<std::int64_t>(item.samples.size());
    g.seeds_passed_candidate += passing_samples(item);
    g.seeds_passed_baseline += passing_samples(*baseline_by_id.at(item.id));
  }
}

// A sample that shows the item's outcome on one side: the first whose correctness matches it.
FlipSide flip_side(const ItemRecord& item, bool outcome) {
  FlipSide side;
  const SampleRecord* shown = nullptr;
  for (const SampleRecord& s : item.samples) {
    const bool right = s.correct && s.error.empty();
    side.correct += right;
    if (!shown && right == outcome) shown = &s;
  }
  if (!shown && !item.samples.empty()) shown = &item.samples.front();  // a tie at maj@K
  if (shown) {
    side.sample = static_cast<int>(shown - item.samples.data());
    side.answer = shown->answer;
    side.explanation = shown->error.empty() ? shown->explanation : "failed: " + shown->error;
  }
  return side;
}

// Every item whose headline outcome differs, losses first, then wins, each in item order.
std::vector<FlippedItem> flipped_items(const std::map<std::string, const ItemRecord*>& baseline_by_id,
                                       const BenchRecord& candidate) {
  std::vector<FlippedItem> losses, wins;
  for (const ItemRecord& item : candidate.items) {
    const ItemRecord& base = *baseline_by_id.at(item.id);
    const bool x = item_outcome(base), y = item_outcome(item);
    if (x == y) continue;
    FlippedItem flip{item.id, x, item.prompt_opening.empty() ? base.prompt_opening : item.prompt_opening,
                     flip_side(base, x), flip_side(item, y), agent_item(base) || agent_item(item)};
    (flip.loss ? losses : wins).push_back(std::move(flip));
  }
  losses.insert(losses.end(), std::make_move_iterator(wins.begin()), std::make_move_iterator(wins.end()));
  return losses;
}

}  // namespace

std::string bench_mode(const BenchSettings& settings) {
  const bool judged = !settings.judge.empty();
  std::string mode = settings.think ? "think" : "no-think";
  if (settings.samples > 1)
    mode += judged ? fmt::format(" · {} seeds", settings.samples) : fmt::format(" · maj@{}", settings.samples);
  return mode;
}

JudgeAgreement judge_self_agreement(const BenchRecord& bench) {
  JudgeAgreement a;
  for (const ItemRecord& item : bench.items)
    for (const SampleRecord& s : item.samples)
      if (!s.judge_repeat.empty() && !s.judge_verdict.empty()) {
        ++a.asked;
        a.agreed += s.judge_repeat == s.judge_verdict;
      }
  return a;
}

namespace {

// Per stratum: headline differences, mean-correctness differences and the population they stand for.
struct StratumData {
  double population = 0;
  std::vector<double> headline, mean;
  std::vector<double> baseline_right, candidate_right;  // 0 or 1 per item
};

// Each item's pair, gathered once for every test and ratio below.
struct PairedItems {
  std::map<std::string, StratumData> strata;
  std::vector<double> mean_differences, baseline_tokens, candidate_tokens;
  std::vector<double> baseline_turns, candidate_turns, baseline_tool_errors, candidate_tool_errors;
};

// Counts outcomes, cap hits, turn caps and failures into `g`, and returns the
// per-item series the tests use.
PairedItems pair_items(BenchGrade& g, const std::map<std::string, const ItemRecord*>& by_id,
                       const BenchRecord& candidate) {
  PairedItems p;
  for (const ItemRecord& item : candidate.items) {
    const ItemRecord& base = *by_id.at(item.id);  // ids were checked to match
    const bool x = item_outcome(base), y = item_outcome(item);
    count(g.counts, x, y);
    count(g.trunc_counts, !item_truncated(base), !item_truncated(item));
    count(g.turn_cap_counts, !item_turn_capped(base), !item_turn_capped(item));
    // An agent bench; a judged exam has scripted turns and no turn cap to test.
    g.multi_turn = !g.judged && (g.multi_turn || agent_item(base) || agent_item(item));
    p.baseline_turns.push_back(sample_mean(base, [](const SampleRecord& s) { return s.turns; }));
    p.candidate_turns.push_back(sample_mean(item, [](const SampleRecord& s) { return s.turns; }));
    p.baseline_tool_errors.push_back(sample_mean(base, [](const SampleRecord& s) { return s.tool_errors; }));
    p.candidate_tool_errors.push_back(sample_mean(item, [](const SampleRecord& s) { return s.tool_errors; }));
    const double d_mean = mean_correct(item) - mean_correct(base);
    p.mean_differences.push_back(d_mean);
    StratumData& s = p.strata[item.stratum];
    s.population += item.weight;
    s.headline.push_back(static_cast<double>(y) - static_cast<double>(x));
    s.mean.push_back(d_mean);
    s.baseline_right.push_back(x);
    s.candidate_right.push_back(y);
    // Only a slice needs reweighting: a census with stratum labels is graded as a whole.
    g.stratified = g.stratified || item.weight != 1;
    p.baseline_tokens.push_back(mean_reasoning(base));
    p.candidate_tokens.push_back(mean_reasoning(item));
    for (const SampleRecord& sample : base.samples) g.failed_baseline += !sample.error.empty();
    for (const SampleRecord& sample : item.samples) g.failed_candidate += !sample.error.empty();
  }
  return p;
}

// A stratified slice: each side's accuracy is a stratified mean of 0/1
// outcomes, the same estimator as the difference; the test is the stratified
// sign flip. Returns the items with a nonzero difference.
std::int64_t estimate_stratified(BenchGrade& g, const std::map<std::string, StratumData>& strata) {
  std::vector<stats::Stratum> headline, mean, baseline_right, candidate_right;
  for (const auto& [name, s] : strata) {
    const auto population_h = static_cast<std::int64_t>(std::llround(s.population));
    headline.push_back({population_h, s.headline});
    mean.push_back({population_h, s.mean});
    baseline_right.push_back({population_h, s.baseline_right});
    candidate_right.push_back({population_h, s.candidate_right});
  }
  const stats::StratifiedEstimate baseline_estimate = stats::stratified_difference(baseline_right);
  const stats::StratifiedEstimate candidate_estimate = stats::stratified_difference(candidate_right);
  g.baseline_accuracy = baseline_estimate.delta;
  g.candidate_accuracy = candidate_estimate.delta;
  const auto clamped = [](stats::Interval i) { return stats::Interval{std::max(0.0, i.low), std::min(1.0, i.high)}; };
  g.baseline_ci95 = clamped(baseline_estimate.ci95);
  g.candidate_ci95 = clamped(candidate_estimate.ci95);
  const stats::StratifiedEstimate estimate = stats::stratified_difference(headline);
  g.delta = estimate.delta;
  g.ci95 = estimate.ci95;
  const stats::StratifiedEstimate driving = g.samples > 1 ? stats::stratified_difference(mean) : estimate;
  g.test = BenchTest::kStratified;
  g.p_value = stats::sign_flip_p(driving.weighted);
  std::int64_t nonzero = 0;
  for (double d : driving.weighted.differences) nonzero += d != 0;
  return nonzero;
}

// Every item counts once: Wilson and Newcombe intervals; McNemar at K = 1 (and
// for a judged exam, whose outcome is its seeds' majority verdict), else the
// sign flip on mean correctness. Returns the items with a nonzero difference.
std::int64_t estimate_unstratified(BenchGrade& g, const std::vector<double>& mean_differences) {
  const auto& c = g.counts;
  g.baseline_accuracy = c.baseline_accuracy();
  g.candidate_accuracy = c.candidate_accuracy();
  g.baseline_ci95 = stats::wilson(c.both_right + c.losses, c.n());
  g.candidate_ci95 = stats::wilson(c.both_right + c.wins, c.n());
  g.delta = c.delta();
  g.ci95 = stats::newcombe_paired(c);
  if (g.samples > 1 && !g.judged) {
    g.test = BenchTest::kPairedMean;
    g.p_value = stats::sign_flip_p({mean_differences, {}});
    std::int64_t nonzero = 0;
    for (double d : mean_differences) nonzero += d != 0;
    return nonzero;
  }
  g.test = BenchTest::kMcNemar;
  g.p_value = g.mcnemar.one_sided_mid;
  return c.losses + c.wins;
}

BenchGrade analyze_paired(const BenchRecord& baseline, const BenchRecord& candidate, double alpha) {
  BenchGrade g;
  g.bench = candidate.name;
  g.samples = candidate.settings.samples;
  g.judged = !candidate.settings.judge.empty();
  g.mode = bench_mode(candidate.settings);
  std::map<std::string, const ItemRecord*> by_id;
  for (const ItemRecord& item : baseline.items) by_id[item.id] = &item;
  g.flips = flipped_items(by_id, candidate);
  const PairedItems p = pair_items(g, by_id, candidate);

  g.mcnemar = stats::mcnemar(g.counts.losses, g.counts.wins);
  g.mcnemar_z = stats::mcnemar_z(g.counts.losses, g.counts.wins);
  const stats::PairedMean paired = stats::paired_mean(p.mean_differences);
  g.mean_delta = paired.mean;
  g.mean_ci95 = paired.ci95;
  const std::int64_t nonzero = g.stratified ? estimate_stratified(g, p.strata) : estimate_unstratified(g, p.mean_differences);
  g.p_min_attainable = stats::mcnemar_min_mid_p(nonzero);  // all signs against the candidate
  if (g.samples > 1 && !g.judged) {
    g.differences = p.mean_differences;
  } else {
    for (const auto& [name, s] : p.strata) g.differences.insert(g.differences.end(), s.headline.begin(), s.headline.end());
  }
  if (candidate.stopped_early) {
    // 1/e is a valid p-value at the moment of stopping (Ville), whatever the peeking.
    g.stopped_early = candidate.stopped_early;
    g.test = BenchTest::kEarlyStop;
    g.p_value = std::min(1.0, 1.0 / std::max(candidate.stopped_early->e_value, 1e-300));
    g.p_min_attainable = 0;
    g.differences.clear();  // its e-value already decided it; its items stay out of the overall test
  }

  g.trunc_test = stats::mcnemar(g.trunc_counts.losses, g.trunc_counts.wins);
  g.turn_cap_test = stats::mcnemar(g.turn_cap_counts.losses, g.turn_cap_counts.wins);
  if (g.multi_turn) {
    g.turns_ratio = stats::paired_ratio(p.baseline_turns, p.candidate_turns);
    g.tool_errors_ratio = stats::paired_ratio(p.baseline_tool_errors, p.candidate_tool_errors);
  }
  if (g.judged) grade_exam(g, baseline, candidate);
  g.reasoning_ratio = stats::paired_ratio(p.baseline_tokens, p.candidate_tokens);
  g.reasoning_warning = g.reasoning_ratio.defined && g.reasoning_ratio.ci95.low > 1.0;
  if (g.delta < 0)
    g.items_needed = stats::mcnemar_items_needed(g.counts.flip_rate(), -g.delta, alpha, 0.8);
  return g;
}

}  // namespace

LuckMarginTest luck_margin_test(const BenchRecord& baseline, const BenchRecord& candidate) {
  LuckMarginTest t;
  std::map<std::string, const ItemRecord*> by_id;
  for (const ItemRecord& item : baseline.items) by_id[item.id] = &item;
  const double k = std::max(1, candidate.settings.samples), repeats = std::max(1, baseline.repeats);
  // A stratified slice's items stand for weight_i full-set items each: T and its
  // variance are the full set's, Σ w_i (m_i − p̄_i) and Σ w_i² v_i.
  double variance = 0, first_minus_mean = 0, total_weight = 0;
  for (const ItemRecord& item : candidate.items) {
    const ItemRecord& base = *by_id.at(item.id);
    const double all = mean_correct(base), n = static_cast<double>(base.samples.size());
    const double w = base.weight;
    t.statistic += w * (mean_correct(item) - all);
    if (n > 1) variance += w * w * n / (n - 1) * all * (1 - all);
    double first = 0;  // repeat 0: the first K samples
    for (std::size_t s = 0; s < static_cast<std::size_t>(k) && s < base.samples.size(); ++s)
      first += base.samples[s].correct && base.samples[s].error.empty();
    first_minus_mean += w * (first / k - all);
    total_weight += w;
  }
  t.candidate_sd = std::sqrt(variance / k);
  t.baseline_sd = std::sqrt(variance / (k * repeats));
  const boost::math::normal_distribution<double> normal;
  const double z_gamma = boost::math::quantile(normal, kBaselineLuckQuantile);
  if (t.candidate_sd > 0) {
    t.p_value = boost::math::cdf(normal, (t.statistic + z_gamma * t.baseline_sd) / t.candidate_sd);
  } else {
    t.p_value = t.statistic < 0 ? 0.0 : 1.0;  // no noise at all: any shortfall is real
  }
  if (total_weight > 0) {
    t.first_repeat_luck = first_minus_mean / total_weight;
    // Repeat 0 against the mean of R: its spread is the per-item variance over K, times (1 − 1/R).
    const double spread = std::sqrt(variance / k * (1 - 1 / repeats)) / total_weight;
    t.first_repeat_luck_z = spread > 0 ? t.first_repeat_luck / spread : 0.0;
  }
  return t;
}

BenchGrade analyze_bench(const BenchRecord& baseline, const BenchRecord& candidate, double alpha) {
  if (baseline.repeats <= 1 && candidate.repeats <= 1) return analyze_paired(baseline, candidate, alpha);
  // Outcomes, flips and accuracies are one repeat's, as a run records them (a
  // candidate with repeats, such as a second baseline, is read the same way); the
  // verdict tests against all the baseline's repeats. The overall test keeps
  // repeat 0's differences: those stay exchangeable with the candidate's.
  const BenchRecord one = first_repeat(candidate);
  BenchGrade g = analyze_paired(first_repeat(baseline), one, alpha);
  if (baseline.repeats <= 1) return g;
  g.baseline_repeats = baseline.repeats;
  g.luck = luck_margin_test(baseline, one);
  if (!g.stopped_early) {
    g.test = BenchTest::kLuckMargin;
    g.p_value = g.luck.p_value;
    g.p_min_attainable = 0;  // a normal test can reach any level
  }
  return g;
}

}  // namespace qdrift
