// Proof by simulation (DESIGN §6): does qdrift's verdict keep its false-alarm
// rate at alpha under realistic serving noise, how much power does it have, and
// which test should drive the K>1 verdict? Items follow qdrift's simulator
// (perf/item_model.h); runs are RunFile objects graded by qdrift::grade_run.
//
//   build/stats_calibration [--quick] [--json] [--seed S]
//
// --quick runs 1/5 of the comparisons; --json prints the same figures as one
// JSON object instead of the table. Every figure carries its Monte-Carlo
// standard error; results are deterministic for a seed whatever the thread count.
//
// 1. unconditional null false alarms of grade_run (K = 1, 4; unstratified, stratified)
// 2. conditional false alarms: one committed baseline, many null candidates
// 3. power at a planted 2-point loss, vs lm-evaluation-harness's unpaired z test
// 4. K = 4: McNemar on maj@4 vs paired-mean tests on mean@4 (power and null)
// 5. early stop on the anytime-valid flip e-value
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "item_model.h"
#include "qdrift/report.h"
#include "qdrift/record.h"
#include "qdrift/stats.h"

using namespace qdrift;
using namespace qdrift::calibration;
using nlohmann::ordered_json;

namespace {

constexpr double kAlpha = 0.05;

struct Options {
  bool quick = false;
  bool json = false;
  std::uint64_t seed = 20250601;
};
Options g_options;
unsigned g_threads = 1;

int scaled(int full) { return g_options.quick ? std::max(1, full / 5) : full; }

// parallel_for on this run's thread count.
template <typename Body>
void parallel_for(int count, Body&& body) {
  calibration::parallel_for(count, std::forward<Body>(body), g_threads);
}

struct Rate {
  std::int64_t hits = 0;
  std::int64_t n = 0;
  void add(bool hit) {
    hits += hit ? 1 : 0;
    ++n;
  }
  double rate() const { return n ? static_cast<double>(hits) / static_cast<double>(n) : 0.0; }
  double se() const { return n ? std::sqrt(rate() * (1 - rate()) / static_cast<double>(n)) : 0.0; }
  ordered_json to_json() const { return {{"rate", rate()}, {"se", se()}, {"hits", hits}, {"n", n}}; }
};

struct Mean {
  double sum = 0, sum_sq = 0;
  std::int64_t n = 0;
  void add(double x) {
    sum += x;
    sum_sq += x * x;
    ++n;
  }
  double mean() const { return n ? sum / static_cast<double>(n) : 0.0; }
  double se() const {
    if (n < 2) return 0.0;
    const double nn = static_cast<double>(n);
    const double variance = std::max(0.0, (sum_sq - sum * sum / nn) / (nn - 1));
    return std::sqrt(variance / nn);
  }
};

std::string pct(double x, int digits = 2) { return fmt::format("{:.{}f}%", 100 * x, digits); }
std::string rate_text(const Rate& r) { return fmt::format("{:>6} ± {:>5}", pct(r.rate()), pct(r.se())); }

// "yes" when the rate is at most alpha within 2 Monte-Carlo standard errors.
bool within_alpha(const Rate& r, double alpha) { return r.rate() <= alpha + 2 * r.se(); }

double normal_quantile(double p) { return boost::math::quantile(boost::math::normal_distribution<double>(), p); }

// ---- tests computed directly from the runs -------------------------------------

struct Outcomes {
  std::vector<bool> baseline, candidate;
};
Outcomes outcomes_of(const RunFile& baseline, const RunFile& candidate) {
  Outcomes o;
  for (const ItemRecord& item : baseline.benches[0].items) o.baseline.push_back(item_outcome(item));
  for (const ItemRecord& item : candidate.benches[0].items) o.candidate.push_back(item_outcome(item));
  return o;
}

stats::PairedCounts count_pairs(const std::vector<bool>& x, const std::vector<bool>& y) {
  stats::PairedCounts c;
  for (std::size_t i = 0; i < x.size(); ++i) (x[i] ? (y[i] ? c.both_right : c.losses) : (y[i] ? c.wins : c.both_wrong))++;
  return c;
}

// lm-evaluation-harness scripts/model_comparator.py, calculate_z_value():
//   Z = (acc1 - acc2) / sqrt(se1^2 + se2^2), p = 2 * norm.sf(|Z|) (two-tailed),
// with acc_stderr = sample_stddev / sqrt(n) = sqrt(acc (1 - acc) / (n - 1)) for 0/1
// scores (lm_eval mean_stderr); a task is flagged when p <= alpha (it prints ✓ for p > alpha).
struct UnpairedZ {
  double z = 0;
  double p = 1;
};
UnpairedZ lm_eval_z(double acc1, double acc2, std::int64_t n) {
  const double nn = static_cast<double>(n);
  const double se1 = std::sqrt(acc1 * (1 - acc1) / (nn - 1)), se2 = std::sqrt(acc2 * (1 - acc2) / (nn - 1));
  const double denominator = std::sqrt(se1 * se1 + se2 * se2);
  if (denominator <= 0) return {};
  UnpairedZ r;
  r.z = (acc1 - acc2) / denominator;
  r.p = std::erfc(std::abs(r.z) / std::sqrt(2.0));
  return r;
}

// Experiment cells: each has its own random streams.
enum Cell : std::uint64_t {
  kNullCell = 0x100,
  kConditionalBaseline = 0x200,
  kConditionalCandidate = 0x300,
  kPowerCell = 0x400,
  kUnpairedGrid = 0x500,
  kK4Cell = 0x600,
  kEarlyStop = 0x700,
};

struct Report {
  std::string text;
  ordered_json json = ordered_json::object();
  template <typename... Args>
  void line(fmt::format_string<Args...> f, Args&&... args) {
    text += fmt::format(f, std::forward<Args>(args)...);
    text += '\n';
  }
};

// ---- 1. unconditional null false alarms ---------------------------------------------

void null_false_alarms(Report& out) {
  struct Row {
    Design design;
    int samples;
  };
  const std::vector<Row> rows = {{unstratified_design(1000), 1},
                                 {unstratified_design(1000), 4},
                                 {stratified_design(), 1},
                                 {stratified_design(), 4}};
  const int comparisons = scaled(2000);
  out.line("1. NULL FALSE ALARMS (unconditional: fresh items, baseline and candidate from one model), alpha = {}", kAlpha);
  out.line("   stratified = 5 strata N_h 400/300/150/100/50, slice n_h = max(30, 30%) = 120/90/45/30/30, weight N_h/n_h");
  out.line("   {:<13} {:>2} {:>5} {:>6} {:>6}  {:<16} {:>10}  {:<16} {:<16}", "design", "K", "items", "comps",
           "flips", "grade_run", "<= alpha?", "mid-p<alpha", "lm-eval z flag");
  ordered_json rows_json = ordered_json::array();
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const Row& row = rows[r];
    std::vector<char> degraded(static_cast<std::size_t>(comparisons)), mid(degraded.size()), unpaired(degraded.size());
    std::vector<double> flips(degraded.size());
    parallel_for(comparisons, [&](int i) {
      Rng rng(stream_seed(g_options.seed, kNullCell + r, static_cast<std::uint64_t>(i)));
      const std::vector<double> p = probabilities(draw_margins(row.design, rng));
      RunFile baseline = make_run_file(row.design, row.samples, "baseline");
      RunFile candidate = make_run_file(row.design, row.samples, "run");
      draw_run(baseline, p, rng);
      draw_run(candidate, p, rng);
      const Grade g = grade_run(baseline, candidate, kAlpha);
      const Outcomes o = outcomes_of(baseline, candidate);
      const stats::PairedCounts c = count_pairs(o.baseline, o.candidate);
      const auto k = static_cast<std::size_t>(i);
      degraded[k] = g.verdict == Verdict::kDegraded;
      mid[k] = stats::mcnemar(c.losses, c.wins).one_sided_mid < kAlpha;
      unpaired[k] = lm_eval_z(c.baseline_accuracy(), c.candidate_accuracy(), c.n()).p <= kAlpha;
      flips[k] = c.flip_rate();
    });
    Rate grade_rate, mid_rate, unpaired_rate;
    Mean flip_mean;
    for (std::size_t k = 0; k < degraded.size(); ++k) {
      grade_rate.add(degraded[k]);
      mid_rate.add(mid[k]);
      unpaired_rate.add(unpaired[k]);
      flip_mean.add(flips[k]);
    }
    const bool ok = within_alpha(grade_rate, kAlpha);
    out.line("   {:<13} {:>2} {:>5} {:>6} {:>6}  {:<16} {:>10}  {:<16} {:<16}", row.design.name, row.samples,
             row.design.items(), comparisons, pct(flip_mean.mean(), 1), rate_text(grade_rate), ok ? "yes" : "NO",
             rate_text(mid_rate), rate_text(unpaired_rate));
    rows_json.push_back({{"design", row.design.name},
                         {"samples", row.samples},
                         {"items", row.design.items()},
                         {"comparisons", comparisons},
                         {"flip_rate", flip_mean.mean()},
                         {"grade_run", grade_rate.to_json()},
                         {"grade_run_within_alpha", ok},
                         {"mcnemar_mid_p", mid_rate.to_json()},
                         {"lm_eval_unpaired_z", unpaired_rate.to_json()}});
  }
  out.line("   grade_run = its verdict (any test degraded after Holm); mid-p<alpha = the bare one-sided McNemar");
  out.line("   on the item outcomes (maj@K), no Holm; lm-eval z = the unpaired comparator on the same outcomes,");
  out.line("   two-sided, flagged when p <= alpha. \"<= alpha?\" = rate <= alpha + 2 MC SE.");
  out.line("");
  out.json["null"] = rows_json;
}

// ---- 2. conditional false alarms ------------------------------------------------------

// Spread of per-baseline false-alarm rates.
ordered_json spread(const std::vector<double>& v) {
  Mean m;
  int above = 0;
  for (double x : v) {
    m.add(x);
    above += x > kAlpha;
  }
  return {{"mean", m.mean()},
          {"mean_se", m.se()},
          {"median", stats::quantile(v, 0.5)},
          {"p90", stats::quantile(v, 0.9)},
          {"max", *std::max_element(v.begin(), v.end())},
          {"sd", m.se() * std::sqrt(static_cast<double>(m.n))},
          {"share_above_alpha", static_cast<double>(above) / static_cast<double>(v.size())}};
}

// Per-baseline rates estimated from `per` candidates each; also the spread
// left once the binomial noise of a `per`-draw estimate is taken out.
std::pair<ordered_json, double> mc_spread(const std::vector<char>& hits, int baselines, int per) {
  std::vector<double> estimated(static_cast<std::size_t>(baselines));
  double noise = 0;
  for (int b = 0; b < baselines; ++b) {
    Rate r;
    for (int j = 0; j < per; ++j) r.add(hits[static_cast<std::size_t>(b * per + j)]);
    estimated[static_cast<std::size_t>(b)] = r.rate();
    noise += r.rate() * (1 - r.rate()) / std::max(1, per - 1) / baselines;
  }
  ordered_json s = spread(estimated);
  const double sd = s["sd"].get<double>();
  return {s, std::sqrt(std::max(0.0, sd * sd - noise))};
}

void conditional_false_alarms(Report& out) {
  const int baselines = 50, candidates = scaled(200), items = 1000;
  const Design design = unstratified_design(items);
  out.line("2. CONDITIONAL FALSE ALARMS: one committed baseline (fixed items and outcomes), fresh null candidates,");
  out.line("   {} baselines, N = {}; per-baseline false-alarm rate summarised across baselines", baselines, items);
  out.line("   {:<2} {:<40} {:>11} {:>7} {:>7} {:>7} {:>7} {:>8}", "K", "test (candidates per baseline)", "mean ± se",
           "median", "p90", "max", "sd", ">alpha");
  ordered_json rows_json = ordered_json::array();
  auto print = [&](int samples, const std::string& label, const ordered_json& s) {
    out.line("   {:<2} {:<40} {:>11} {:>7} {:>7} {:>7} {:>7} {:>8}", samples, label,
             fmt::format("{:.2f}±{:.2f}%", 100 * s["mean"].get<double>(), 100 * s["mean_se"].get<double>()),
             pct(s["median"].get<double>()), pct(s["p90"].get<double>()), pct(s["max"].get<double>()),
             pct(s["sd"].get<double>()), pct(s["share_above_alpha"].get<double>(), 0));
  };
  for (int samples : {1, 4}) {
    std::vector<RunFile> baseline_runs;
    std::vector<std::vector<double>> baseline_p;
    std::vector<double> exact(static_cast<std::size_t>(baselines));
    for (int b = 0; b < baselines; ++b) {
      Rng rng(stream_seed(g_options.seed, kConditionalBaseline + static_cast<std::uint64_t>(samples), static_cast<std::uint64_t>(b)));
      baseline_p.push_back(probabilities(draw_margins(design, rng)));
      baseline_runs.push_back(make_run_file(design, samples, "baseline"));
      draw_run(baseline_runs.back(), baseline_p.back(), rng);
    }
    parallel_for(baselines, [&](int b) {
      const auto k = static_cast<std::size_t>(b);
      std::vector<bool> x;
      for (const ItemRecord& item : baseline_runs[k].benches[0].items) x.push_back(item_outcome(item));
      std::vector<double> q(baseline_p[k].size());
      for (std::size_t i = 0; i < q.size(); ++i) q[i] = majority_right_probability(baseline_p[k][i], samples);
      exact[k] = exact_conditional_rate(x, q, kAlpha);
    });
    std::vector<char> degraded(static_cast<std::size_t>(baselines * candidates)), z_flag(degraded.size());
    parallel_for(baselines * candidates, [&](int t) {
      const int b = t / candidates;
      const RunFile& baseline = baseline_runs[static_cast<std::size_t>(b)];
      Rng rng(stream_seed(g_options.seed, kConditionalCandidate + static_cast<std::uint64_t>(samples), static_cast<std::uint64_t>(t)));
      RunFile candidate = make_run_file(design, samples, "run");
      draw_run(candidate, baseline_p[static_cast<std::size_t>(b)], rng);
      degraded[static_cast<std::size_t>(t)] = grade_run(baseline, candidate, kAlpha).verdict == Verdict::kDegraded;
      if (samples > 1) {
        std::vector<double> d;
        for (std::size_t k = 0; k < candidate.benches[0].items.size(); ++k)
          d.push_back(mean_correct(candidate.benches[0].items[k]) - mean_correct(baseline.benches[0].items[k]));
        const stats::PairedMean pm = stats::paired_mean(d);
        z_flag[static_cast<std::size_t>(t)] = pm.standard_error > 0 && normal_cdf(pm.mean / pm.standard_error) < kAlpha;
      }
    });
    const auto [mc, mc_true_sd] = mc_spread(degraded, baselines, candidates);
    const ordered_json ex = spread(exact);
    ordered_json row = {{"samples", samples},
                        {"baselines", baselines},
                        {"items", items},
                        {"grade_run", {{"candidates_per_baseline", candidates}, {"spread", mc}, {"sd_without_mc_noise", mc_true_sd}}},
                        {"exact_mcnemar_mid_p", ex}};
    print(samples, fmt::format("grade_run verdict, MC ({})", candidates), mc);
    if (samples > 1) {
      const auto [z, z_true_sd] = mc_spread(z_flag, baselines, candidates);
      print(samples, fmt::format("z test on mean@{}, MC ({})", samples, candidates), z);
      row["z_paired_mean"] = {{"candidates_per_baseline", candidates}, {"spread", z}, {"sd_without_mc_noise", z_true_sd}};
      print(samples, fmt::format("mid-p McNemar on maj@{} < alpha, exact", samples), ex);
      out.line("   {:<2} sd across baselines without MC noise: grade_run ≈ {}, z test ≈ {}", samples, pct(mc_true_sd),
               pct(z_true_sd));
    } else {
      print(samples, "mid-p McNemar < alpha, exact", ex);
      out.line("   {:<2} sd across baselines without MC noise: grade_run ≈ {}", samples, pct(mc_true_sd));
    }
    rows_json.push_back(row);
  }
  out.line("   exact = the baseline's conditional rate computed exactly (given its outcomes, losses and wins");
  out.line("   are independent Poisson-binomial counts); MC rows carry binomial noise (sd ≈ 1.5 points at 200).");
  out.line("");
  out.json["conditional"] = rows_json;
}

// ---- 3. power at a planted 2-point loss ---------------------------------------------

struct PowerDraw {
  bool grade = false, mid = false, unpaired = false, unpaired_wrong_way = false;
  double expected_drop = 0, observed_delta = 0, flips = 0;
};

void power_and_unpaired(Report& out, Damage damage) {
  const int items = 1000, comparisons = scaled(2000);
  const Design design = unstratified_design(items);
  std::vector<PowerDraw> draws(static_cast<std::size_t>(comparisons));
  parallel_for(comparisons, [&](int i) {
    Rng rng(stream_seed(g_options.seed, kPowerCell, static_cast<std::uint64_t>(i)));
    const std::vector<double> margins = draw_margins(design, rng);
    const std::vector<double> p = probabilities(margins), p_damaged = probabilities(margins, damage);
    RunFile baseline = make_run_file(design, 1, "baseline"), candidate = make_run_file(design, 1, "run");
    draw_run(baseline, p, rng);
    draw_run(candidate, p_damaged, rng);
    PowerDraw& d = draws[static_cast<std::size_t>(i)];
    d.grade = grade_run(baseline, candidate, kAlpha).verdict == Verdict::kDegraded;
    const Outcomes o = outcomes_of(baseline, candidate);
    const stats::PairedCounts c = count_pairs(o.baseline, o.candidate);
    d.mid = stats::mcnemar(c.losses, c.wins).one_sided_mid < kAlpha;
    const UnpairedZ z = lm_eval_z(c.baseline_accuracy(), c.candidate_accuracy(), c.n());
    d.unpaired = z.p <= kAlpha;
    d.unpaired_wrong_way = d.unpaired && z.z < 0;
    for (std::size_t k = 0; k < p.size(); ++k) d.expected_drop += (p[k] - p_damaged[k]) / static_cast<double>(p.size());
    d.observed_delta = c.delta();
    d.flips = c.flip_rate();
  });
  Rate grade, mid, unpaired, wrong_way;
  Mean drop, delta, flips;
  for (const PowerDraw& d : draws) {
    grade.add(d.grade);
    mid.add(d.mid);
    unpaired.add(d.unpaired);
    wrong_way.add(d.unpaired_wrong_way);
    drop.add(d.expected_drop);
    delta.add(d.observed_delta);
    flips.add(d.flips);
  }
  const double connor = stats::mcnemar_power(items, flips.mean(), drop.mean(), kAlpha);
  const double connor_half = stats::mcnemar_power(items, flips.mean(), drop.mean(), kAlpha / 2);

  out.line("3. POWER: planted 2-point loss, K = 1, N = {}, {} comparisons", items, comparisons);
  out.line("   damage F = {:.4f}, U = 0.1 F = {:.4f}; expected drop {:.4f} (population), realised mean(p - p') {:.4f} ± {:.4f},",
           damage.focused, damage.uniform, expected_drop(damage), drop.mean(), drop.se());
  out.line("   observed Δ accuracy {:+.4f} ± {:.4f}, flips {}", delta.mean(), delta.se(), pct(flips.mean(), 1));
  out.line("   {:<58} {:<16}", "test", "detection rate");
  out.line("   {:<58} {:<16}", "grade_run verdict (one-sided mid-p McNemar, Holm)", rate_text(grade));
  out.line("   {:<58} {:<16}", "bare one-sided mid-p McNemar < alpha (same draws)", rate_text(mid));
  out.line("   {:<58} {:<16}", "lm-eval model_comparator unpaired z, two-sided p <= alpha", rate_text(unpaired));
  out.line("   {:<58} {:<16}", "  of which flagged the wrong way (candidate better)", rate_text(wrong_way));
  out.line("   Connor normal approximation (stats::mcnemar_power): {:.1f}% at alpha, {:.1f}% at alpha/2",
           100 * connor, 100 * connor_half);

  // Items the unpaired test needs for grade_run's power: simulate its power on a
  // grid of N (same item model, same damage), fit probit(power) = a + b sqrt(N)
  // (the form the normal approximation takes) and solve; then check at that N.
  const std::vector<int> grid = {1000, 2000, 3000, 4000, 5000, 6000, 8000};
  const int grid_comparisons = scaled(2000);
  auto unpaired_power = [&](int n_items, std::uint64_t cell) {
    const Design d = unstratified_design(n_items);
    std::vector<char> flagged(static_cast<std::size_t>(grid_comparisons));
    parallel_for(grid_comparisons, [&](int i) {
      Rng rng(stream_seed(g_options.seed, cell, static_cast<std::uint64_t>(i)));
      const std::vector<double> margins = draw_margins(d, rng);
      std::int64_t right_base = 0, right_cand = 0;
      for (double m : margins) {
        right_base += uniform01(rng) < p_correct(m);
        right_cand += uniform01(rng) < p_correct(m, damage);
      }
      const double n = static_cast<double>(n_items);
      flagged[static_cast<std::size_t>(i)] =
          lm_eval_z(static_cast<double>(right_base) / n, static_cast<double>(right_cand) / n, n_items).p <= kAlpha;
    });
    Rate r;
    for (char f : flagged) r.add(f);
    return r;
  };
  std::vector<Rate> grid_power;
  for (std::size_t g = 0; g < grid.size(); ++g) grid_power.push_back(unpaired_power(grid[g], kUnpairedGrid + g));
  // Weighted least squares of probit(power) on sqrt(N) over informative points.
  double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t g = 0; g < grid.size(); ++g) {
    const double r = grid_power[g].rate();
    if (r < 0.02 || r > 0.98) continue;
    const double y = normal_quantile(r);
    const double density = std::exp(-0.5 * y * y) / std::sqrt(2 * M_PI);
    const double w = density * density / (r * (1 - r));  // 1 / var(probit) up to 1/n
    const double x = std::sqrt(static_cast<double>(grid[g]));
    sw += w, sx += w * x, sy += w * y, sxx += w * x * x, sxy += w * x * y;
  }
  const double slope = (sw * sxy - sx * sy) / (sw * sxx - sx * sx);
  const double intercept = (sy - slope * sx) / sw;
  auto items_for = [&](double power) {
    const double root = (normal_quantile(power) - intercept) / slope;
    return root > 0 ? root * root : 0.0;
  };
  const double needed = items_for(grade.rate());
  const double needed_low = items_for(std::max(0.001, grade.rate() - 2 * grade.se()));
  const double needed_high = items_for(std::min(0.999, grade.rate() + 2 * grade.se()));
  const double needed_mid = items_for(mid.rate());
  const int check_items = static_cast<int>(std::lround(needed));
  const Rate check = unpaired_power(check_items, kUnpairedGrid + 0xff);

  std::string grid_text;
  for (std::size_t g = 0; g < grid.size(); ++g)
    grid_text += fmt::format("{}{}: {:.1f}%", g ? ", " : "", grid[g], 100 * grid_power[g].rate());
  out.line("   unpaired z power by N ({} comparisons each): {}", grid_comparisons, grid_text);
  out.line("   fit probit(power) = {:.3f} + {:.4f} sqrt(N)", intercept, slope);
  out.line("   items the unpaired test needs to match grade_run's {:.1f}% at N = 1000: {:.0f} (±2 SE of the target: {:.0f}..{:.0f}),",
           100 * grade.rate(), needed, needed_low, needed_high);
  out.line("     i.e. {:.1f}x the items; check at N = {}: unpaired power {}", needed / items, check_items, rate_text(check));
  out.line("   to match the bare mid-p McNemar's {:.1f}%: {:.0f} items ({:.1f}x)", 100 * mid.rate(), needed_mid,
           needed_mid / items);
  out.line("");

  ordered_json grid_json = ordered_json::array();
  for (std::size_t g = 0; g < grid.size(); ++g) grid_json.push_back({{"items", grid[g]}, {"power", grid_power[g].to_json()}});
  out.json["power"] = {{"items", items},
                       {"samples", 1},
                       {"comparisons", comparisons},
                       {"damage", {{"focused", damage.focused}, {"uniform", damage.uniform}}},
                       {"expected_drop", expected_drop(damage)},
                       {"realised_drop", {{"mean", drop.mean()}, {"se", drop.se()}}},
                       {"observed_delta", {{"mean", delta.mean()}, {"se", delta.se()}}},
                       {"flip_rate", flips.mean()},
                       {"grade_run", grade.to_json()},
                       {"mcnemar_mid_p", mid.to_json()},
                       {"lm_eval_unpaired_z", unpaired.to_json()},
                       {"lm_eval_unpaired_z_wrong_way", wrong_way.to_json()},
                       {"connor_power_alpha", connor},
                       {"connor_power_half_alpha", connor_half},
                       {"unpaired_grid", grid_json},
                       {"unpaired_fit", {{"intercept", intercept}, {"slope_per_sqrt_items", slope}}},
                       {"unpaired_items_for_grade_run_power", needed},
                       {"unpaired_items_range_2se", {needed_low, needed_high}},
                       {"unpaired_items_ratio", needed / items},
                       {"unpaired_check", {{"items", check_items}, {"power", check.to_json()}}},
                       {"unpaired_items_for_mid_p_power", needed_mid}};
}

// ---- 4. K = 4: which test should drive the verdict ---------------------------------

struct K4Draw {
  bool grade = false, maj = false, flip = false, z = false;
  double sample_delta = 0, maj_delta = 0;
};

void k4_tests(Report& out, Damage damage) {
  // Power is near 1 for the strong tests, so 1000 comparisons pin it; the null gets 2000.
  const int items = 1000, samples = 4, null_comparisons = scaled(2000), power_comparisons = scaled(1000);
  const Design design = unstratified_design(items);
  out.line("4. K = 4 DECISION SUPPORT: N = {}, {} null and {} planted-loss comparisons, alpha = {}, all one-sided", items,
           null_comparisons, power_comparisons, kAlpha);
  out.line("   {:<50} {:<16} {:<16}", "test", "null false alarm", "power (2-pt loss)");
  ordered_json scenarios = ordered_json::object();
  std::vector<std::vector<K4Draw>> results;
  for (int planted = 0; planted < 2; ++planted) {
    const Damage d = planted ? damage : Damage{};
    const int comparisons = planted ? power_comparisons : null_comparisons;
    std::vector<K4Draw> draws(static_cast<std::size_t>(comparisons));
    parallel_for(comparisons, [&](int i) {
      Rng rng(stream_seed(g_options.seed, kK4Cell + static_cast<std::uint64_t>(planted), static_cast<std::uint64_t>(i)));
      const std::vector<double> margins = draw_margins(design, rng);
      RunFile baseline = make_run_file(design, samples, "baseline"), candidate = make_run_file(design, samples, "run");
      draw_run(baseline, probabilities(margins), rng);
      draw_run(candidate, probabilities(margins, d), rng);
      K4Draw& r = draws[static_cast<std::size_t>(i)];
      r.grade = grade_run(baseline, candidate, kAlpha).verdict == Verdict::kDegraded;
      const Outcomes o = outcomes_of(baseline, candidate);
      const stats::PairedCounts c = count_pairs(o.baseline, o.candidate);
      r.maj = stats::mcnemar(c.losses, c.wins).one_sided_mid < kAlpha;
      r.maj_delta = c.delta();
      stats::PairedDifferences paired;
      const auto& b_items = baseline.benches[0].items;
      const auto& c_items = candidate.benches[0].items;
      for (std::size_t k = 0; k < b_items.size(); ++k)
        paired.differences.push_back(mean_correct(c_items[k]) - mean_correct(b_items[k]));
      r.flip = stats::sign_flip_p(paired) < kAlpha;
      const stats::PairedMean pm = stats::paired_mean(paired.differences);
      r.z = pm.standard_error > 0 && normal_cdf(pm.mean / pm.standard_error) < kAlpha;
      r.sample_delta = pm.mean;
    });
    results.push_back(std::move(draws));
  }
  Rate rates[2][4];
  Mean sample_delta, maj_delta;
  for (int planted = 0; planted < 2; ++planted)
    for (const K4Draw& r : results[static_cast<std::size_t>(planted)]) {
      rates[planted][0].add(r.maj);
      rates[planted][1].add(r.flip);
      rates[planted][2].add(r.z);
      rates[planted][3].add(r.grade);
      if (planted) {
        sample_delta.add(r.sample_delta);
        maj_delta.add(r.maj_delta);
      }
    }
  const char* names[4] = {"(a) mid-p McNemar on maj@4 outcomes", "(b) sign-flip test on mean@4 (stats::sign_flip_p)",
                          "(b') z test, paired_mean's standard error", "for reference: grade_run verdict at K = 4"};
  const char* keys[4] = {"mcnemar_maj4", "sign_flip_mean4", "z_paired_mean4", "grade_run"};
  ordered_json tests = ordered_json::object();
  for (int t = 0; t < 4; ++t) {
    out.line("   {:<50} {:<16} {:<16}", names[t], rate_text(rates[0][t]), rate_text(rates[1][t]));
    tests[keys[t]] = {{"null_false_alarm", rates[0][t].to_json()}, {"power", rates[1][t].to_json()}};
  }
  out.line("   under the loss: per-sample Δ {:+.4f} ± {:.4f}, maj@4 Δ {:+.4f} ± {:.4f}", sample_delta.mean(),
           sample_delta.se(), maj_delta.mean(), maj_delta.se());
  out.line("");
  out.json["k4"] = {{"items", items},
                    {"samples", samples},
                    {"null_comparisons", null_comparisons},
                    {"power_comparisons", power_comparisons},
                    {"tests", tests},
                    {"per_sample_delta", {{"mean", sample_delta.mean()}, {"se", sample_delta.se()}}},
                    {"maj4_delta", {{"mean", maj_delta.mean()}, {"se", maj_delta.se()}}}};
}

// ---- 5. early stop -------------------------------------------------------------------------

void early_stop(Report& out, Damage two_points, Damage four_points) {
  const int items = 1000, comparisons = scaled(4000);
  const Design design = unstratified_design(items);
  const double threshold = 1 / kAlpha;
  // qdrift's own rule (run --stop-early, one bench): a tenth of alpha for the e-value,
  // split over the bench's two tests, and the final test at the remaining 0.9 alpha.
  const double qdrift_threshold = 2 / (kEarlyStopAlphaShare * kAlpha);
  const double qdrift_final_alpha = (1 - kEarlyStopAlphaShare) * kAlpha;
  std::vector<std::string> qdrift_rows;
  out.line("5. EARLY STOP: K = 1, N = {}, stop at the first item where flip_e_value(losses, wins) >= 1/alpha = {:.0f}",
           items, threshold);
  out.line("   {:<13} {:>5} {:<17} {:<15} {:<10} {:<17} {:<17}", "scenario", "comps", "stopped=degraded",
           "items | stopped", "items run", "fixed-N McNemar", "stop OR fixed-N");
  struct Scenario {
    const char* name;
    Damage damage;
  };
  const Scenario scenarios[3] = {{"null", {}}, {"2-point loss", two_points}, {"4-point loss", four_points}};
  ordered_json rows = ordered_json::array();
  for (std::uint64_t s = 0; s < 3; ++s) {
    const Scenario& sc = scenarios[s];
    std::vector<int> stop_at(static_cast<std::size_t>(comparisons)), qdrift_stop_at(stop_at.size());
    std::vector<char> fixed(stop_at.size()), qdrift_final(stop_at.size());
    parallel_for(comparisons, [&](int i) {
      Rng rng(stream_seed(g_options.seed, kEarlyStop + s, static_cast<std::uint64_t>(i)));
      const std::vector<double> margins = draw_margins(design, rng);
      std::int64_t losses = 0, wins = 0;
      int stopped = 0, qdrift_stopped = 0;
      for (std::size_t k = 0; k < margins.size(); ++k) {
        const bool x = uniform01(rng) < p_correct(margins[k]);
        const bool y = uniform01(rng) < p_correct(margins[k], sc.damage);
        if (x == y) continue;
        (x ? losses : wins)++;
        if (!x) continue;  // the e-value only rises on a loss
        const double e = stats::flip_e_value(losses, wins);
        if (!stopped && e >= threshold) stopped = static_cast<int>(k) + 1;
        if (!qdrift_stopped && e >= qdrift_threshold) qdrift_stopped = static_cast<int>(k) + 1;
      }
      stop_at[static_cast<std::size_t>(i)] = stopped;
      fixed[static_cast<std::size_t>(i)] = stats::mcnemar(losses, wins).one_sided_mid < kAlpha;
      qdrift_stop_at[static_cast<std::size_t>(i)] = qdrift_stopped;
      qdrift_final[static_cast<std::size_t>(i)] = stats::mcnemar(losses, wins).one_sided_mid < qdrift_final_alpha;
    });
    Rate stop_rate, fixed_rate, either_rate;
    Mean used, run_share;
    for (std::size_t k = 0; k < stop_at.size(); ++k) {
      stop_rate.add(stop_at[k] > 0);
      fixed_rate.add(fixed[k]);
      either_rate.add(stop_at[k] > 0 || fixed[k]);
      if (stop_at[k] > 0) used.add(static_cast<double>(stop_at[k]) / items);
      run_share.add(stop_at[k] > 0 ? static_cast<double>(stop_at[k]) / items : 1.0);
    }
    Rate qdrift_stop_rate, qdrift_either;
    Mean qdrift_run_share;
    for (std::size_t k = 0; k < qdrift_stop_at.size(); ++k) {
      qdrift_stop_rate.add(qdrift_stop_at[k] > 0);
      qdrift_either.add(qdrift_stop_at[k] > 0 || qdrift_final[k]);
      qdrift_run_share.add(qdrift_stop_at[k] > 0 ? static_cast<double>(qdrift_stop_at[k]) / items : 1.0);
    }
    qdrift_rows.push_back(fmt::format("   {:<13} {:>5} {:<17} {:<10} {:<17}", sc.name, comparisons,
                                      rate_text(qdrift_stop_rate), pct(qdrift_run_share.mean(), 1),
                                      rate_text(qdrift_either)));
    const std::string used_text = used.n ? fmt::format("{:.1f}±{:.1f}%", 100 * used.mean(), 100 * used.se()) : "-";
    out.line("   {:<13} {:>5} {:<17} {:<15} {:<10} {:<17} {:<17}", sc.name, comparisons, rate_text(stop_rate), used_text,
             pct(run_share.mean(), 1), rate_text(fixed_rate), rate_text(either_rate));
    rows.push_back({{"scenario", sc.name},
                    {"comparisons", comparisons},
                    {"stopped", stop_rate.to_json()},
                    {"within_alpha", s == 0 ? ordered_json(within_alpha(stop_rate, kAlpha)) : ordered_json(nullptr)},
                    {"mean_fraction_of_items_when_stopped", used.n ? ordered_json(used.mean()) : ordered_json(nullptr)},
                    {"mean_fraction_se", used.se()},
                    {"mean_fraction_of_items_run", run_share.mean()},
                    {"fixed_n_mcnemar_mid_p", fixed_rate.to_json()},
                    {"stop_or_fixed_n", either_rate.to_json()}});
  }
  out.line("   e-value checked after every loss (it only rises on a loss). items | stopped = mean share of the");
  out.line("   items walked when it stopped; items run = the same counting a full run when it never stops.");
  out.line("   fixed-N = the same draws tested once at N = 1000; stop OR fixed-N = stopping early and still");
  out.line("   applying the fixed-N test at the end (not a valid alpha-level procedure; shown as a warning).");
  out.line("   4-point damage: F = {:.4f}, U = {:.4f}.", four_points.focused, four_points.uniform);
  out.line("");
  out.line("   qdrift's rule: stop when E >= 2 / (0.1 alpha) = {:.0f}; otherwise the final test at 0.9 alpha",
           qdrift_threshold);
  out.line("   {:<13} {:>5} {:<17} {:<10} {:<17}", "scenario", "comps", "stopped early", "items run",
           "verdict degraded");
  for (const std::string& row : qdrift_rows) out.line("{}", row);
  out.line("");
  out.json["early_stop"] = rows;
}

int usage(const char* argv0) {
  std::fprintf(stderr, "usage: %s [--quick] [--json] [--seed S]\n", argv0);
  return 3;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick")) {
      g_options.quick = true;
    } else if (!std::strcmp(argv[i], "--json")) {
      g_options.json = true;
    } else if (!std::strcmp(argv[i], "--seed") && i + 1 < argc) {
      char* end = nullptr;
      g_options.seed = std::strtoull(argv[++i], &end, 0);
      if (!end || *end) return usage(argv[0]);
    } else {
      return usage(argv[0]);
    }
  }
  g_threads = std::max(1u, std::thread::hardware_concurrency());
  const auto start = std::chrono::steady_clock::now();

  Report out;
  const Damage two_points = damage_for_drop(0.02), four_points = damage_for_drop(0.04);
  out.line("qdrift statistics calibration — seed {}, {} run, {} threads, alpha = {}", g_options.seed,
           g_options.quick ? "quick (1/5)" : "full", g_threads, kAlpha);
  out.line("item model: d in {{0.10,0.28,0.40,0.58,0.76}}, m = 3.8 - 3.5 d + 3 z, p = Phi(m); damage m' = m - F exp(-m^2/4.5) - U");
  out.line("rates are shown as rate ± Monte-Carlo standard error");
  out.line("");
  out.json["config"] = {{"seed", g_options.seed}, {"quick", g_options.quick}, {"alpha", kAlpha}, {"threads", g_threads}};

  ordered_json section_seconds = ordered_json::object();
  auto timed = [&](const char* name, auto&& section) {
    const auto t0 = std::chrono::steady_clock::now();
    section();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    section_seconds[name] = s;
    std::fprintf(stderr, "stats_calibration: %s took %.1f s\n", name, s);
  };
  timed("null", [&] { null_false_alarms(out); });
  timed("conditional", [&] { conditional_false_alarms(out); });
  timed("power", [&] { power_and_unpaired(out, two_points); });
  timed("k4", [&] { k4_tests(out, two_points); });
  timed("early_stop", [&] { early_stop(out, two_points, four_points); });
  out.json["section_seconds"] = section_seconds;

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.line("wall time {:.1f} s", seconds);
  out.json["wall_seconds"] = seconds;
  if (g_options.json) {
    std::printf("%s\n", out.json.dump(2).c_str());
  } else {
    std::fputs(out.text.c_str(), stdout);
  }
  return 0;
}
