// `qdrift demo`: the whole workflow on simulated endpoints, in one process.
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "cli/commands.h"
#include "util/files.h"

namespace qdrift::cli {

void setup_demo(CLI::App* cmd, DemoOptions& o) {
  cmd->add_option("--out-dir", o.out_dir, "where to keep the files (default: a new temporary directory)");
  cmd->add_option("--tier", o.tier, "smoke, standard or full")->check(CLI::IsMember({"smoke", "standard", "full"}))->capture_default_str();
  cmd->add_option("-c,--concurrency", o.concurrency, "requests kept in flight")->capture_default_str();
  cmd->footer("No GPU, no download: the endpoints are `qdrift sim` servers on loopback inside this process.");
}

namespace {

Result<std::string> make_out_dir(const DemoOptions& o) {
  if (!o.out_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(o.out_dir, ec);
    if (ec) return Status::Io(fmt::format("{}: {}", o.out_dir, ec.message()));
    return o.out_dir;
  }
  std::string pattern = (std::filesystem::temp_directory_path() / "qdrift-demo-XXXXXX").string();
  if (!mkdtemp(pattern.data())) return Status::Io("cannot create a temporary directory");
  return pattern;
}

struct Variant {
  const char* label;
  const char* variant;
  const char* slug;  // its report files: report-<slug>.<ext>
  std::uint64_t seed;
  const char* expectation;
};

// Every report format of one comparison, into the demo's folder.
constexpr std::pair<ReportFormat, const char*> kReportFiles[] = {{ReportFormat::kText, "txt"},
                                                                 {ReportFormat::kMarkdown, "md"},
                                                                 {ReportFormat::kJson, "json"},
                                                                 {ReportFormat::kJunit, "xml"},
                                                                 {ReportFormat::kHtml, "html"}};

Status write_reports(const Grade& grade, const std::string& baseline_path, const std::string& candidate_path,
                     const std::string& dir, const char* slug) {
  for (const auto& [format, extension] : kReportFiles) {
    auto text = render_graded(grade, format, baseline_path, candidate_path);
    if (!text.ok()) return text.status();
    if (Status s = write_file_atomically(fmt::format("{}/report-{}.{}", dir, slug, extension), *text); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

Result<Outcome> run_demo(const DemoOptions& o) {
  auto dir = make_out_dir(o);
  if (!dir.ok()) return dir.status();
  // Four servers: two fp16 with different noise seeds stand for two runs of one
  // non-deterministic serve; int4 and broken are the variants under test.
  const Variant variants[] = {
      {"fp16 (baseline)", "fp16", "baseline", 1, ""},
      {"fp16, run again", "fp16", "fp16-again", 2, "should pass: only serving noise differs"},
      {"int4", "int4", "int4", 3, "a small real loss on marginal items: flagged only if the tripwire or the flips say so"},
      {"broken", "broken", "broken", 4, "should be flagged DEGRADED"},
  };
  std::vector<std::unique_ptr<SimServer>> servers;
  for (const Variant& v : variants) {
    SimOptions sim;
    sim.variant = v.variant;
    sim.seed = v.seed;
    sim.model_name = std::string("demo-") + v.variant;
    auto server = SimServer::start(sim);
    if (!server.ok()) return server.status();
    servers.push_back(std::move(server).value());
  }

  auto options_for = [&](std::size_t index, const std::string& kind) {
    RunOptions run;
    run.endpoint.base_url = servers[index]->base_url();
    run.endpoint.model = std::string("demo-") + variants[index].variant;
    run.kind = kind;
    run.tier = *parse_tier(o.tier);
    run.benches = {"arith"};  // generated items: the demo needs no download
    run.pool.concurrency = o.concurrency;
    run.out = fmt::format("{}/{}-{}.json", *dir, kind, index);
    run.force = true;
    run.progress = false;
    return run;
  };

  std::printf("qdrift demo: four simulated endpoints on loopback, files in %s\n\n", dir->c_str());
  std::printf("1. collect a baseline from fp16 (%s)\n", servers[0]->base_url().c_str());
  std::fflush(stdout);
  RunOptions baseline_options = options_for(0, "baseline");
  baseline_options.progress = false;
  auto baseline = execute_run(baseline_options);
  if (!baseline.ok()) return baseline.status();
  std::fputs(render_run_summary(*baseline).c_str(), stdout);

  int step = 2;
  std::vector<std::string> verdicts;
  for (std::size_t i = 1; i < servers.size(); ++i, ++step) {
    std::printf("\n%d. grade %s against the baseline — %s\n\n", step, variants[i].label, variants[i].expectation);
    std::fflush(stdout);
    RunOptions run_options = options_for(i, "run");
    run_options.baseline = &*baseline;  // so the tripwire probes it first
    auto run = execute_run(run_options);
    if (!run.ok()) return run.status();
    const Grade grade = grade_files(*baseline, baseline_options.out, *run, run_options.out, 0.05, {});
    std::fputs(render_report(grade, ReportFormat::kText).c_str(), stdout);
    if (Status s = write_reports(grade, baseline_options.out, run_options.out, *dir, variants[i].slug); !s.ok())
      return s;
    verdicts.push_back(fmt::format("{}: {}", variants[i].label, verdict_name(grade.verdict)));
  }
  std::printf(
      "\nWhat you just saw\n"
      "  Each item was answered by the baseline and by the candidate. Items that flip from right to\n"
      "  wrong are losses, wrong to right are wins. Serving noise flips items both ways in equal\n"
      "  measure; real damage flips them one way. McNemar's test asks whether losses outnumber wins\n"
      "  by more than chance allows, so a second fp16 run passes even though many items flipped,\n"
      "  while the broken model is flagged. A small int4 loss may or may not be detectable at this\n"
      "  size: the report says how many items it would take. The tripwire line leads each report: it\n"
      "  compares teacher-forced logprobs on 64 fixed texts with the baseline's own repeat (the noise\n"
      "  floor), which catches a shifted distribution in seconds, before any answer is graded.\n"
      "  Verdicts: %s; %s; %s.\n\n"
      "  Re-grade offline, as a CI job would (exit code 0 pass, 1 degraded, 2 not comparable):\n"
      "    qdrift diff %s/baseline-0.json %s/run-3.json\n\n"
      "  Every report format of each comparison is in %s:\n"
      "    report-{fp16-again,int4,broken}.html  the page to open in a browser: bars, flips, tripwire\n"
      "    report-*.md   for a pull-request comment     report-*.json  for scripts (DESIGN §8)\n"
      "    report-*.xml  JUnit, for CI test views       report-*.txt   what was printed above\n"
      "  Open one: xdg-open %s/report-int4.html\n",
      verdicts[0].c_str(), verdicts[1].c_str(), verdicts[2].c_str(), dir->c_str(), dir->c_str(), dir->c_str(),
      dir->c_str());
  return Outcome::kOk;
}

}  // namespace qdrift::cli
