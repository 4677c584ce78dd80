#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "qdrift/report.h"

using namespace qdrift;

namespace {

// A run whose item i is right when outcomes[i] is '1', cut at the cap when 'L'.
RunFile run_with(const std::string& outcomes, const std::string& name = "arith") {
  RunFile run;
  run.model = "m";
  BenchRecord bench{name, {false, 1, 0.7, 0.8, 20, 0, 1.5, 512, "1", ""}, "sha", {}, std::nullopt};
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    SampleRecord s{outcomes[i] == '1', outcomes[i] == '1' ? "1" : "0", outcomes[i] == 'L' ? "length" : "stop", 5, 0, ""};
    bench.items.push_back({"i" + std::to_string(i), "", {s}, 1, ""});
  }
  run.benches.push_back(bench);
  return run;
}

}  // namespace

TEST_CASE("grading counts losses and wins per aligned item", "[grade]") {
  // baseline 1100110, candidate 1010100 -> both_right 2, losses 2 (i1, i5), wins 1 (i2), both_wrong 2.
  Grade g = grade_run(run_with("1100110"), run_with("1010100"), 0.05);
  REQUIRE(g.benches.size() == 1);
  const BenchGrade& b = g.benches[0];
  CHECK(b.counts.both_right == 2);
  CHECK(b.counts.losses == 2);
  CHECK(b.counts.wins == 1);
  CHECK(b.counts.both_wrong == 2);
  CHECK(b.p_value == Approx(stats::mcnemar(2, 1).one_sided_mid));
  CHECK(b.test == BenchTest::kMcNemar);
  CHECK(g.verdict == Verdict::kPass);
}

TEST_CASE("a one-sided loss is degraded - Holm covers accuracy and cap-hit tests", "[grade]") {
  std::string baseline(200, '1'), candidate(200, '1');
  for (int i = 0; i < 20; ++i) candidate[static_cast<std::size_t>(i)] = '0';  // 20 losses, 0 wins
  Grade g = grade_run(run_with(baseline), run_with(candidate), 0.05);
  CHECK(g.verdict == Verdict::kDegraded);
  CHECK(g.benches[0].degraded);
  CHECK_FALSE(g.benches[0].trunc_degraded);
  // The cap-hit test has no discordant pairs, cannot reach alpha, and costs nothing.
  CHECK(g.benches[0].p_adjusted == Approx(stats::mcnemar(20, 0).one_sided_mid));
  // With new cap hits in play both tests are in the family: the smaller p is doubled.
  for (int i = 20; i < 25; ++i) candidate[static_cast<std::size_t>(i)] = 'L';
  Grade both = grade_run(run_with(baseline), run_with(candidate), 0.05);
  CHECK(both.benches[0].p_adjusted == Approx(2 * stats::mcnemar(25, 0).one_sided_mid));
}

TEST_CASE("a rise in cap hits alone is degraded", "[grade]") {
  std::string baseline(200, '0'), candidate(200, '0');
  for (int i = 0; i < 15; ++i) candidate[static_cast<std::size_t>(i)] = 'L';
  Grade g = grade_run(run_with(baseline), run_with(candidate), 0.05);
  CHECK(g.benches[0].trunc_counts.losses == 15);
  CHECK(g.benches[0].trunc_degraded);
  CHECK_FALSE(g.benches[0].degraded);
  CHECK(g.verdict == Verdict::kDegraded);
  auto report = nlohmann::json::parse(render_report(g, ReportFormat::kJson));
  CHECK(report["benches"][0]["trunc_baseline"] == 0.0);
  CHECK(report["benches"][0]["trunc_candidate"] == Approx(15.0 / 200));
}

TEST_CASE("mismatched settings make a bench not comparable", "[grade]") {
  RunFile candidate = run_with("1111");
  candidate.benches[0].settings.max_tokens = 1024;
  candidate.config.seed = 3;
  Grade g = grade_run(run_with("1111"), candidate, 0.05);
  CHECK(g.verdict == Verdict::kNotComparable);
  REQUIRE(g.mismatches.size() == 2);
  CHECK(g.mismatches[0].field == "seed");
  CHECK(g.mismatches[1].field == "max_tokens");
  CHECK(g.mismatches[1].bench == "arith");
  CHECK(g.mismatches[1].baseline == "512");
  CHECK_FALSE(g.benches[0].comparable);
  std::string text = render_report(g, ReportFormat::kText);
  CHECK(text.find("⚠ NOT COMPARABLE") != std::string::npos);
  CHECK(text.find("arith.max_tokens: baseline 512, candidate 1024") != std::string::npos);
}

TEST_CASE("a different item set is not comparable", "[grade]") {
  Grade g = grade_run(run_with("1111"), run_with("11111"), 0.05);
  CHECK(g.verdict == Verdict::kNotComparable);
  CHECK(g.mismatches.back().field == "items");
  Grade other = grade_run(run_with("11"), run_with("11", "gsm8k"), 0.05);
  CHECK(other.mismatches.back().field == "bench");
  CHECK(other.notes.size() == 1);  // arith in the baseline only
}

TEST_CASE("a shard is graded only against the same shard, and against a whole run it says to merge", "[grade][shard]") {
  RunFile whole = run_with("1111");
  RunFile shard = run_with("11");
  shard.config.shard = Shard{1, 3};
  Grade g = grade_run(whole, shard, 0.05);
  CHECK(g.verdict == Verdict::kNotComparable);
  REQUIRE_FALSE(g.mismatches.empty());
  CHECK(g.mismatches[0].field == "shard");
  CHECK(g.mismatches[0].baseline == "\"whole run\"");
  CHECK(g.mismatches[0].candidate == "\"1/3\"");
  REQUIRE(g.notes.size() == 1);
  CHECK(g.notes[0] == "the candidate is shard 1/3 of a run: join its shards with `qdrift merge` and grade the merged file");
  CHECK(render_report(g, ReportFormat::kText).find("qdrift merge") != std::string::npos);
  RunFile same = run_with("11");
  same.config.shard = Shard{1, 3};
  Grade paired = grade_run(same, shard, 0.05);  // the same shard on both sides: the same items
  CHECK(paired.verdict == Verdict::kPass);
  CHECK(paired.notes.empty());
}

TEST_CASE("the markdown bar shows accuracy in eighths of a cell", "[grade]") {
  Grade g = grade_run(run_with("1111111100"), run_with("1111111000"), 0.05);  // 0.8 and 0.7
  const std::string md = render_report(g, ReportFormat::kMarkdown);
  CHECK(md.find("`████████░░ 0.800` | 0.700 | -10.0 [") != std::string::npos);
  CHECK(md.find("| 1 / 0 |") != std::string::npos);
}

TEST_CASE("flipped items come losses first, each side showing a sample that matches its outcome", "[grade]") {
  Grade g = grade_run(run_with("1100"), run_with("0110"), 0.05);  // item 0 lost, item 2 won
  const BenchGrade& b = g.benches.at(0);
  REQUIRE(b.flips.size() == 2);
  CHECK(b.flips[0].loss);
  CHECK_FALSE(b.flips[1].loss);
  CHECK(b.flips[0].id < b.flips[1].id);
  CHECK(b.flips[0].baseline.correct == 1);
  CHECK(b.flips[0].candidate.correct == 0);
  CHECK(b.mode == "no-think");
  CHECK(b.baseline_ci95.low < 0.5);
  CHECK(b.baseline_ci95.high > 0.5);
}

// Benches of 200 items each with `losses` and `wins` flips (and every other item right on both sides).
RunFile run_of_benches(int benches, int losses, int wins, bool candidate) {
  RunFile run;
  for (int b = 0; b < benches; ++b) {
    std::string outcomes(200, '1');
    for (int i = 0; i < losses; ++i) outcomes[static_cast<std::size_t>(i)] = candidate ? '0' : '1';
    for (int i = losses; i < losses + wins; ++i) outcomes[static_cast<std::size_t>(i)] = candidate ? '1' : '0';
    run.benches.push_back(run_with(outcomes, "bench" + std::to_string(b)).benches[0]);
  }
  return run;
}

TEST_CASE("the overall test pools every bench: three small one-sided losses are caught together", "[grade]") {
  // Each bench alone: 12 losses vs 4 wins, one-sided mid-p 0.028 — too weak for Holm over three.
  const Grade g = grade_run(run_of_benches(3, 12, 4, false), run_of_benches(3, 12, 4, true), 0.05);
  REQUIRE(g.overall.tested);
  CHECK(g.overall.benches.size() == 3);
  CHECK(g.overall.benches[0].weight == Approx(1.0 / 600));  // equal flip rates: equal weights, summing to 1
  CHECK(g.overall.statistic == Approx(-24.0 / 600));
  CHECK(g.overall.p_value < 0.001);                         // 36 losses vs 12 wins
  // Weight 0.5 against the three accuracy tests' 0.5 / 6 each (the cap-hit tests, with no
  // flips, cannot reject and leave the family): p * (0.5 + 3 / 12) / 0.5.
  CHECK(g.overall.p_adjusted == Approx(1.5 * g.overall.p_value));
  CHECK(g.overall.degraded);
  CHECK(g.verdict == Verdict::kDegraded);
  for (const BenchGrade& b : g.benches) CHECK_FALSE(b.degraded);  // none located on its own
  const std::string text = render_report(g, ReportFormat::kText);
  CHECK(text.find("overall: 3 benches, 600 items in one weighted sign-flip test") < text.find("bench0"));
  const auto json = nlohmann::json::parse(render_report(g, ReportFormat::kJson));
  CHECK(json["overall"]["degraded"] == true);
  CHECK(json["overall"]["weights"].size() == 3);

  // Balanced flips: no loss anywhere, and none found together.
  const Grade null = grade_run(run_of_benches(3, 8, 8, false), run_of_benches(3, 8, 8, true), 0.05);
  CHECK(null.overall.tested);
  CHECK_FALSE(null.overall.degraded);
  CHECK(null.verdict == Verdict::kPass);
  // One bench: its own test says it all, and the JSON says null.
  const Grade one = grade_run(run_of_benches(1, 12, 4, false), run_of_benches(1, 12, 4, true), 0.05);
  CHECK_FALSE(one.overall.tested);
  CHECK(nlohmann::json::parse(render_report(one, ReportFormat::kJson))["overall"].is_null());
}

TEST_CASE("every report format renders the verdict", "[grade]") {
  Grade g = grade_run(run_with("1111"), run_with("1111"), 0.05);
  CHECK(render_report(g, ReportFormat::kText).find("PASS") != std::string::npos);
  // The brief's shape: bench, baseline with its bar, candidate, Δ, losses / wins, mode, status; then the verdict.
  const std::string md = render_report(g, ReportFormat::kMarkdown);
  CHECK(md.find("| bench | baseline | candidate | Δ pts (95% CI) | losses / wins | mode | status |") != std::string::npos);
  CHECK(md.find("| arith | `██████████ 1.000` | 1.000 | +0.0 [") != std::string::npos);
  CHECK(md.find("| 0 / 0 | no-think | ok |") != std::string::npos);
  CHECK(md.find("**Verdict:** PASS") > md.find("| arith |"));
  CHECK(render_report(g, ReportFormat::kJunit).find("<testcase classname=\"qdrift\" name=\"arith\">") != std::string::npos);
  CHECK(render_report(g, ReportFormat::kHtml).find("<!doctype html>") != std::string::npos);
  ReportFormat f;
  CHECK_FALSE(parse_report_format("yaml", f));
}

namespace {

// K samples per item: item i's samples are right where pattern[i][k] == '1'.
RunFile run_with_samples(const std::vector<std::string>& pattern, const std::vector<std::string>& strata = {},
                         const std::vector<double>& weights = {}) {
  RunFile run;
  run.model = "m";
  const int k = static_cast<int>(pattern[0].size());
  BenchRecord bench{"arith", {false, k, 0.7, 0.8, 20, 0, 1.5, 512, "1", ""}, "sha", {}, std::nullopt};
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    ItemRecord item{"i" + std::to_string(i), strata.empty() ? "" : strata[i], {}, weights.empty() ? 1.0 : weights[i], ""};
    for (char c : pattern[i]) item.samples.push_back({c == '1', c == '1' ? "right" : "wrong", "stop", 5, 0, ""});
    bench.items.push_back(item);
  }
  run.benches.push_back(bench);
  return run;
}

}  // namespace

TEST_CASE("K samples: maj@K headline and the paired-mean test decides", "[grade]") {
  // 40 items; the candidate loses one of four right samples on every item: maj@4 stays
  // right (3 of 4), so McNemar sees no flips, but the mean correctness drops 0.25 everywhere.
  std::vector<std::string> baseline(40, "1111"), candidate(40, "1110");
  Grade g = grade_run(run_with_samples(baseline), run_with_samples(candidate), 0.05);
  const BenchGrade& b = g.benches[0];
  CHECK(b.test == BenchTest::kPairedMean);
  CHECK(b.counts.losses == 0);
  CHECK(b.delta == 0.0);
  CHECK(b.mean_delta == Approx(-0.25));
  CHECK(b.p_value < 0.001);
  CHECK(g.verdict == Verdict::kDegraded);
}

TEST_CASE("stratified slices are reweighted to the full set", "[grade]") {
  // Stratum A: 4 items standing for 40 (weight 10), all right in both runs.
  // Stratum B: 4 items standing for 160 (weight 40); baseline 4 right, candidate 2 right.
  std::vector<std::string> base(8, "1"), cand = {"1", "1", "1", "1", "1", "1", "0", "0"};
  std::vector<std::string> strata = {"A", "A", "A", "A", "B", "B", "B", "B"};
  std::vector<double> weights = {10, 10, 10, 10, 40, 40, 40, 40};
  Grade g = grade_run(run_with_samples(base, strata, weights), run_with_samples(cand, strata, weights), 0.05);
  const BenchGrade& b = g.benches[0];
  CHECK(b.stratified);
  CHECK(b.test == BenchTest::kStratified);
  CHECK(b.baseline_accuracy == Approx(1.0));
  CHECK(b.candidate_accuracy == Approx(0.2 * 1.0 + 0.8 * 0.5));  // W = 40/200, 160/200
  CHECK(b.delta == Approx(-0.4));
  CHECK(b.counts.losses == 2);
  // Two losses of eight items cannot be significant: mid-p = P(both signs negative) / 2 = 1/8.
  CHECK(b.p_value == Approx(0.125).margin(0.04));  // Monte-Carlo: Besag-Clifford stops at 200 hits
}

TEST_CASE("each explanation appears once in the text report", "[grade]") {
  std::vector<std::string> baseline(40, "1111"), candidate(40, "1110");
  Grade g = grade_run(run_with_samples(baseline), run_with_samples(candidate), 0.05);
  const std::string text = render_report(g, ReportFormat::kText);
  const std::string phrase = "maj@4 accuracy shown";
  const auto first = text.find(phrase);
  REQUIRE(first != std::string::npos);
  CHECK(text.find(phrase, first + 1) == std::string::npos);
}

TEST_CASE("a significant rise in reasoning tokens is a warning and not a verdict", "[grade]") {
  auto with_reasoning = [](double scale) {
    RunFile run = run_with("1111111111111111111111111111111111111111");
    for (std::size_t i = 0; i < run.benches[0].items.size(); ++i)
      run.benches[0].items[i].samples[0].reasoning_tokens = static_cast<std::int64_t>(scale * (300 + 25 * (i % 7)));
    return run;
  };
  Grade g = grade_run(with_reasoning(1.0), with_reasoning(1.4), 0.05);
  const BenchGrade& b = g.benches[0];
  REQUIRE(b.reasoning_ratio.defined);
  CHECK(b.reasoning_ratio.ratio == Approx(1.4).epsilon(0.01));
  CHECK(b.reasoning_warning);
  CHECK(g.verdict == Verdict::kPass);
  CHECK(render_report(g, ReportFormat::kText).find("⚠ reasoning tokens rose 1.40×") != std::string::npos);
  Grade same = grade_run(with_reasoning(1.0), with_reasoning(1.0), 0.05);
  CHECK_FALSE(same.benches[0].reasoning_warning);
}

TEST_CASE("code run without the sandbox is a mismatch with sandboxed code and is said in every report",
          "[grade][humaneval]") {
  RunFile baseline = run_with("1111", "humaneval"), candidate = run_with("1111", "humaneval");
  baseline.benches[0].settings.code_execution = "unsandboxed";
  candidate.benches[0].settings.code_execution = "sandboxed";
  // The field survives the file (and stays out of benches that run no code).
  auto reread = parse_run_file(serialize_run_file(baseline), "b.json");
  REQUIRE(reread.ok());
  CHECK(reread->benches[0].settings.code_execution == "unsandboxed");
  CHECK(serialize_run_file(run_with("1")).find("code_execution") == std::string::npos);

  Grade g = grade_run(*reread, candidate, 0.05);
  CHECK(g.verdict == Verdict::kNotComparable);
  REQUIRE(g.mismatches.size() == 1);
  CHECK(g.mismatches[0].field == "code_execution");
  const std::string text = render_report(g, ReportFormat::kText);
  CHECK(text.find("humaneval: ⚠ model-written code ran UNSANDBOXED in the baseline (--allow-unsandboxed)") !=
        std::string::npos);
  CHECK(nlohmann::json::parse(render_report(g, ReportFormat::kJson))["notes"][0].get<std::string>().find(
            "UNSANDBOXED") != std::string::npos);

  // Both unsandboxed: comparable, and still said.
  candidate.benches[0].settings.code_execution = "unsandboxed";
  Grade both = grade_run(baseline, candidate, 0.05);
  CHECK(both.verdict == Verdict::kPass);
  CHECK(render_report(both, ReportFormat::kMarkdown).find("UNSANDBOXED in the baseline and the candidate") !=
        std::string::npos);
  CHECK(render_run_summary(candidate).find("⚠ humaneval: model-written code ran UNSANDBOXED") != std::string::npos);
}

TEST_CASE("a bench with too many failed samples is not comparable rather than graded", "[grade]") {
  const RunFile baseline = run_with("11111111110000000000");
  RunFile candidate = run_with("11111111110000000000");
  for (int i = 0; i < 3; ++i) {  // 3 of 20 samples without a usable response: 15%
    SampleRecord& s = candidate.benches[0].items[static_cast<std::size_t>(i)].samples[0];
    s = {false, "", "", 0, 0, "response is not JSON"};
  }
  Grade strict = grade_run(baseline, candidate, 0.05);
  CHECK(strict.verdict == Verdict::kNotComparable);
  REQUIRE(strict.mismatches.size() == 1);
  CHECK(strict.mismatches[0].field == "failed_samples");
  CHECK(strict.mismatches[0].baseline == "\"0.0%\"");
  CHECK(strict.mismatches[0].candidate == "\"15.0%\"");
  CHECK_FALSE(strict.benches[0].comparable);
  REQUIRE(strict.notes.size() == 1);
  CHECK(strict.notes[0] == "arith: candidate samples failed: 3 × response is not JSON");
  // A looser threshold grades it; the failures count as wrong (3 losses).
  Grade loose = grade_run(baseline, candidate, 0.05, {0.2});
  CHECK(loose.mismatches.empty());
  CHECK(loose.benches[0].comparable);
  CHECK(loose.benches[0].counts.losses == 3);
  REQUIRE(loose.notes.size() == 1);
  CHECK(loose.notes[0] == "arith: candidate samples failed and count as wrong: 3 × response is not JSON");
  CHECK(render_report(loose, ReportFormat::kText).find(loose.notes[0]) != std::string::npos);
}

TEST_CASE("the text table's bench column fits its longest bench name", "[grade][report]") {
  RunFile baseline = run_with("1101", "hmmt_feb_2025"), candidate = run_with("1100", "hmmt_feb_2025");
  baseline.benches.push_back(run_with("11", "arith").benches[0]);
  candidate.benches.push_back(run_with("11", "arith").benches[0]);
  const std::string text = render_report(grade_run(baseline, candidate, 0.05), ReportFormat::kText);
  std::vector<std::string> rows;  // the header and each bench's row
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    for (const char* first : {"bench ", "hmmt_feb_2025 ", "arith "})
      if (line.rfind(first, 0) == 0) rows.push_back(line);
    start = end == std::string::npos ? text.size() : end + 1;
  }
  REQUIRE(rows.size() == 3);
  // The right-aligned n column ends at the same place in every row: 13 + 1 + 5 characters in.
  CHECK(rows[0][18] == 'n');
  CHECK(rows[1][18] == '4');
  CHECK(rows[2][18] == '2');
}

namespace {

// A K = 1 baseline drawn `repeats` times: item i's samples follow patterns[i] ("1011": right, wrong, right, right).
RunFile repeated_baseline(const std::vector<std::string>& patterns) {
  RunFile run = run_with(std::string(patterns.size(), '1'));
  BenchRecord& bench = run.benches[0];
  bench.repeats = static_cast<int>(patterns[0].size());
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    bench.items[i].samples.clear();
    for (char c : patterns[i]) bench.items[i].samples.push_back({c == '1', c == '1' ? "1" : "0", "stop", 5, 0, ""});
  }
  return run;
}

}  // namespace

TEST_CASE("a baseline of four repeats: one repeat's outcomes, and the luck-margin test decides", "[grade]") {
  // 100 items: 60 always right, 20 right 3 times in 4 (the first repeat lucky on all of them), 20 never.
  std::vector<std::string> patterns(60, "1111");
  patterns.insert(patterns.end(), 20, "1101");
  patterns.insert(patterns.end(), 20, "0000");
  const RunFile baseline = repeated_baseline(patterns);
  CHECK(summarize(baseline.benches[0]).accuracy == Approx(0.8));  // repeat 0's, as a run would record it

  // The candidate gets exactly the baseline's expected share on the mixed items: 15 of 20.
  std::string same(60, '1');
  same += "11111111111111100000" + std::string(20, '0');
  const Grade fair = grade_run(baseline, run_with(same), 0.05);
  const BenchGrade& f = fair.benches.at(0);
  CHECK(f.test == BenchTest::kLuckMargin);
  CHECK(f.baseline_repeats == 4);
  CHECK(f.luck.statistic == Approx(0.0).margin(1e-9));  // 15 right against 20 × 0.75
  CHECK(f.counts.losses == 5);                          // against the lucky first repeat it looks like 5 losses
  CHECK(f.luck.first_repeat_luck == Approx(0.05));      // repeat 0: 80% against a 75% mean
  CHECK(f.luck.first_repeat_luck_z > 1);
  CHECK_FALSE(f.degraded);
  CHECK(fair.verdict == Verdict::kPass);
  // v_i = 4/3 · 0.75 · 0.25 on 20 items: s_C = sqrt(5) = 2.236, s_B = s_C / 2.
  CHECK(f.luck.candidate_sd == Approx(std::sqrt(5.0)));
  CHECK(f.luck.baseline_sd == Approx(std::sqrt(5.0) / 2));

  // Losing 8 of the always-right items as well: far beyond noise and luck.
  std::string worse = same;
  for (int i = 0; i < 8; ++i) worse[static_cast<std::size_t>(i)] = '0';
  const Grade bad = grade_run(baseline, run_with(worse), 0.05);
  CHECK(bad.benches.at(0).degraded);
  const auto json = nlohmann::json::parse(render_report(bad, ReportFormat::kJson));
  CHECK(json["benches"][0]["test"] == "baseline_mean_luck_margin");
  CHECK(json["benches"][0]["baseline_repeats"] == 4);
  CHECK(json["benches"][0]["baseline_luck"]["statistic"].get<double>() == Approx(-8.0));
  CHECK(render_report(bad, ReportFormat::kText).find("against the baseline's mean over 4 repeats") != std::string::npos);
}

TEST_CASE("the luck-margin test weighs a stratified slice's items by the full-set items they stand for", "[grade]") {
  // 40 items, all 1101 in the baseline (mean 0.75). The first 20 stand for 3 full-set items each.
  RunFile baseline = repeated_baseline(std::vector<std::string>(40, "1101"));
  for (std::size_t i = 0; i < 20; ++i) baseline.benches[0].items[i].weight = 3;
  // The candidate misses 5 of the heavy items and gets the rest right.
  const std::string candidate = "00000" + std::string(35, '1');
  const LuckMarginTest t = luck_margin_test(baseline.benches[0], run_with(candidate).benches[0]);
  // T = 3 × (15 × 0.25 − 5 × 0.75) + 20 × 0.25 = 0 + 5; Σ w² v = (20 × 9 + 20) × 4/3 × 0.1875 = 50.
  CHECK(t.statistic == Approx(5.0));
  CHECK(t.candidate_sd == Approx(std::sqrt(50.0)));
  CHECK(t.baseline_sd == Approx(std::sqrt(50.0) / 2));
  // Repeat 0 was right everywhere: 1.0 against the mean 0.75, whatever the weights.
  CHECK(t.first_repeat_luck == Approx(0.25));
}
