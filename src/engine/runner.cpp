// execute_run: the stages in order — plan, preflight, resume, tripwire probe,
// the request loop over every episode, the tripwire reference, finalize. Each
// stage lives in its own file; this one only passes what one hands the next,
// and turns a signal into the message that says how to resume.
#include "engine/runner.h"

#include <optional>
#include <set>

#include <fmt/format.h>

#include "engine/finalize.h"
#include "engine/interrupt.h"
#include "engine/preflight.h"
#include "engine/request_loop.h"
#include "engine/resume.h"
#include "engine/run_plan.h"
#include "engine/sample_sink.h"
#include "engine/schedule.h"
#include "engine/tripwire_stage.h"
#include "util/files.h"

namespace qdrift {

std::string checkpoint_path(const std::string& out) { return out + ".checkpoint.jsonl"; }

namespace {

// Where a run was when a signal stopped it, for the one-line message.
enum class Stage { kPreflight, kTripwire, kBenches };

Status interrupted(Stage stage, std::size_t kept, std::size_t total, const std::string& checkpoint) {
  if (stage == Stage::kPreflight)
    return Status::Interrupted(
        file_exists(checkpoint)
            ? fmt::format("stopped by a signal before any sample was asked for: {} is untouched; run the same command "
                          "with --resume to continue", checkpoint)
            : std::string("stopped by a signal before the run started: nothing was kept; run the same command again"));
  const std::string where = stage == Stage::kTripwire ? " during the tripwire stage" : "";
  const std::string redo = stage == Stage::kTripwire ? " (the tripwire stage starts again from its first text)" : "";
  return Status::Interrupted(fmt::format("stopped by a signal{}: {} of {} samples kept in {}; run the same command with "
                                         "--resume to continue{}",
                                         where, kept, total, checkpoint, redo));
}

// What every stage after preflight shares.
struct RunContext {
  RunOptions options;  // with `out` named
  Endpoint endpoint;   // with the model preflight chose
  std::string server;
  PoolOptions pool;    // with the run's stop source
  std::string checkpoint;
  RunObserver& observer;
  const InterruptWatch* watch = nullptr;
  bool signalled() const { return watch && watch->interrupted(); }
  // The tripwire asks the replicas too: a baseline's reference pass comes after
  // its benches, when the first replica may be the one that died.
  TripwireStageOptions tripwire() const {
    Endpoint asked = endpoint;
    asked.server = server;
    PoolOptions spread = pool;
    spread.replicas = options.replicas;
    return {asked, spread, options.alpha};
  }
};

std::string tripwire_line(const TripwireRecord& t) {
  const std::string figures =
      t.status == "unsupported" ? ": " + t.reason
      : tripwire::available(t.mean_kl)
          ? fmt::format(" (top-1 agreement {:.4f}, mean KL {:.5f})", t.top1_agreement, t.mean_kl)
          : fmt::format(" (mean |Δ logprob| {:.4f}; KL unavailable: {})", t.summary.mean_abs_logprob_difference,
                        t.unavailable);
  return "tripwire: " + t.status + figures;
}

// The request loop over every missing sample; the model lane is an HttpPool
// whose bodies are capped by the largest max_tokens asked for (chat_response_cap).
RequestLoopReport run_samples(const RunContext& run, const RunPlan& plan, SampleSink& sink,
                              const std::vector<EpisodeTask>& tasks, PoolStats& pool_stats) {
  PoolOptions chat_pool = run.pool;
  int largest_max_tokens = 0;
  for (const PlannedBench& p : plan.benches) largest_max_tokens = std::max(largest_max_tokens, p.sampling.max_tokens);
  chat_pool.max_response_bytes = chat_response_cap(largest_max_tokens);
  chat_pool.replicas = run.options.replicas;
  RequestLoop* named = nullptr;  // -v names each request by its episode
  chat_pool.describe = [&named](const HttpRequest& request) { return named ? named->describe(request.tag) : ""; };
  HttpPool model_lane(chat_pool);
  std::optional<HttpPool> judge_lane;
  RequestLoopOptions loop_options;
  loop_options.model = run.endpoint;
  loop_options.run_seed = run.options.seed;
  loop_options.model_concurrency = total_concurrency(run.options.replicas, run.pool.concurrency);
  loop_options.tool_workers = run.options.tool_workers;
  if (run.options.judge) {
    PoolOptions judge_pool = chat_pool;
    judge_pool.concurrency = run.options.judge_concurrency;
    judge_pool.replicas.clear();  // the judge is its own server
    judge_lane.emplace(judge_pool);
    loop_options.judge = run.options.judge;
  }
  RequestLoop loop(loop_options, model_lane, judge_lane ? &*judge_lane : nullptr);
  named = &loop;
  const auto make_episode = [&plan](const EpisodeTask& task) {
    const PlannedBench& p = plan.benches[task.bench];
    return p.bench->start_episode(p.items[task.item], p.sampling);
  };
  const auto filter = [&sink](const EpisodeTask& task) { return !sink.stopped(task.bench); };
  const auto record = [&sink](const EpisodeTask& task, EpisodeResult&& result) {
    return sink.record(task, std::move(result));
  };
  RequestLoopReport report = loop.run(tasks, make_episode, record, filter);
  pool_stats = model_lane.stats();
  return report;
}

// Each replica's share of the requests, for the run file (credentials removed).
std::vector<ReplicaRequests> replica_requests(const PoolStats& stats) {
  std::vector<ReplicaRequests> out;
  for (const ReplicaStats& r : stats.replicas)
    out.push_back({redact_url(r.base_url), static_cast<std::int64_t>(r.answered), static_cast<std::int64_t>(r.tries),
                   static_cast<std::int64_t>(r.failed_tries), r.down});
  return out;
}

Status loop_failure(const RunContext& run, const RequestLoopReport& report, std::size_t kept) {
  if (report.endpoint_failure)
    return Status::Endpoint(fmt::format("{} (after {} tries; {} samples kept in {}; once the server is back, run the "
                                        "same command with --resume to continue)",
                                        *report.endpoint_failure, report.endpoint_failure_attempts, kept,
                                        run.checkpoint));
  return report.sink_failure;
}

// A baseline's reference pass and noise floor, over --corpus or its own answers.
TripwireRecord collect_tripwire_reference(const RunContext& run, const RunPlan& plan,
                                          const std::vector<BenchProgress>& progress) {
  std::vector<std::string> corpus = plan.corpus_from_file;
  if (corpus.empty()) {
    std::vector<std::pair<std::string, std::string>> texts;
    for (std::size_t b = 0; b < plan.benches.size(); ++b)
      for (std::size_t i = 0; i < plan.benches[b].items.size(); ++i)
        texts.emplace_back(plan.benches[b].bench->name() + "/" + plan.benches[b].items[i].id,
                           progress[b].first_answer[i]);
    corpus = choose_corpus(std::move(texts), run.options.corpus_size, run.options.seed);
  }
  return collect_reference(corpus, run.tripwire());
}

// From the resume point to the written file.
Result<RunFile> run_stages(RunContext& run, RunPlan& plan) {
  const RunOptions& options = run.options;
  const std::string header = checkpoint_header(options, run.endpoint.model, plan);
  auto point = find_resume_point(run.checkpoint, header, options.resume);
  if (!point.ok()) return point.status();
  CheckpointWriter writer;
  SampleSink sink(plan, writer, run.observer, options.kind == "baseline");
  const std::size_t already = sink.restore(point->contents);
  TranscriptWriter transcripts;
  const bool resume_transcripts = point->append && file_exists(transcripts_partial_path(options.out));
  if (resume_transcripts) {
    std::set<SampleKey> finished;
    for (const auto& [key, sample] : point->contents.samples) finished.insert(key);
    if (Status s = transcripts.resume(options.out, finished); !s.ok()) return s;
  }
  sink.keep_transcripts(transcripts, options.out, resume_transcripts);
  if (point->contents.dropped_lines > 0)
    run.observer.note(run.checkpoint + ": dropped 1 torn line (a write cut short); its sample is asked again");
  // Early stop spends a share of alpha, split Bonferroni-style over every test the
  // report will run (accuracy and cap hits per bench), so it is never the weak link.
  // Paired with the baseline, the progress display counts losses and wins as they land.
  if (options.baseline)
    sink.attach_baseline(*options.baseline, options.stop_early ? 2.0 * static_cast<double>(plan.benches.size()) /
                                                                     (kEarlyStopAlphaShare * options.alpha)
                                                               : 0.0);
  if (Status s = writer.open(run.checkpoint, header, point->append, point->keep_bytes); !s.ok()) return s;
  std::vector<EpisodeTask> tasks = sink.missing_tasks();
  order_tasks(tasks, plan, options.order);
  const std::size_t total = already + tasks.size();

  // The tripwire measures the model, not items: shard 0 alone runs it (its
  // corpus drawn from its own items), and `qdrift merge` keeps shard 0's.
  const bool tripwire_here = options.tripwire && (!options.shard || options.shard->index == 0);
  TripwireRecord tripwire_record;
  bool skip_benches = false;
  if (tripwire_here && options.kind == "run" && options.baseline &&
      options.baseline->tripwire.status == "reference") {
    tripwire_record = probe_candidate(options.baseline->tripwire, run.tripwire());
    if (run.signalled()) return interrupted(Stage::kTripwire, already, total, run.checkpoint);
    run.observer.note(tripwire_line(tripwire_record));
    // --fail-fast: the distribution has collapsed, the benches would only confirm it.
    skip_benches = tripwire_record.status == "tripped" && options.fail_fast;
    if (skip_benches) tasks.clear();
  }
  run.observer.samples_started(total, already);
  PoolStats pool_stats;
  const RequestLoopReport report = run_samples(run, plan, sink, tasks, pool_stats);
  run.observer.samples_finished();
  writer.close();
  transcripts.close();
  if (run.signalled()) return interrupted(Stage::kBenches, sink.samples_done(), total, run.checkpoint);
  if (Status s = loop_failure(run, report, sink.samples_done()); !s.ok()) return s;

  if (tripwire_here && options.kind == "baseline") {
    tripwire_record = collect_tripwire_reference(run, plan, sink.benches());
    if (run.signalled()) return interrupted(Stage::kTripwire, sink.samples_done(), total, run.checkpoint);
    if (tripwire_record.status != "reference") run.observer.note("tripwire: unsupported: " + tripwire_record.reason);
  }
  std::vector<BenchProgress> no_benches;  // --fail-fast after a trip: the file holds no bench
  RunFile file = assemble_run_file(options, {run.endpoint.model, run.server}, plan,
                                   skip_benches ? no_benches : sink.benches());
  file.tripwire = std::move(tripwire_record);
  file.request_stats = {static_cast<std::int64_t>(pool_stats.completed), static_cast<std::int64_t>(pool_stats.retries),
                        report.unusable_bodies, report.unusable_reasons, replica_requests(pool_stats)};
  return file;
}

// Every replica after the first must serve the model the first one serves:
// replicas of different models would mix two models' answers in one run file.
Status preflight_replicas(const RunContext& run) {
  for (std::size_t i = 1; i < run.options.replicas.size(); ++i) {
    Endpoint replica = run.endpoint;
    replica.base_url = run.options.replicas[i].base_url;
    auto served = preflight_model(replica, run.pool);
    if (!served.ok())
      return Status::Endpoint(
          fmt::format("replica {} of {}: {}", i + 1, run.options.replicas.size(), served.status().message()));
  }
  return Status::Ok();
}

// A judged bench's judge is asked before the first sample, like the model: an
// unreachable judge or one that does not serve --judge-model stops the run now.
Status preflight_judge(const RunContext& run, const RunPlan& plan) {
  if (!run.options.judge) return Status::Ok();
  bool needed = false;
  for (const PlannedBench& bench : plan.benches) needed = needed || bench.bench->needs_judge();
  if (!needed) return Status::Ok();
  auto judge = preflight_model(*run.options.judge, run.pool);
  if (!judge.ok()) return Status::Endpoint("judge: " + judge.status().message());
  return Status::Ok();
}

}  // namespace

Result<RunFile> execute_run(const RunOptions& options, RunObserver& observer) {
  auto plan = plan_run(options);
  if (!plan.ok()) return plan.status();
  for (const std::string& warning : plan->warnings) observer.warning(warning);
  // One stop source for every stage's requests, and the signal watch over all of
  // them, set up before any thread starts so every thread inherits the blocked signals.
  StopSource stop_source;
  std::optional<InterruptWatch> watch;
  if (options.handle_signals)
    watch.emplace([&stop_source] { stop_source.stop(); }, [&stop_source] { stop_source.abort(); },
                  options.interrupt_grace_s);
  RunContext run{options, options.endpoint, "", options.pool, "",
                 observer, watch ? &*watch : nullptr};
  run.pool.stop_source = &stop_source;
  run.pool.verbose = options.verbose;
  const std::string early_checkpoint = options.out.empty() ? "" : checkpoint_path(options.out);
  auto model = preflight_model(run.endpoint, run.pool);
  if (run.signalled()) return interrupted(Stage::kPreflight, 0, 0, early_checkpoint);
  if (!model.ok()) return model.status();
  run.endpoint.model = *model;
  if (Status replicas = preflight_replicas(run); !replicas.ok()) return replicas;
  if (Status judge = preflight_judge(run, *plan); !judge.ok()) return judge;
  if (run.signalled()) return interrupted(Stage::kPreflight, 0, 0, early_checkpoint);
  if (run.options.out.empty()) {
    if (!options.default_out) return Status::Internal("execute_run needs an output path");
    run.options.out = options.default_out(*model);
    if (Status s = check_output_paths(run.options); !s.ok()) return s;
  }
  run.checkpoint = checkpoint_path(run.options.out);
  run.server = resolve_server_kind(run.endpoint, run.pool);
  if (run.signalled()) return interrupted(Stage::kPreflight, 0, 0, run.checkpoint);
  auto file = run_stages(run, *plan);
  if (!file.ok()) return file.status();
  // The work is done: a signal from here on is taken by the watch and ignored, so
  // it cannot cut the final write short (the checkpoint would still be there).
  watch.reset();
  return write_run_file(run.options, *file);
}

Result<RunFile> execute_run(const RunOptions& options) {
  const auto observer = terminal_observer(options.progress);
  return execute_run(options, *observer);
}

}  // namespace qdrift
