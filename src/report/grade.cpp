// grade_run: comparability guard, paired outcomes, McNemar and Holm.
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "qdrift/report.h"
#include "record/shard.h"
#include "tripwire/trip_rule.h"

namespace qdrift {

using nlohmann::json;

std::string verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass: return "pass";
    case Verdict::kDegraded: return "degraded";
    case Verdict::kNotComparable: return "not_comparable";
  }
  return "pass";
}

namespace {

template <typename T>
void compare_field(std::vector<Mismatch>& out, const std::string& bench, const char* field,
                   const T& baseline, const T& candidate) {
  if (baseline != candidate) out.push_back({bench, field, json(baseline).dump(), json(candidate).dump()});
}

// Every setting that must match for a bench to be graded (DESIGN §4).
std::vector<Mismatch> bench_mismatches(const BenchRecord& b, const BenchRecord& c) {
  std::vector<Mismatch> out;
  const BenchSettings& s = b.settings;
  const BenchSettings& t = c.settings;
  compare_field(out, b.name, "think", s.think, t.think);
  compare_field(out, b.name, "samples", s.samples, t.samples);
  compare_field(out, b.name, "temperature", s.temperature, t.temperature);
  compare_field(out, b.name, "max_tokens", s.max_tokens, t.max_tokens);
  compare_field(out, b.name, "top_p", s.top_p, t.top_p);
  compare_field(out, b.name, "top_k", s.top_k, t.top_k);
  compare_field(out, b.name, "min_p", s.min_p, t.min_p);
  compare_field(out, b.name, "presence_penalty", s.presence_penalty, t.presence_penalty);
  compare_field(out, b.name, "bench_version", s.bench_version, t.bench_version);
  compare_field(out, b.name, "code_execution", s.code_execution, t.code_execution);
  compare_field(out, b.name, "tool_protocol", s.tool_protocol, t.tool_protocol);
  compare_field(out, b.name, "judge", s.judge, t.judge);
  compare_field(out, b.name, "dataset_sha256", b.dataset_sha256, c.dataset_sha256);
  std::set<std::string> baseline_ids, candidate_ids;
  for (const ItemRecord& item : b.items) baseline_ids.insert(item.id);
  for (const ItemRecord& item : c.items) candidate_ids.insert(item.id);
  // A bench stopped early holds a prefix of the items; every one must be the baseline's.
  const bool items_match = c.stopped_early ? std::includes(baseline_ids.begin(), baseline_ids.end(),
                                                           candidate_ids.begin(), candidate_ids.end())
                                           : baseline_ids == candidate_ids;
  if (!items_match)
    out.push_back({b.name, "items", json(fmt::format("{} items", baseline_ids.size())).dump(),
                   json(fmt::format("{} items", candidate_ids.size())).dump()});
  return out;
}

// Said in every report: code that ran outside the sandbox could have touched the host.
void note_unsandboxed(std::vector<std::string>& notes, const std::string& bench, const BenchSettings* baseline,
                      const BenchSettings& candidate) {
  const bool in_baseline = baseline && baseline->code_execution == "unsandboxed";
  const bool in_candidate = candidate.code_execution == "unsandboxed";
  if (!in_baseline && !in_candidate) return;
  const char* where = in_baseline && in_candidate ? "the baseline and the candidate"
                      : in_baseline               ? "the baseline"
                                                  : "the candidate";
  notes.push_back(fmt::format("{}: ⚠ model-written code ran UNSANDBOXED in {} (--allow-unsandboxed)", bench, where));
}

// A judged bench whose judge disagreed with itself too often, on either side.
std::optional<Mismatch> noisy_judge(const BenchRecord& b, const BenchRecord& c, double min_agreement) {
  const auto agreement = [](const BenchRecord& bench) -> std::optional<double> {
    const JudgeAgreement a = judge_self_agreement(bench);
    return a.asked == 0 ? std::nullopt : std::optional<double>(a.share());
  };
  const std::optional<double> ab = agreement(b), ac = agreement(c);
  if ((!ab || *ab >= min_agreement) && (!ac || *ac >= min_agreement)) return std::nullopt;
  const auto shown = [](std::optional<double> share) {
    return share ? json(fmt::format("{:.1f}%", 100 * *share)).dump() : json(nullptr).dump();
  };
  return Mismatch{c.name, "judge_agreement", shown(ab), shown(ac)};
}

// Holm over the whole family keeps the chance of any false alarm at alpha; tests
// that could not reach alpha with their flips are left out (they cannot reject).
// The overall test joins the family with weight kOverallWeight; the per-bench
// tests share the rest, and take all of it once the overall test has rejected.
// `final_alpha` is what early stopping left of alpha (see record.h). Returns
// whether any test of the family, or a gate, found the candidate worse.
bool test_family(Grade& grade, std::vector<double> p_values, std::vector<double> min_attainable, double final_alpha) {
  grade.overall = overall_test(grade.benches);
  std::vector<double> weights;
  if (grade.overall.tested) {
    weights.assign(p_values.size(), (1 - kOverallWeight) / static_cast<double>(p_values.size()));
    p_values.push_back(grade.overall.p_value);
    min_attainable.push_back(grade.overall.p_min_attainable);
    weights.push_back(kOverallWeight);
  }
  const std::vector<double> adjusted = stats::holm_adjust_attainable(p_values, min_attainable, final_alpha, weights);
  std::size_t next = 0;
  bool any_degraded = false;
  for (BenchGrade& g : grade.benches) {
    if (!g.comparable) continue;
    g.p_adjusted = adjusted[next++];
    g.trunc_p_adjusted = adjusted[next++];
    if (g.multi_turn) g.turn_cap_p_adjusted = adjusted[next++];
    g.degraded = g.p_adjusted < final_alpha;
    g.trunc_degraded = g.trunc_p_adjusted < final_alpha;
    g.turn_cap_degraded = g.turn_cap_p_adjusted < final_alpha;
    any_degraded = any_degraded || g.degraded || g.trunc_degraded || g.turn_cap_degraded || g.gate_degraded;
  }
  if (grade.overall.tested) {
    grade.overall.p_adjusted = adjusted.back();
    grade.overall.degraded = grade.overall.p_adjusted < final_alpha;
    any_degraded = any_degraded || grade.overall.degraded;
  }
  return any_degraded;
}

// The candidate's probe against the baseline's floor at `alpha`; returns whether it tripped.
bool regrade_tripwire(TripwireGrade& t, const TripwireRecord& floor, const TripwireRecord& probe, double alpha) {
  if (probe.status == "unsupported") {
    t.status = "unsupported";
    t.reason = probe.reason;
    return false;
  }
  if (!((probe.status == "ok" || probe.status == "tripped") && floor.status == "reference")) return false;
  const tripwire::TripDecision d = tripwire::decide(floor.scores, probe.scores, alpha);
  t.status = d.tripped ? "tripped" : "ok";
  t.metric = d.metric;
  t.unavailable = !probe.unavailable.empty() ? probe.unavailable : floor.unavailable;
  t.top1_agreement = probe.summary.top1_agreement;
  t.mean_kld = probe.summary.mean_kl;
  t.floor_top1_agreement = floor.summary.top1_agreement;
  t.floor_mean_kld = floor.summary.mean_kl;
  t.abs_logprob_diff = d.abs_logprob_diff;
  t.floor_abs_logprob_diff = d.floor_abs_logprob_diff;
  t.p_value = d.p_value;
  t.candidate = probe.summary;
  t.floor = floor.summary;
  const bool kl = d.metric == "kl";
  for (const auto& [scores, out] : {std::pair{&probe.scores, &t.per_text}, std::pair{&floor.scores, &t.floor_per_text}})
    for (const tripwire::SequenceScore& score : *scores)
      out->push_back(kl ? score.mean_kl : score.mean_abs_logprob_difference);
  return d.tripped;
}

}  // namespace

Grade grade_run(const RunFile& baseline, const RunFile& candidate, double alpha, const GradeLimits& limits) {
  Grade grade;
  grade.alpha = alpha;
  compare_field(grade.mismatches, "", "tier", baseline.config.tier, candidate.config.tier);
  compare_field(grade.mismatches, "", "seed", baseline.config.seed, candidate.config.seed);
  // A limited run is an ad-hoc look: never comparable with an unlimited one.
  compare_field(grade.mismatches, "", "limit", baseline.config.limit, candidate.config.limit);
  // A shard holds part of each bench: graded only against the same shard. Its
  // shards merged (`qdrift merge`) are the whole run, graded as any other.
  const auto shard_label = [](const RunConfig& config) {
    return config.shard ? shard_name(*config.shard) : std::string("whole run");
  };
  compare_field(grade.mismatches, "", "shard", shard_label(baseline.config), shard_label(candidate.config));
  for (const auto& [side, run] : {std::pair{"baseline", &baseline}, std::pair{"candidate", &candidate}})
    if (run->config.shard && baseline.config.shard != candidate.config.shard)
      grade.notes.push_back(fmt::format("the {} is shard {} of a run: join its shards with `qdrift merge` and grade the "
                                        "merged file",
                                        side, shard_name(*run->config.shard)));
  const bool run_comparable = grade.mismatches.empty();

  std::map<std::string, const BenchRecord*> baseline_benches;
  for (const BenchRecord& b : baseline.benches) baseline_benches[b.name] = &b;
  std::vector<double> p_values;  // accuracy and cap-hit test of each graded bench, in order
  std::vector<double> min_attainable;
  for (const BenchRecord& c : candidate.benches) {
    BenchGrade g;
    g.bench = c.name;
    g.mode = bench_mode(c.settings);
    auto found = baseline_benches.find(c.name);
    note_unsandboxed(grade.notes, c.name, found == baseline_benches.end() ? nullptr : &found->second->settings,
                     c.settings);
    if (found == baseline_benches.end()) {
      grade.mismatches.push_back({c.name, "bench", json("absent").dump(), json("present").dump()});
      g.comparable = false;
      grade.benches.push_back(g);
      continue;
    }
    const BenchRecord& b = *found->second;
    baseline_benches.erase(found);
    std::vector<Mismatch> mismatches = bench_mismatches(b, c);
    const auto failed_share = [](const BenchRecord& bench) {
      std::int64_t samples = 0, failed = 0;
      for (const ItemRecord& item : bench.items)
        for (const SampleRecord& sample : item.samples) {
          ++samples;
          failed += !sample.error.empty();
        }
      return samples == 0 ? 0.0 : static_cast<double>(failed) / static_cast<double>(samples);
    };
    if (const double fb = failed_share(b), fc = failed_share(c);
        fb > limits.max_failed_share || fc > limits.max_failed_share)
      mismatches.push_back({c.name, "failed_samples", json(fmt::format("{:.1f}%", 100 * fb)).dump(),
                            json(fmt::format("{:.1f}%", 100 * fc)).dump()});
    if (auto noisy = noisy_judge(b, c, limits.min_judge_agreement)) mismatches.push_back(*noisy);
    g.comparable = run_comparable && mismatches.empty();
    grade.mismatches.insert(grade.mismatches.end(), mismatches.begin(), mismatches.end());
    // Failures are said with their reasons, graded or not: the reader must see what broke.
    for (const auto& [side, bench] : {std::pair{"baseline", &b}, std::pair{"candidate", &c}})
      if (const std::string failures = failure_summary(*bench); !failures.empty())
        grade.notes.push_back(fmt::format("{}: {} samples failed{}: {}", c.name, side,
                                          g.comparable ? " and count as wrong" : "", failures));
    if (g.comparable) {
      g = analyze_bench(b, c, alpha);
      p_values.push_back(g.p_value);
      min_attainable.push_back(g.p_min_attainable);
      p_values.push_back(g.trunc_test.one_sided_mid);
      min_attainable.push_back(stats::mcnemar_min_mid_p(g.trunc_counts.losses + g.trunc_counts.wins));
      if (g.multi_turn) {  // one-shot benches keep exactly the family they always had
        p_values.push_back(g.turn_cap_test.one_sided_mid);
        min_attainable.push_back(stats::mcnemar_min_mid_p(g.turn_cap_counts.losses + g.turn_cap_counts.wins));
      }
    }
    grade.benches.push_back(g);
  }
  for (const auto& [name, bench] : baseline_benches)
    grade.notes.push_back(fmt::format("{}: in the baseline but not in the candidate (not graded)", name));

  bool any_degraded = test_family(grade, std::move(p_values), std::move(min_attainable),
                                  candidate.config.stop_early ? alpha * (1 - kEarlyStopAlphaShare) : alpha);
  // The tripwire is re-decided here, so `diff --alpha` applies to it too.
  any_degraded = regrade_tripwire(grade.tripwire, baseline.tripwire, candidate.tripwire, alpha) || any_degraded;
  grade.verdict = any_degraded               ? Verdict::kDegraded
                  : grade.mismatches.empty() ? Verdict::kPass
                                             : Verdict::kNotComparable;
  return grade;
}

}  // namespace qdrift
