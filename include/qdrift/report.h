// Grading a candidate run against a baseline, and the report in every format
// (text, md, json, junit, html). The JSON shape is the contract of DESIGN §8.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "qdrift/record.h"
#include "qdrift/tripwire.h"
#include "qdrift/stats.h"

namespace qdrift {

// A setting that differs between baseline and candidate. Values are JSON text.
struct Mismatch {
  std::string bench;  // "" for run-level fields
  std::string field;
  std::string baseline;
  std::string candidate;
};

// Which test decides a bench (see docs/statistics.md):
// - K = 1, unstratified: exact one-sided mid-p McNemar on losses vs wins;
// - K > 1: sign-flip test on the per-item mean correctness (Miller's paired analysis);
// - stratified slice: the same sign-flip test with weights W_h / n_h.
// - a baseline of R > 1 repeats: the candidate's per-item mean against the
//   baseline's over all repeats, with a margin for the baseline's own luck.
enum class BenchTest { kMcNemar, kPairedMean, kStratified, kEarlyStop, kLuckMargin };
// "mcnemar_mid_p", "paired_mean_sign_flip", "stratified_sign_flip", "early_stop_e_value", "baseline_mean_luck_margin"
std::string bench_test_name(BenchTest test);

// The luck-margin test (docs/statistics.md#a-baseline-of-several-repeats). With
// pbar_i the baseline's mean correctness over its K × R samples of item i and m_i
// the candidate's over its K,
//   T = sum_i (m_i − pbar_i),  v_i = n/(n−1) · pbar_i (1 − pbar_i) with n = K R,
//   s_C² = sum_i v_i / K (the candidate's noise), s_B² = sum_i v_i / (K R) (the baseline's luck),
//   p = Phi((T + z_gamma · s_B) / s_C):
// p < alpha exactly when the candidate falls short by more than its own noise at
// alpha plus the baseline's luck up to its gamma quantile. In a stratified slice
// each term counts w_i times (the item's weight) and each variance w_i² times.
inline constexpr double kBaselineLuckQuantile = 0.9;
struct LuckMarginTest {
  double statistic = 0;       // T
  double p_value = 1;
  double candidate_sd = 0;    // s_C
  double baseline_sd = 0;     // s_B
  double first_repeat_luck = 0;  // repeat 0's accuracy minus the mean of all repeats (a one-repeat baseline's luck)
  double first_repeat_luck_z = 0;
};
LuckMarginTest luck_margin_test(const BenchRecord& baseline, const BenchRecord& candidate);

// A judged exam's trait: the share of its scenarios that pass on each side
// against its gate. A candidate below the gate where the baseline met it fails
// the bench, whatever the p-value.
struct TraitScore {
  std::string id, name;
  double gate = 0;  // percent; a score meets it when it rounds to at least it (8 of 9 is 89%)
  int scenarios = 0;
  int baseline_passed = 0, candidate_passed = 0;
  bool baseline_met = false, candidate_met = false;
  bool gate_failed = false;  // the candidate misses the gate the baseline met
  // The candidate's failing scenarios, with the judge's reason from their first failing seed.
  std::vector<std::pair<std::string, std::string>> failed_scenarios;
};

// How often the judge agreed with itself on the transcripts it judged twice.
struct JudgeAgreement {
  std::int64_t asked = 0, agreed = 0;
  double share() const { return asked == 0 ? 0.0 : static_cast<double>(agreed) / static_cast<double>(asked); }
};

// The judge's verdicts against its second verdicts (judge_repeat) on one side's transcripts.
JudgeAgreement judge_self_agreement(const BenchRecord& bench);

// One side of a flipped item: a sample whose correctness matches the item's
// outcome on that side (the first such), and how many of the K were right.
struct FlipSide {
  std::string answer;       // extracted answer ("" when none)
  std::string explanation;  // why it was scored so, or why the sample failed
  int correct = 0;          // samples right, of BenchGrade::samples
  int sample = 0;           // the index of the sample shown
};

// An item whose headline outcome differs between the runs, for the reports that list them.
struct FlippedItem {
  std::string id;
  bool loss = false;           // the baseline got it right and the candidate did not; a win otherwise
  std::string prompt_opening;  // "" when the run files predate it
  FlipSide baseline, candidate;
  bool multi_turn = false;     // its episodes are in the runs' transcripts sidecars
};

struct BenchGrade {
  std::string bench;
  bool comparable = true;
  int samples = 1;                     // K
  bool stratified = false;
  stats::PairedCounts counts;          // headline (maj@K) outcomes paired by item id
  double baseline_accuracy = 0;        // headline accuracy; reweighted to the full set when stratified
  double candidate_accuracy = 0;
  stats::Interval baseline_ci95, candidate_ci95;  // each side's accuracy: Wilson; stratified: the normal interval
  double delta = 0;                    // candidate - baseline headline accuracy
  stats::Interval ci95;                // Newcombe; stratified: normal with finite-population correction
  stats::McNemarResult mcnemar;        // on losses vs wins, always reported
  stats::McNemarZ mcnemar_z;           // its normal approximation
  double mean_delta = 0;               // mean per-item correctness difference (K > 1)
  stats::Interval mean_ci95;           // Miller's paired interval
  BenchTest test = BenchTest::kMcNemar;
  double p_value = 1;                  // of the deciding test, one-sided (candidate worse)
  double p_min_attainable = 1;         // the smallest p that test could give with these flips
  double p_adjusted = 1;               // Holm over the attainable tests of the report
  bool degraded = false;
  stats::PairedCounts trunc_counts;    // "right" here means "not cut at the cap"
  stats::McNemarResult trunc_test;     // one-sided: the candidate hits the cap more
  double trunc_p_adjusted = 1;
  bool trunc_degraded = false;
  stats::RatioEstimate reasoning_ratio;  // candidate / baseline reasoning tokens per item
  bool reasoning_warning = false;        // the ratio's interval lies above 1
  // Agent benches (a sample took more than one turn or ran a tool on either side):
  // turn-cap hits are tested like cap hits, in the same Holm family; turns used
  // and failed tool calls per item are reported as paired ratios.
  bool multi_turn = false;
  stats::PairedCounts turn_cap_counts;  // "right" here means "finished within the turn cap"
  stats::McNemarResult turn_cap_test;   // one-sided: the candidate hits the turn cap more
  double turn_cap_p_adjusted = 1;
  bool turn_cap_degraded = false;
  stats::RatioEstimate turns_ratio;        // candidate / baseline model turns per item
  stats::RatioEstimate tool_errors_ratio;  // candidate / baseline failed tool calls per item
  std::optional<EarlyStop> stopped_early;  // the candidate's run ended this bench early
  std::int64_t failed_baseline = 0;    // samples that failed (no usable response)
  std::int64_t failed_candidate = 0;
  double items_needed = 0;             // to detect the observed loss at 80% power; 0 if n/a
  // A judged bench (its settings name a judge): scenario outcomes (maj@K) are
  // tested by McNemar; traits are scored against their gates.
  bool judged = false;
  std::vector<TraitScore> traits;
  bool gate_degraded = false;
  JudgeAgreement agreement_baseline, agreement_candidate;
  // Passing seeds (samples) on each side, shown beside the scenario outcomes but not tested.
  std::int64_t seeds = 0, seeds_passed_baseline = 0, seeds_passed_candidate = 0;
  std::string mode;                  // how it ran: "think · maj@4", "no-think"
  int baseline_repeats = 1;          // > 1: the luck-margin test decided, and `luck` holds it
  LuckMarginTest luck;
  // Per item, what the deciding test uses (candidate − baseline: outcome, or mean
  // correctness when K > 1), for the overall test; empty when the bench stopped early.
  std::vector<double> differences;
  std::vector<FlippedItem> flips;    // losses first, then wins, each in item order
};

// The overall test (docs/statistics.md#the-overall-test): one sign-flip test on
// every graded item of every bench at once,
//   T = sum over benches b of w_b * sum over its items i of d_i,   w_b = 1 / mean_i(d_i^2),
// the weights that make a loss of the same size on every bench most detectable
// (inverse variance under the null). They depend only on |d_i|, which sign flips
// leave alone, so the test stays exact. It sits in the Holm family with weight
// kOverallWeight; the per-bench tests share the rest.
inline constexpr double kOverallWeight = 0.5;
struct OverallBench {
  std::string bench;
  std::int64_t items = 0;
  double weight = 0;  // w_b, scaled so that the items' weights sum to 1
};
struct OverallTest {
  bool tested = false;     // two or more benches contributed flips
  double statistic = 0;    // T with the scaled weights: negative when the candidate is worse
  double p_value = 1;      // one-sided sign-flip p
  double p_min_attainable = 1;  // every flip against the candidate: 2^-(nonzero differences) / 2
  double p_adjusted = 1;   // after weighted Holm with the per-bench tests
  bool degraded = false;
  std::vector<OverallBench> benches;
};
OverallTest overall_test(const std::vector<BenchGrade>& benches);

enum class Verdict { kPass, kDegraded, kNotComparable };
std::string verdict_name(Verdict verdict);  // "pass", "degraded", "not_comparable"

// The tripwire's part of a grade (DESIGN §8's `tripwire` object).
// Metrics a server could not give are NaN (null in JSON) and `unavailable` says why.
struct TripwireGrade {
  std::string status = "absent";  // ok | tripped | absent | unsupported
  std::string reason;             // why unsupported
  std::string metric = "kl";      // what the trip rule compared: "kl" or "abs_logprob_diff"
  std::string unavailable;        // why top-1 agreement and KL are missing ("" when present)
  double top1_agreement = 0, mean_kld = 0;              // candidate vs the baseline's reference pass
  double floor_top1_agreement = 0, floor_mean_kld = 0;  // the baseline's repeat vs its reference
  double abs_logprob_diff = 0, floor_abs_logprob_diff = 0;
  double p_value = 1;
  tripwire::Summary candidate, floor;  // every metric over all positions (percentiles, delta-p, PPL ratio)
  // The trip rule's metric per text: the candidate against the reference, and
  // the baseline's repeat against it (the noise floor).
  std::vector<double> per_text, floor_per_text;
};

struct Grade {
  Verdict verdict = Verdict::kPass;
  OverallTest overall;
  TripwireGrade tripwire;
  double alpha = 0.05;
  std::vector<Mismatch> mismatches;
  std::vector<BenchGrade> benches;
  std::vector<std::string> notes;  // context a reader needs (benches missing, failures)
  std::string baseline_label;      // model and file, for the header line
  std::string candidate_label;
};

// How a bench ran, for the reports: "think · maj@4", "no-think", "no-think · 3 seeds"
// (a judged exam's samples are seeds).
std::string bench_mode(const BenchSettings& settings);

// Pairs the items of one comparable bench and runs every test on it (no Holm yet).
BenchGrade analyze_bench(const BenchRecord& baseline, const BenchRecord& candidate, double alpha);

// Aligns items by id, checks comparability (DESIGN §4), tests each bench and
// corrects across them with Holm at `alpha`.
// What else makes a bench NOT COMPARABLE besides its settings.
inline constexpr double kDefaultMaxFailedShare = 0.05;
inline constexpr double kDefaultMinJudgeAgreement = 0.95;
struct GradeLimits {
  // More than this share of either side's samples failed (no usable response
  // after retries): the bench is NOT COMPARABLE (field "failed_samples").
  // Failures count as wrong, so many of them would grade the server's health.
  double max_failed_share = kDefaultMaxFailedShare;
  // A judged bench whose judge agreed with itself on less than this share of the
  // transcripts it judged twice, on either side, is NOT COMPARABLE (field
  // "judge_agreement"): a noisy judge would grade the judge, not the model.
  double min_judge_agreement = kDefaultMinJudgeAgreement;
};
Grade grade_run(const RunFile& baseline, const RunFile& candidate, double alpha, const GradeLimits& limits = {});

enum class ReportFormat { kText, kMarkdown, kJson, kJunit, kHtml };
bool parse_report_format(const std::string& name, ReportFormat& format);
std::string render_report(const Grade& grade, ReportFormat format);

// The JSON report as a document; render_report(kJson) is its text.
nlohmann::ordered_json report_json(const Grade& grade);

// The episodes the HTML report opens from a flipped multi-turn item: its shown
// sample's messages on each side as plain text, keyed by (bench, item id).
using FlipEpisodes = std::map<std::pair<std::string, std::string>, std::pair<std::string, std::string>>;

// The HTML report, built from a JSON report (report_json() or a saved
// `--format json` file, read leniently: a field it lacks is left out). One
// self-contained page: inline CSS, SVG and a little script, no network.
std::string render_html(const nlohmann::ordered_json& report, const FlipEpisodes& episodes = {});

// A short per-bench summary of a run graded against nothing.
std::string render_run_summary(const RunFile& run);
// The tripwire's lines of the text report (the lead line and its detail line).
std::string render_tripwire_lines(const TripwireGrade& tripwire);

}  // namespace qdrift
