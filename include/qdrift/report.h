// Grading a candidate run against a baseline, and the report in every format
// (text, md, json, junit, html). The JSON shape is the contract of DESIGN §8.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "qdrift/record.h"
#include "qdrift/stats.h"

namespace qdrift {

// A setting that differs between baseline and candidate. Values are JSON text.
struct Mismatch {
  std::string bench;  // "" for run-level fields
  std::string field;
  std::string baseline;
  std::string candidate;
};

struct BenchGrade {
  std::string bench;
  bool comparable = true;
  stats::PairedCounts counts;          // outcomes paired by item id
  stats::Interval ci95;                // Newcombe interval for candidate - baseline
  stats::McNemarResult test;           // on losses vs wins
  double p_adjusted = 1;               // Holm, across every test in the report
  bool degraded = false;
  stats::PairedCounts trunc_counts;    // "right" here means "not cut at the cap"
  stats::McNemarResult trunc_test;     // one-sided: the candidate hits the cap more
  double trunc_p_adjusted = 1;
  bool trunc_degraded = false;
  std::int64_t failed_baseline = 0;    // samples that failed (no usable response)
  std::int64_t failed_candidate = 0;
  double items_needed = 0;             // to detect the observed loss at 80% power; 0 if n/a
};

enum class Verdict { kPass, kDegraded, kNotComparable };
std::string verdict_name(Verdict verdict);  // "pass", "degraded", "not_comparable"

struct Grade {
  Verdict verdict = Verdict::kPass;
  double alpha = 0.05;
  std::vector<Mismatch> mismatches;
  std::vector<BenchGrade> benches;
  std::vector<std::string> notes;  // context a reader needs (benches missing, failures)
  std::string baseline_label;      // model and file, for the header line
  std::string candidate_label;
};

// Aligns items by id, checks comparability (DESIGN §4), tests each bench and
// corrects across them with Holm at `alpha`.
Grade grade_run(const RunFile& baseline, const RunFile& candidate, double alpha);

enum class ReportFormat { kText, kMarkdown, kJson, kJunit, kHtml };
bool parse_report_format(const std::string& name, ReportFormat& format);
std::string render_report(const Grade& grade, ReportFormat format);

// A short per-bench summary of a run graded against nothing.
std::string render_run_summary(const RunFile& run);

}  // namespace qdrift
