// `qdrift report`: the report files of a comparison, written where asked. From
// two run files any format; from a saved JSON report (`--format json`), HTML.
#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "qdrift/transcript.h"
#include "util/files.h"

namespace qdrift::cli {

namespace {

// The transcripts of one run, by sample, when its sidecar is there.
Result<std::map<SampleKey, std::string>> episode_texts(const std::string& run_path) {
  std::map<SampleKey, std::string> texts;
  if (!file_exists(transcripts_path(run_path))) return texts;
  auto loaded = load_transcripts(transcripts_path(run_path));
  if (!loaded.ok()) return loaded.status();
  for (const Transcript& t : *loaded) texts[t.key] = transcript_text(t);
  return texts;
}

// The episodes of the samples each flipped multi-turn item shows.
Result<FlipEpisodes> flip_episodes(const Grade& grade, const std::string& baseline_path,
                                   const std::string& candidate_path) {
  FlipEpisodes episodes;
  const bool any = std::any_of(grade.benches.begin(), grade.benches.end(), [](const BenchGrade& g) {
    return std::any_of(g.flips.begin(), g.flips.end(), [](const FlippedItem& f) { return f.multi_turn; });
  });
  if (!any) return episodes;
  auto baseline = episode_texts(baseline_path);
  if (!baseline.ok()) return baseline.status();
  auto candidate = episode_texts(candidate_path);
  if (!candidate.ok()) return candidate.status();
  const std::string missing = "(no transcript: the run's transcripts file is not beside it)";
  for (const BenchGrade& g : grade.benches)
    for (const FlippedItem& f : g.flips) {
      if (!f.multi_turn) continue;
      auto b = baseline->find({g.bench, f.id, f.baseline.sample});
      auto c = candidate->find({g.bench, f.id, f.candidate.sample});
      if (b == baseline->end() && c == candidate->end()) continue;
      episodes[{g.bench, f.id}] = {b == baseline->end() ? missing : b->second,
                                   c == candidate->end() ? missing : c->second};
    }
  return episodes;
}

// One requested output: its flag's value and format.
struct Output {
  const std::string* path;
  ReportFormat format;
};

Status check_outputs(const std::vector<Output>& outputs, bool force) {
  bool any = false;
  for (const Output& o : outputs) {
    if (o.path->empty()) continue;
    any = true;
    if (file_exists(*o.path) && !force) return Status::Usage(fmt::format("{}: exists; pass --force to replace it", *o.path));
  }
  if (!any) return Status::Usage("qdrift report: name at least one output (--html, --md, --json, --junit, --text)");
  return Status::Ok();
}

Outcome outcome_of_name(const std::string& verdict) {
  if (verdict == "degraded") return Outcome::kDegraded;
  if (verdict == "not_comparable") return Outcome::kNotComparable;
  return Outcome::kOk;
}

// A saved JSON report: HTML only (the other formats need the run files' items).
Result<Outcome> report_from_json(const ReportOptions& o) {
  if (!o.markdown.empty() || !o.json.empty() || !o.junit.empty() || !o.text.empty())
    return Status::Usage("qdrift report: from a saved JSON report only --html can be written; give the baseline and "
                         "candidate run files for the other formats");
  auto text = read_file(o.inputs[0]);
  if (!text.ok()) return text.status();
  nlohmann::ordered_json report = nlohmann::ordered_json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (report.is_discarded())
    return Status::BadInput(fmt::format("{}: not JSON; give a report written by `--format json`", o.inputs[0]));
  if (!report.is_object() || !report.contains("verdict") || !report["verdict"].is_string() ||
      !report.contains("benches") || !report["benches"].is_array()) {
    if (report.is_object() && report.contains("kind") && report.contains("benches"))
      return Status::Usage(fmt::format("{}: is a run file; give the baseline and the candidate run files together",
                                       o.inputs[0]));
    return Status::BadInput(fmt::format("{}: not a qdrift JSON report (no 'verdict' and 'benches')", o.inputs[0]));
  }
  if (Status s = write_file_atomically(o.html, render_html(report), o.force); !s.ok()) return s;
  return outcome_of_name(report["verdict"].get<std::string>());
}

Result<Outcome> report_from_runs(const ReportOptions& o, const std::vector<Output>& outputs) {
  if (Status s = check_grading_flags("text", o.alpha, o.limits); !s.ok()) return s;
  auto baseline = load_run_file(o.inputs[0]);
  if (!baseline.ok()) return baseline.status();
  auto candidate = load_run_file(o.inputs[1]);
  if (!candidate.ok()) return candidate.status();
  const Grade grade = grade_files(*baseline, o.inputs[0], *candidate, o.inputs[1], o.alpha, o.limits);
  for (const Output& out : outputs) {
    if (out.path->empty()) continue;
    auto text = render_graded(grade, out.format, o.inputs[0], o.inputs[1]);
    if (!text.ok()) return text.status();
    if (Status s = write_file_atomically(*out.path, *text, o.force); !s.ok()) return s;
  }
  return outcome_of(grade.verdict);
}

}  // namespace

Grade grade_files(const RunFile& baseline, const std::string& baseline_path, const RunFile& candidate,
                  const std::string& candidate_path, double alpha, const GradeLimits& limits) {
  Grade grade = grade_run(baseline, candidate, alpha, limits);
  grade.baseline_label = fmt::format("{} ({})", baseline.model, baseline_path);
  grade.candidate_label = fmt::format("{} ({})", candidate.model, candidate_path);
  return grade;
}

Result<std::string> render_graded(const Grade& grade, ReportFormat format, const std::string& baseline_path,
                                  const std::string& candidate_path) {
  if (format != ReportFormat::kHtml) return render_report(grade, format);
  auto episodes = flip_episodes(grade, baseline_path, candidate_path);
  if (!episodes.ok()) return episodes.status();
  return render_html(report_json(grade), *episodes);
}

void setup_report(CLI::App* cmd, ReportOptions& o) {
  cmd->add_option("inputs", o.inputs, "a JSON report saved by --format json, or the BASELINE and CANDIDATE run files")
      ->required()
      ->expected(1, 2);
  cmd->add_option("--html", o.html, "write the HTML report here: one self-contained page, no network");
  cmd->add_option("--md", o.markdown, "write the Markdown report here (for a pull-request comment)");
  cmd->add_option("--json", o.json, "write the JSON report here (DESIGN §8's shape)");
  cmd->add_option("--junit", o.junit, "write JUnit XML here: one test case per bench");
  cmd->add_option("--text", o.text, "write the text report here");
  cmd->add_option("--alpha", o.alpha, "family-wise false-alarm rate (run files only)")->capture_default_str();
  add_grade_limit_flags(cmd, o.limits);
  cmd->add_flag("--force", o.force, "replace output files that exist");
  cmd->footer(
      "Exit codes: the verdict's (0 pass, 1 degraded, 2 not comparable), 3 unreadable input or an output that\n"
      "exists without --force.\n\n"
      "Examples:\n"
      "  qdrift diff base.json cand.json --format json > verdict.json\n"
      "  qdrift report verdict.json --html verdict.html\n"
      "  qdrift report base.json cand.json --html r.html --md r.md --junit r.xml");
}

Result<Outcome> run_report(const ReportOptions& o) {
  const std::vector<Output> outputs = {{&o.html, ReportFormat::kHtml},
                                       {&o.markdown, ReportFormat::kMarkdown},
                                       {&o.json, ReportFormat::kJson},
                                       {&o.junit, ReportFormat::kJunit},
                                       {&o.text, ReportFormat::kText}};
  if (Status s = check_outputs(outputs, o.force); !s.ok()) return s;
  if (o.inputs.size() == 1) return report_from_json(o);
  return report_from_runs(o, outputs);
}

}  // namespace qdrift::cli
