// `qdrift diff BASELINE CANDIDATE`: offline grading of two stored run files.
#include <cstdio>
#include <future>

#include <fmt/format.h>

#include "cli/commands.h"

namespace qdrift::cli {

Outcome outcome_of(Verdict verdict) {
  switch (verdict) {
    case Verdict::kDegraded: return Outcome::kDegraded;
    case Verdict::kNotComparable: return Outcome::kNotComparable;
    case Verdict::kPass: return Outcome::kOk;
  }
  return Outcome::kOk;
}

Status check_grading_flags(const std::string& format_name, double alpha, const GradeLimits& limits) {
  ReportFormat format;
  if (!parse_report_format(format_name, format))
    return Status::Usage(fmt::format("unknown --format '{}' (text, md, json, junit, html)", format_name));
  if (!(alpha > 0 && alpha < 1)) return Status::Usage("--alpha must be between 0 and 1");
  if (!(limits.max_failed_share >= 0 && limits.max_failed_share <= 1))
    return Status::Usage("--max-failed must be between 0 and 1");
  if (!(limits.min_judge_agreement >= 0 && limits.min_judge_agreement <= 1))
    return Status::Usage("--min-judge-agreement must be between 0 and 1");
  return Status::Ok();
}

Result<Outcome> grade_and_print(const RunFile& baseline, const std::string& baseline_path, const RunFile& candidate,
                                const std::string& candidate_path, double alpha, const std::string& format_name,
                                const GradeLimits& limits) {
  if (Status s = check_grading_flags(format_name, alpha, limits); !s.ok()) return s;
  ReportFormat format;
  parse_report_format(format_name, format);
  const Grade grade = grade_files(baseline, baseline_path, candidate, candidate_path, alpha, limits);
  auto text = render_graded(grade, format, baseline_path, candidate_path);
  if (!text.ok()) return text.status();
  std::fputs(text->c_str(), stdout);
  std::fflush(stdout);
  return outcome_of(grade.verdict);
}

void add_grade_limit_flags(CLI::App* cmd, GradeLimits& limits) {
  cmd->add_option("--max-failed", limits.max_failed_share,
                  "a bench where more than this share of either side's samples failed is NOT COMPARABLE")
      ->capture_default_str();
  cmd->add_option("--min-judge-agreement", limits.min_judge_agreement,
                  "a judged exam whose judge agreed with itself on less than this share of the transcripts it "
                  "judged twice is NOT COMPARABLE")
      ->capture_default_str();
}

void setup_diff(CLI::App* cmd, DiffOptions& o) {
  cmd->add_option("baseline", o.baseline, "the baseline run file")->required();
  cmd->add_option("candidate", o.candidate, "the candidate run file")->required();
  cmd->add_option("--format", o.format, "report format: text, md, json, junit, html")->capture_default_str();
  cmd->add_option("--alpha", o.alpha, "family-wise false-alarm rate (Holm across all tests)")->capture_default_str();
  add_grade_limit_flags(cmd, o.limits);
  cmd->footer(
      "Exit codes: 0 no degradation detected, 1 degraded, 2 not comparable (settings differ),\n"
      "3 error (unreadable file, bad flags).\n\n"
      "Example, in CI:\n"
      "  qdrift diff baselines/my-model/standard-s0.json runs/candidate.json --format json > verdict.json");
}

Result<Outcome> run_diff(const DiffOptions& o) {
  // The two files parse independently: load them on two threads (half the wall time).
  auto candidate_future = std::async(std::launch::async, [&] { return load_run_file(o.candidate); });
  auto baseline = load_run_file(o.baseline);
  auto candidate = candidate_future.get();
  if (!baseline.ok()) return baseline.status();
  if (!candidate.ok()) return candidate.status();
  return grade_and_print(*baseline, o.baseline, *candidate, o.candidate, o.alpha, o.format, o.limits);
}

}  // namespace qdrift::cli
