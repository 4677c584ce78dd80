// The report in text, Markdown, JSON (DESIGN §8), JUnit XML and HTML.
#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "qdrift/report.h"
#include "record/shard.h"
#include "report/xml_escape.h"
#include "util/json_text.h"

namespace qdrift {

using nlohmann::json;
using nlohmann::ordered_json;

bool parse_report_format(const std::string& name, ReportFormat& format) {
  if (name == "text") format = ReportFormat::kText;
  else if (name == "md") format = ReportFormat::kMarkdown;
  else if (name == "json") format = ReportFormat::kJson;
  else if (name == "junit") format = ReportFormat::kJunit;
  else if (name == "html") format = ReportFormat::kHtml;
  else return false;
  return true;
}

namespace {

double rate(std::int64_t count, std::int64_t n) {
  return n > 0 ? static_cast<double>(count) / static_cast<double>(n) : 0.0;
}
// In trunc_counts "right" means "finished": a baseline cut at the cap is a win or both_wrong.
double trunc_rate_baseline(const BenchGrade& g) {
  return rate(g.trunc_counts.wins + g.trunc_counts.both_wrong, g.trunc_counts.n());
}
double trunc_rate_candidate(const BenchGrade& g) {
  return rate(g.trunc_counts.losses + g.trunc_counts.both_wrong, g.trunc_counts.n());
}
// Turn-cap hits count the same way.
double turn_cap_rate_baseline(const BenchGrade& g) {
  return rate(g.turn_cap_counts.wins + g.turn_cap_counts.both_wrong, g.turn_cap_counts.n());
}
double turn_cap_rate_candidate(const BenchGrade& g) {
  return rate(g.turn_cap_counts.losses + g.turn_cap_counts.both_wrong, g.turn_cap_counts.n());
}

std::string signed_points(double delta) { return fmt::format("{:+.1f}", 100 * delta); }
std::string p_text(double p) { return p < 0.001 ? "<0.001" : fmt::format("{:.3f}", p); }

std::string bench_status(const BenchGrade& g) {
  if (!g.comparable) return "NOT COMPARABLE";
  std::string what;
  for (const auto& [failed, name] : {std::pair{g.degraded, "accuracy"}, std::pair{g.trunc_degraded, "cap hits"},
                                     std::pair{g.turn_cap_degraded, "turn-cap hits"}, std::pair{g.gate_degraded, "gate"}})
    if (failed) what += (what.empty() ? "" : ", ") + std::string(name);
  if (what.empty()) return "ok";
  return what == "accuracy" ? "DEGRADED" : "DEGRADED (" + what + ")";
}

// Any of the bench's tests found it worse.
bool bench_failed(const BenchGrade& g) {
  return g.degraded || g.trunc_degraded || g.turn_cap_degraded || g.gate_degraded;
}

std::string agreement_text(const JudgeAgreement& a) {
  return a.asked == 0 ? "not measured" : fmt::format("{:.0f}% ({} of {})", 100 * a.share(), a.agreed, a.asked);
}

// A judged exam: what its gates and its judge said, for the bench's sentence.
std::string exam_reason(const BenchGrade& g) {
  std::string reason;
  for (const TraitScore& t : g.traits)
    if (t.gate_failed)
      reason += fmt::format("; ⚠ {} ({}) fell below its {:.0f}% gate: {} of {} scenarios pass (baseline {})", t.id,
                            t.name, t.gate, t.candidate_passed, t.scenarios, t.baseline_passed);
  reason += fmt::format("; seeds passing: baseline {} of {}, candidate {} (shown, not tested)", g.seeds_passed_baseline,
                        g.seeds, g.seeds_passed_candidate);
  reason += fmt::format("; judge self-agreement: baseline {}, candidate {}", agreement_text(g.agreement_baseline),
                        agreement_text(g.agreement_candidate));
  return reason;
}

// "1.42× [1.10, 1.80]"
std::string ratio_text(const stats::RatioEstimate& r) {
  return fmt::format("{:.2f}× [{:.2f}, {:.2f}]", r.ratio, r.ci95.low, r.ci95.high);
}

// One sentence per bench saying why it got its status.
std::string bench_reason(const BenchGrade& g, double alpha) {
  if (!g.comparable) return fmt::format("{}: settings differ from the baseline, so no delta is shown", g.bench);
  const auto& c = g.counts;
  std::string reason;
  if (g.test == BenchTest::kLuckMargin) {
    const LuckMarginTest& t = g.luck;
    reason = fmt::format("{}: against the baseline's mean over {} repeats the candidate is {:+.1f} items (its noise "
                         "±{:.1f}, the baseline's luck ±{:.1f}): {} (p = {} {} {} after Holm); {} losses vs {} wins "
                         "against the first repeat, which sits {} points from the repeats' mean (z = {:+.1f})",
                         g.bench, g.baseline_repeats, t.statistic, t.candidate_sd, t.baseline_sd,
                         g.degraded ? "a shortfall beyond serving noise and the baseline's luck"
                                    : "within serving noise and the baseline's luck",
                         p_text(g.p_adjusted), g.degraded ? "<" : "≥", alpha, c.losses, c.wins,
                         signed_points(t.first_repeat_luck), t.first_repeat_luck_z);
  } else if (g.degraded) {
    reason = fmt::format("{}: {} losses vs {} wins is too one-sided for serving noise (p = {} < {} after Holm)",
                         g.bench, c.losses, c.wins, p_text(g.p_adjusted), alpha);
  } else if (c.losses > c.wins || g.delta < 0) {
    reason = fmt::format("{}: {} losses vs {} wins ({} points) is within what serving noise produces "
                         "(p = {} ≥ {} after Holm)",
                         g.bench, c.losses, c.wins, signed_points(g.delta), p_text(g.p_adjusted), alpha);
    if (g.items_needed > 0)
      reason += fmt::format("; a real loss this size at {:.0f}% flips needs ~{:.0f} items to detect with 80% power",
                            100 * c.flip_rate(), g.items_needed);
  } else {
    reason = fmt::format("{}: {} losses vs {} wins: flips are balanced or favour the candidate", g.bench,
                         c.losses, c.wins);
  }
  if (g.stopped_early)
    reason += fmt::format("; stopped early after {} items (e-value {:.0f} ≥ {:.0f}), saving {} requests",
                          g.stopped_early->items_graded, g.stopped_early->e_value, g.stopped_early->threshold,
                          g.stopped_early->requests_saved);
  if (g.judged)
    reason += fmt::format("; a scenario passes when most of its {} seeds pass, and the verdict tests scenarios", g.samples);
  else if (g.samples > 1)
    reason += fmt::format("; maj@{} accuracy shown, the verdict uses the per-item mean correctness ({} points [{}, {}])",
                          g.samples, signed_points(g.mean_delta), signed_points(g.mean_ci95.low),
                          signed_points(g.mean_ci95.high));
  if (g.stratified) reason += "; accuracies are reweighted to the full set (stratified slice)";
  if (g.reasoning_warning)
    reason += fmt::format("; ⚠ reasoning tokens rose {:.2f}× [{:.2f}, {:.2f}]", g.reasoning_ratio.ratio,
                          g.reasoning_ratio.ci95.low, g.reasoning_ratio.ci95.high);
  else if (g.reasoning_ratio.defined)
    reason += fmt::format("; reasoning tokens {:.2f}× the baseline's [{:.2f}, {:.2f}]", g.reasoning_ratio.ratio,
                          g.reasoning_ratio.ci95.low, g.reasoning_ratio.ci95.high);
  if (g.trunc_degraded)
    reason += fmt::format("; cap hits rose {:.1f}% → {:.1f}% (p = {} after Holm): the model rambles into the cap",
                          100 * trunc_rate_baseline(g), 100 * trunc_rate_candidate(g), p_text(g.trunc_p_adjusted));
  if (g.multi_turn) {
    reason += fmt::format("; turn-cap hits {:.1f}% → {:.1f}% (p = {} after Holm){}", 100 * turn_cap_rate_baseline(g),
                          100 * turn_cap_rate_candidate(g), p_text(g.turn_cap_p_adjusted),
                          g.turn_cap_degraded ? ": the agent loops instead of answering" : "");
    if (g.turns_ratio.defined) reason += "; turns used " + ratio_text(g.turns_ratio);
    if (g.tool_errors_ratio.defined) reason += "; failed commands " + ratio_text(g.tool_errors_ratio);
  }
  if (g.judged) reason += exam_reason(g);
  return reason;
}

std::string verdict_line(const Grade& grade) {
  switch (grade.verdict) {
    case Verdict::kDegraded: return "DEGRADED — the candidate is measurably worse than the baseline (exit 1)";
    case Verdict::kNotComparable: return "⚠ NOT COMPARABLE — settings differ, nothing graded as degraded (exit 2)";
    case Verdict::kPass: return "PASS — no degradation detected (exit 0)";
  }
  return "";
}

// The report's lead line: the tripwire runs first and is the most reproducible signal.
// A second line carries the rest of the llama.cpp-style figures.
}  // namespace

std::string render_tripwire_lines(const TripwireGrade& t) {
  if (t.status == "absent") return "tripwire: absent (the baseline has no reference pass)\n";
  if (t.status == "unsupported") return fmt::format("tripwire: unsupported: {}\n", t.reason);
  const std::string state = t.status == "tripped" ? "TRIPPED" : "ok";
  std::string out;
  if (t.metric == "kl") {
    out = fmt::format("tripwire: {} — top-1 agreement {:.4f} (noise floor {:.4f}), mean KL {:.5f} (floor {:.5f}), p = {}\n",
                      state, t.top1_agreement, t.floor_top1_agreement, t.mean_kld, t.floor_mean_kld, p_text(t.p_value));
    out += fmt::format("  KL p99 {:.4f} max {:.3f} · ", t.candidate.p99_kl, t.candidate.max_kl);
  } else {
    out = fmt::format("tripwire: {} — mean |Δ logprob| {:.4f} (noise floor {:.4f}), p = {}; top-1 agreement and KL "
                      "unavailable: {}\n",
                      state, t.abs_logprob_diff, t.floor_abs_logprob_diff, p_text(t.p_value), t.unavailable);
    out += "  ";
  }
  out += fmt::format("Δp mean {:+.4f} RMS {:.4f} p01 {:+.4f} · PPL ratio {:.4f} (floor {:.4f}) · {} positions\n",
                     t.candidate.mean_delta_p, t.candidate.rms_delta_p, t.candidate.p01_delta_p, t.candidate.ppl_ratio,
                     t.floor.ppl_ratio, t.candidate.positions);
  return out;
}

namespace {

// A judged exam's traits: scenarios passing on each side against the gate, then
// each failing scenario of the candidate with the judge's reason.
std::string trait_table(const BenchGrade& g, bool markdown) {
  std::string out;
  const auto score = [](int passed, int of) { return fmt::format("{}/{} ({:.0f}%)", passed, of, 100.0 * passed / of); };
  if (markdown) {
    out += fmt::format("**{}** traits\n\n| trait | baseline | candidate | gate | status |\n|---|---|---|---|---|\n", g.bench);
  } else {
    out += fmt::format("{} traits:\n  {:<4} {:<62} {:>13} {:>13} {:>5}  {}\n", g.bench, "", "", "baseline", "candidate",
                       "gate", "status");
  }
  for (const TraitScore& t : g.traits) {
    const std::string status = t.gate_failed ? "BELOW GATE" : t.candidate_met ? "ok" : "below gate (as baseline)";
    const std::string gate = fmt::format("{:.0f}%", t.gate);
    out += markdown ? fmt::format("| {} {} | {} | {} | {} | {} |\n", t.id, t.name, score(t.baseline_passed, t.scenarios),
                                  score(t.candidate_passed, t.scenarios), gate, status)
                    : fmt::format("  {:<4} {:<62} {:>13} {:>13} {:>5}  {}\n", t.id, t.name.substr(0, 62),
                                  score(t.baseline_passed, t.scenarios), score(t.candidate_passed, t.scenarios), gate,
                                  status);
  }
  for (const TraitScore& t : g.traits)
    for (const auto& [scenario, why] : t.failed_scenarios)
      out += fmt::format("{}{} fails: {}\n", markdown ? "- " : "    ", scenario, why);
  return out;
}

using TableRow = std::array<std::string, 12>;

std::string delta_text(const BenchGrade& g) {
  return fmt::format("{} [{}, {}]", signed_points(g.delta), signed_points(g.ci95.low), signed_points(g.ci95.high));
}

// One row of the text table; the bench column is `width` wide (its longest name).
std::string text_row(std::size_t width, const TableRow& c) {
  return fmt::format("{:<{}} {:>5} {:>6} {:>6} {:>22} {:>6} {:>5} {:>6} {:>7} {:>7} {:>13}  {}\n", c[0], width, c[1],
                     c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11]);
}

// The bench column's width: "bench" or the longest bench name, at least 10.
template <typename Rows, typename Name>
std::size_t name_width(const Rows& rows, Name name) {
  std::size_t width = 10;
  for (const auto& row : rows) width = std::max(width, name(row).size());
  return width;
}

std::string text_table(const Grade& grade) {
  const std::size_t width = name_width(grade.benches, [](const BenchGrade& g) -> const std::string& { return g.bench; });
  std::string out = text_row(width, {"bench", "n", "base", "cand", "Δ pts (95% CI)", "losses", "wins", "flips", "p",
                                     "p(Holm)", "cap hits b→c", "status"});
  for (const BenchGrade& g : grade.benches) {
    if (!g.comparable) {
      out += text_row(width, {g.bench, "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", bench_status(g)});
      continue;
    }
    const auto& c = g.counts;
    out += text_row(width, {g.bench, std::to_string(c.n()), fmt::format("{:.3f}", g.baseline_accuracy),
                            fmt::format("{:.3f}", g.candidate_accuracy), delta_text(g), std::to_string(c.losses),
                            std::to_string(c.wins), fmt::format("{:.1f}%", 100 * c.flip_rate()), p_text(g.p_value),
                            p_text(g.p_adjusted), fmt::format("{:.1f}%→{:.1f}%", 100 * trunc_rate_baseline(g),
                                                              100 * trunc_rate_candidate(g)),
                            bench_status(g)});
  }
  return out;
}

// "███████▋░░ 0.776": ten cells, each split in eighths, then the figure.
std::string unicode_bar(double share) {
  static const char* const kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  const int eighths = static_cast<int>(std::lround(std::clamp(share, 0.0, 1.0) * 80));
  std::string bar;
  for (int i = 0; i < eighths / 8; ++i) bar += "█";
  bar += kEighths[eighths % 8];
  for (int i = (eighths + 7) / 8; i < 10; ++i) bar += "░";
  return fmt::format("{} {:.3f}", bar, share);
}

// The brief's table: bench, baseline accuracy with a bar, candidate, Δ, losses / wins, mode, status.
std::string markdown_table(const Grade& grade) {
  std::string out = "| bench | baseline | candidate | Δ pts (95% CI) | losses / wins | mode | status |\n"
                    "|---|---|---|---|---|---|---|\n";
  for (const BenchGrade& g : grade.benches) {
    if (!g.comparable) {
      out += fmt::format("| {} | | | | | {} | {} |\n", g.bench, g.mode, bench_status(g));
      continue;
    }
    out += fmt::format("| {} | `{}` | {:.3f} | {} | {} / {} | {} | {} |\n", g.bench, unicode_bar(g.baseline_accuracy),
                       g.candidate_accuracy, delta_text(g), g.counts.losses, g.counts.wins, g.mode,
                       bench_status(g) == "ok" ? "ok" : "**" + bench_status(g) + "**");
  }
  return out;
}

// "overall: 7 benches, 5,892 items pooled: p = 0.004 (0.008 after Holm): DEGRADED"
std::string overall_line(const OverallTest& o) {
  std::int64_t items = 0;
  for (const OverallBench& b : o.benches) items += b.items;
  return fmt::format("overall: {} benches, {} items in one weighted sign-flip test: p = {} ({} after Holm): {}",
                     o.benches.size(), items, p_text(o.p_value), p_text(o.p_adjusted),
                     o.degraded ? "DEGRADED — together the benches lose more than serving noise explains"
                                : "no loss detected across the benches");
}

std::string render_text(const Grade& grade, bool markdown) {
  std::string out;
  out += fmt::format("qdrift: candidate {} vs baseline {}\n", grade.candidate_label, grade.baseline_label);
  out += grade.overall.tested
             ? fmt::format("alpha {} (weighted Holm: the overall test holds half of it, the accuracy and cap-hit tests "
                           "of every bench share the rest)\n",
                           grade.alpha)
             : fmt::format("alpha {} (Holm across the accuracy and cap-hit tests of every bench that can reach it)\n",
                           grade.alpha);
  out += render_tripwire_lines(grade.tripwire);
  if (grade.overall.tested) out += (markdown ? "\n**" : "") + overall_line(grade.overall) + (markdown ? "**\n" : "\n");
  out += "\n";
  if (!grade.mismatches.empty()) {
    out += "⚠ NOT COMPARABLE: these settings differ from the baseline\n";
    for (const Mismatch& m : grade.mismatches)
      out += fmt::format("  {}{}: baseline {}, candidate {}\n", m.bench.empty() ? "" : m.bench + ".", m.field,
                         m.baseline, m.candidate);
    out += "\n";
  }
  out += markdown ? markdown_table(grade) : text_table(grade);
  out += "\n";
  for (const BenchGrade& g : grade.benches) out += (markdown ? "- " : "  ") + bench_reason(g, grade.alpha) + "\n";
  for (const BenchGrade& g : grade.benches)
    if (g.comparable && !g.traits.empty()) out += "\n" + trait_table(g, markdown);
  for (const std::string& note : grade.notes) out += (markdown ? "- " : "  ") + note + "\n";
  out += fmt::format("\n{}{}\n", markdown ? "**Verdict:** " : "verdict: ", verdict_line(grade));
  return out;
}

json null_if(bool absent, json value) { return absent ? json(nullptr) : std::move(value); }

ordered_json tripwire_json(const TripwireGrade& t) {
  const bool measured = t.status == "ok" || t.status == "tripped";
  auto figure = [&](double value) { return null_if(!measured || !tripwire::available(value), value); };
  ordered_json j = {{"status", t.status},
                    {"top1_agreement", figure(t.top1_agreement)},
                    {"mean_kld", figure(t.mean_kld)},
                    {"floor_top1_agreement", figure(t.floor_top1_agreement)},
                    {"floor_mean_kld", figure(t.floor_mean_kld)},
                    {"p_value", figure(t.p_value)}};
  if (measured) {
    j["metric"] = t.metric;
    j["mean_abs_logprob_diff"] = figure(t.abs_logprob_diff);
    j["floor_mean_abs_logprob_diff"] = figure(t.floor_abs_logprob_diff);
    j["p99_kld"] = figure(t.candidate.p99_kl);
    j["delta_p_mean"] = figure(t.candidate.mean_delta_p);
    j["delta_p_rms"] = figure(t.candidate.rms_delta_p);
    j["delta_p_p01"] = figure(t.candidate.p01_delta_p);
    j["ppl_ratio"] = figure(t.candidate.ppl_ratio);
    j["floor_ppl_ratio"] = figure(t.floor.ppl_ratio);
    j["positions"] = t.candidate.positions;
    j["per_text"] = t.per_text;
    j["floor_per_text"] = t.floor_per_text;
    if (!t.unavailable.empty()) j["unavailable"] = t.unavailable;
  }
  if (!t.reason.empty()) j["reason"] = t.reason;
  j["summary"] = render_tripwire_lines(t);
  return j;
}

ordered_json flip_side_json(const FlipSide& side) {
  return {{"answer", side.answer}, {"explanation", side.explanation}, {"correct", side.correct}, {"sample", side.sample}};
}

ordered_json flips_json(const std::vector<FlippedItem>& flips) {
  ordered_json out = ordered_json::array();
  for (const FlippedItem& f : flips) {
    out.push_back({{"id", f.id},
                   {"outcome", f.loss ? "loss" : "win"},
                   {"prompt_opening", f.prompt_opening},
                   {"baseline", flip_side_json(f.baseline)},
                   {"candidate", flip_side_json(f.candidate)},
                   {"multi_turn", f.multi_turn}});
  }
  return out;
}

ordered_json overall_json(const OverallTest& o) {
  if (!o.tested) return nullptr;
  ordered_json weights = ordered_json::array();
  for (const OverallBench& b : o.benches) weights.push_back({{"bench", b.bench}, {"items", b.items}, {"weight", b.weight}});
  return {{"test", "weighted_sign_flip"}, {"statistic", o.statistic}, {"p_value", o.p_value},
          {"p_adjusted", o.p_adjusted}, {"degraded", o.degraded}, {"weights", std::move(weights)}};
}

}  // namespace

ordered_json report_json(const Grade& grade) {
  ordered_json mismatches = ordered_json::array();
  for (const Mismatch& m : grade.mismatches) {
    ordered_json entry = {{"field", m.field},
                          {"baseline", json::parse(m.baseline)},
                          {"candidate", json::parse(m.candidate)}};
    if (!m.bench.empty()) entry["bench"] = m.bench;
    mismatches.push_back(std::move(entry));
  }
  ordered_json benches = ordered_json::array();
  for (const BenchGrade& g : grade.benches) {
    const auto& c = g.counts;
    const bool skip = !g.comparable;
    benches.push_back(ordered_json{
        {"bench", g.bench},
        {"comparable", g.comparable},
        {"n", null_if(skip, c.n())},
        {"baseline_acc", null_if(skip, g.baseline_accuracy)},
        {"candidate_acc", null_if(skip, g.candidate_accuracy)},
        {"delta", null_if(skip, g.delta)},
        {"ci95", null_if(skip, json::array({g.ci95.low, g.ci95.high}))},
        {"losses", null_if(skip, c.losses)},
        {"wins", null_if(skip, c.wins)},
        {"flip_rate", null_if(skip, c.flip_rate())},
        {"p_value", null_if(skip, g.p_value)},
        {"test", null_if(skip, bench_test_name(g.test))},
        {"samples", g.samples},
        {"stratified", g.stratified},
        {"mcnemar_two_sided", null_if(skip, g.mcnemar.two_sided_exact)},
        {"mcnemar_z", null_if(skip, g.mcnemar_z.z)},
        {"mean_delta", null_if(skip || g.samples == 1, g.mean_delta)},
        {"mean_ci95", null_if(skip || g.samples == 1, json::array({g.mean_ci95.low, g.mean_ci95.high}))},
        {"reasoning_ratio", null_if(skip || !g.reasoning_ratio.defined, g.reasoning_ratio.ratio)},
        {"reasoning_ratio_ci95", null_if(skip || !g.reasoning_ratio.defined,
                                          json::array({g.reasoning_ratio.ci95.low, g.reasoning_ratio.ci95.high}))},
        {"reasoning_warning", g.reasoning_warning},
        {"stopped_early", g.stopped_early ? json{{"items_graded", g.stopped_early->items_graded},
                                                 {"requests_saved", g.stopped_early->requests_saved},
                                                 {"e_value", g.stopped_early->e_value}}
                                          : json(nullptr)},
        {"p_adjusted", null_if(skip, g.p_adjusted)},
        {"degraded", g.degraded},
        {"trunc_baseline", null_if(skip, trunc_rate_baseline(g))},
        {"trunc_candidate", null_if(skip, trunc_rate_candidate(g))},
        {"trunc_p_value", null_if(skip, g.trunc_test.one_sided_mid)},
        {"trunc_degraded", g.trunc_degraded},
        {"turn_cap_baseline", null_if(skip || !g.multi_turn, turn_cap_rate_baseline(g))},
        {"turn_cap_candidate", null_if(skip || !g.multi_turn, turn_cap_rate_candidate(g))},
        {"turn_cap_p_value", null_if(skip || !g.multi_turn, g.turn_cap_test.one_sided_mid)},
        {"turn_cap_degraded", g.turn_cap_degraded},
        {"turns_ratio", null_if(skip || !g.turns_ratio.defined, g.turns_ratio.ratio)},
        {"tool_errors_ratio", null_if(skip || !g.tool_errors_ratio.defined, g.tool_errors_ratio.ratio)},
        {"failed_baseline", g.failed_baseline},
        {"failed_candidate", g.failed_candidate},
        {"mode", g.mode},
        {"baseline_repeats", g.baseline_repeats},
        {"baseline_luck", null_if(skip || g.baseline_repeats == 1,
                                  json{{"statistic", g.luck.statistic},
                                       {"candidate_sd", g.luck.candidate_sd},
                                       {"baseline_sd", g.luck.baseline_sd},
                                       {"first_repeat_luck", g.luck.first_repeat_luck},
                                       {"first_repeat_luck_z", g.luck.first_repeat_luck_z}})},
        {"status", bench_status(g)},
        {"reason", bench_reason(g, grade.alpha)},
        {"baseline_ci95", null_if(skip, json::array({g.baseline_ci95.low, g.baseline_ci95.high}))},
        {"candidate_ci95", null_if(skip, json::array({g.candidate_ci95.low, g.candidate_ci95.high}))},
        {"flips", skip ? ordered_json::array() : flips_json(g.flips)},
    });
    if (g.judged && !skip) {
      ordered_json traits = ordered_json::array();
      for (const TraitScore& t : g.traits) {
        ordered_json failed = ordered_json::array();
        for (const auto& [scenario, why] : t.failed_scenarios) failed.push_back({{"scenario", scenario}, {"reason", why}});
        traits.push_back({{"trait", t.id},
                          {"name", t.name},
                          {"gate", t.gate},
                          {"scenarios", t.scenarios},
                          {"baseline_passed", t.baseline_passed},
                          {"candidate_passed", t.candidate_passed},
                          {"gate_failed", t.gate_failed},
                          {"candidate_failures", std::move(failed)}});
      }
      benches.back()["traits"] = std::move(traits);
      benches.back()["gate_degraded"] = g.gate_degraded;
      benches.back()["seeds"] = {{"total", g.seeds}, {"baseline_passed", g.seeds_passed_baseline},
                                 {"candidate_passed", g.seeds_passed_candidate}};
      const auto agreement = [](const JudgeAgreement& a) {
        return a.asked == 0 ? json(nullptr) : json{{"asked", a.asked}, {"agreed", a.agreed}, {"share", a.share()}};
      };
      benches.back()["judge_agreement"] = {{"baseline", agreement(g.agreement_baseline)},
                                           {"candidate", agreement(g.agreement_candidate)}};
    }
  }
  ordered_json out = {
      {"verdict", verdict_name(grade.verdict)},
      {"comparable", grade.mismatches.empty()},
      {"mismatches", std::move(mismatches)},
      {"alpha", grade.alpha},
      {"benches", std::move(benches)},
      {"tripwire", tripwire_json(grade.tripwire)},
      {"overall", overall_json(grade.overall)},
      {"notes", grade.notes},  // what the text report lists under the table (unsandboxed code, failures)
      {"verdict_line", verdict_line(grade)},
      {"baseline_label", grade.baseline_label},
      {"candidate_label", grade.candidate_label},
  };
  return out;
}

namespace {

std::string render_json(const Grade& grade) { return json_text(report_json(grade), 2) + "\n"; }

std::string render_junit(const Grade& grade) {
  int failures = 0;
  std::string cases;
  for (const BenchGrade& g : grade.benches) {
    cases += fmt::format("    <testcase classname=\"qdrift\" name=\"{}\">\n", xml_escape(g.bench));
    if (!g.comparable) {
      cases += "      <skipped message=\"not comparable with the baseline\"/>\n";
    } else if (bench_failed(g)) {
      ++failures;
      cases += fmt::format("      <failure message=\"{}\"/>\n", xml_escape(bench_reason(g, grade.alpha)));
    }
    cases += "    </testcase>\n";
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"qdrift\" tests=\"{}\" "
      "failures=\"{}\">\n{}  </testsuite>\n</testsuites>\n",
      grade.benches.size(), failures, cases);
}

}  // namespace

std::string render_report(const Grade& grade, ReportFormat format) {
  switch (format) {
    case ReportFormat::kText: return render_text(grade, false);
    case ReportFormat::kMarkdown: return render_text(grade, true);
    case ReportFormat::kJson: return render_json(grade);
    case ReportFormat::kJunit: return render_junit(grade);
    case ReportFormat::kHtml: return render_html(report_json(grade));
  }
  return {};
}

std::string render_run_summary(const RunFile& run) {
  std::string out = fmt::format("{} of {} · tier {} · seed {}{}\n", run.kind, run.model, run.config.tier,
                                run.config.seed,
                                run.config.shard ? fmt::format(" · shard {} (of each bench's items)",
                                                               shard_name(*run.config.shard))
                                                 : "");
  const std::size_t width = name_width(run.benches, [](const BenchRecord& b) -> const std::string& { return b.name; });
  out += fmt::format("{:<{}} {:>5} {:>8} {:>9} {:>8} {:>12}\n", "bench", width, "n", "accuracy", "cap hits", "failed",
                     "mean tokens");
  for (const BenchRecord& bench : run.benches) {
    BenchSummary s = summarize(bench);
    out += fmt::format("{:<{}} {:>5} {:>8.3f} {:>8.1f}% {:>8} {:>12.0f}\n", bench.name, width, s.items, s.accuracy,
                       100 * s.trunc_rate, s.failed_samples, s.mean_completion_tokens);
  }
  for (const BenchRecord& bench : run.benches)
    if (const std::string failures = failure_summary(bench); !failures.empty())
      out += fmt::format("{}: failed samples: {}\n", bench.name, failures);
  for (const BenchRecord& bench : run.benches)
    if (bench.settings.code_execution == "unsandboxed")
      out += fmt::format("⚠ {}: model-written code ran UNSANDBOXED (--allow-unsandboxed)\n", bench.name);
  const RequestStats& rs = run.request_stats;
  if (rs.retries > 0 || rs.unusable_bodies > 0)
    out += fmt::format("requests: {} answered, {} retried (HTTP 5xx/408/429 or dropped), {} unusable bodies asked again\n",
                       rs.requests, rs.retries, rs.unusable_bodies);
  if (!rs.unusable_reasons.empty()) out += fmt::format("unusable bodies: {}\n", count_summary(rs.unusable_reasons));
  if (!rs.replicas.empty()) out += fmt::format("replicas: {}\n", replica_summary(rs.replicas));
  return out;
}

}  // namespace qdrift
