// `qdrift show FILE [--item ID]`: what a run or baseline file holds, read
// offline: who and how it ran, each bench's settings and figures; or one item's
// samples with their explanations and, when the sidecar is there, transcripts.
#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.h"
#include "qdrift/transcript.h"
#include "record/shard.h"
#include "util/files.h"

namespace qdrift::cli {

namespace {

std::string settings_line(const BenchSettings& s) {
  std::string line = fmt::format("{}, K={}, temperature {}, top_p {}, top_k {}, max_tokens {}, version {}",
                                 s.think ? "think" : "no-think", s.samples, s.temperature, s.top_p, s.top_k,
                                 s.max_tokens, s.bench_version);
  if (!s.code_execution.empty()) line += ", code " + s.code_execution;
  if (!s.tool_protocol.empty()) line += ", tools " + s.tool_protocol;
  if (!s.judge.empty()) line += ", judge " + s.judge;
  return line;
}

std::string bench_block(const BenchRecord& bench) {
  const BenchSummary s = summarize(bench);
  std::string out = fmt::format("{}: {} items, accuracy {:.3f}, cap hits {:.1f}%, mean tokens {:.0f} (reasoning {:.0f}), "
                                "{} failed samples\n",
                                bench.name, s.items, s.accuracy, 100 * s.trunc_rate, s.mean_completion_tokens,
                                s.mean_reasoning_tokens, s.failed_samples);
  out += "  " + settings_line(bench.settings) + "\n";
  out += fmt::format("  items sha256 {}\n", bench.dataset_sha256);
  if (const std::string failures = failure_summary(bench); !failures.empty()) out += "  failures: " + failures + "\n";
  if (bench.stopped_early)
    out += fmt::format("  stopped early after {} items (e-value {:.0f}), {} requests saved\n",
                       bench.stopped_early->items_graded, bench.stopped_early->e_value,
                       bench.stopped_early->requests_saved);
  return out;
}

std::string file_summary(const RunFile& run, const std::string& path) {
  std::string out = fmt::format("{}: {} of {} by qdrift {}, {}\n", path, run.kind, run.model, run.qdrift_version,
                                run.created_at.empty() ? "time not recorded" : run.created_at);
  out += fmt::format("  endpoint {} ({}), tier {}, seed {}, concurrency {}{}{}\n", run.endpoint, run.server,
                     run.config.tier, run.config.seed, run.config.concurrency,
                     run.config.limit > 0 ? fmt::format(", limited to {} items per bench", run.config.limit) : "",
                     run.config.shard ? fmt::format(", shard {} (join the shards with `qdrift merge`)",
                                                    shard_name(*run.config.shard))
                                      : "");
  out += fmt::format("  requests: {} answered, {} retries, {} unusable bodies\n", run.request_stats.requests,
                     run.request_stats.retries, run.request_stats.unusable_bodies);
  if (!run.request_stats.replicas.empty())
    out += fmt::format("  replicas: {}\n", replica_summary(run.request_stats.replicas));
  out += fmt::format("  tripwire: {}\n\n", run.tripwire.status);
  for (const BenchRecord& bench : run.benches) out += bench_block(bench);
  return out;
}

std::string indented(const std::string& text, const std::string& indent) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::size_t stop = end == std::string::npos ? text.size() : end + 1;
    out += indent + text.substr(start, stop - start);
    start = stop;
  }
  return out;
}

Result<std::string> item_report(const RunFile& run, const std::string& path, const std::string& id) {
  std::vector<Transcript> transcripts;
  if (file_exists(transcripts_path(path))) {
    auto loaded = load_transcripts(transcripts_path(path));
    if (!loaded.ok()) return loaded.status();
    transcripts = std::move(loaded).value();
  }
  std::string out;
  for (const BenchRecord& bench : run.benches)
    for (const ItemRecord& item : bench.items) {
      if (item.id != id) continue;
      out += fmt::format("{} / {}{}: outcome {}\n", bench.name, item.id,
                         item.stratum.empty() ? "" : " (" + item.stratum + ")", item_outcome(item) ? "right" : "wrong");
      for (std::size_t k = 0; k < item.samples.size(); ++k) {
        const SampleRecord& s = item.samples[k];
        out += fmt::format("  sample {}: {} · answer \"{}\" · finish {} · {} tokens{}{}\n", k,
                           s.error.empty() ? (s.correct ? "right" : "wrong") : "FAILED", s.answer, s.finish,
                           s.completion_tokens, s.turns != 1 ? fmt::format(" · {} turns", s.turns) : "",
                           s.judge_verdict.empty() ? "" : " · judge " + s.judge_verdict);
        out += fmt::format("    {}\n", s.error.empty() ? s.explanation : s.error);
        for (const Transcript& t : transcripts)
          if (t.key.bench == bench.name && t.key.item_id == item.id && t.key.sample == static_cast<int>(k))
            out += indented(transcript_text(t), "    ");
      }
    }
  if (out.empty()) return Status::BadInput(fmt::format("{}: no item '{}'", path, id));
  return out;
}

}  // namespace

void setup_show(CLI::App* cmd, ShowOptions& o) {
  cmd->add_option("file", o.file, "a run or baseline file")->required();
  cmd->add_option("--item", o.item, "one item's samples: answers, explanations, and the transcript when its sidecar is there");
  cmd->footer("Reads the file only: no endpoint, no judge. Exit codes: 0 shown, 3 unreadable or invalid file.");
}

Result<Outcome> run_show(const ShowOptions& o) {
  auto run = load_run_file(o.file);
  if (!run.ok()) return run.status();
  if (o.item.empty()) {
    std::fputs(file_summary(*run, o.file).c_str(), stdout);
    return Outcome::kOk;
  }
  auto report = item_report(*run, o.file, o.item);
  if (!report.ok()) return report.status();
  std::fputs(report->c_str(), stdout);
  return Outcome::kOk;
}

}  // namespace qdrift::cli
