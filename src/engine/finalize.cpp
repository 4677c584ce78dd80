// Assembling and writing the run file.
#include "engine/finalize.h"

#include <cstdio>

#include "record/transcript_writer.h"
#include "util/clock.h"
#include "util/files.h"

namespace qdrift {

namespace {

BenchRecord bench_record(const PlannedBench& p, BenchProgress& progress) {
  BenchRecord bench{p.bench->name(), p.settings, p.dataset_sha256, {}, std::nullopt, p.traits, p.repeats};
  const std::size_t kept = progress.stopped ? progress.graded : p.items.size();
  if (progress.stopped) {
    // Saved = planned requests never sent; items past the stop point are dropped.
    std::int64_t planned_requests = 0, made = 0;
    for (const auto& samples : progress.results) {
      planned_requests += static_cast<std::int64_t>(samples.size());
      for (const auto& s : samples) made += s.has_value();
    }
    bench.stopped_early = *progress.stopped;
    bench.stopped_early->requests_saved = planned_requests - made;
  }
  bench.unsharded_items = p.unsharded_items;
  for (std::size_t i = 0; i < kept; ++i) {
    ItemRecord item{p.items[i].id, p.items[i].stratum, {}, p.items[i].weight, p.items[i].detail,
                    prompt_opening(p.items[i].prompt)};
    if (!p.positions.empty()) item.position = p.positions[i];  // a shard's: where the whole run has it
    for (auto& sample : progress.results[i]) item.samples.push_back(std::move(*sample));
    bench.items.push_back(std::move(item));
  }
  return bench;
}

}  // namespace

RunFile assemble_run_file(const RunOptions& options, const RunIdentity& who, const RunPlan& plan,
                          std::vector<BenchProgress>& progress) {
  RunFile run;
  run.kind = options.kind;
  run.qdrift_version = QDRIFT_VERSION;
  run.model = who.model;
  run.endpoint = redact_url(options.endpoint.base_url);
  run.server = who.server;
  run.created_at = utc_now("%Y-%m-%dT%H:%M:%SZ");
  run.config = {tier_name(options.tier), options.seed, options.pool.concurrency, options.stop_early,
                static_cast<std::int64_t>(options.limit)};
  run.config.shard = options.shard;
  for (std::size_t b = 0; b < plan.benches.size() && b < progress.size(); ++b)
    run.benches.push_back(bench_record(plan.benches[b], progress[b]));
  return run;
}

Result<RunFile> write_run_file(const RunOptions& options, const RunFile& run) {
  const std::string text = serialize_run_file(run);
  if (Status s = write_file_atomically(options.out, text, /*replace=*/options.force); !s.ok()) return s;
  if (Status s = finalize_transcripts(options.out, options.force); !s.ok()) return s;
  std::remove(checkpoint_path(options.out).c_str());
  return parse_run_file(text, options.out);
}

}  // namespace qdrift
