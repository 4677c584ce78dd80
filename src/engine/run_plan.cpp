// plan_run: flag checks first (cheap, in the user's order), then the benches'
// items (which may read a dataset cache or download rows), then the sandbox.
#include "engine/run_plan.h"

#include <set>

#include <fmt/format.h>

#include "engine/tripwire_stage.h"
#include "qdrift/openai.h"
#include "qdrift/transcript.h"
#include "record/shard.h"
#include "util/files.h"

namespace qdrift {

namespace {

Result<std::vector<const Bench*>> chosen_benches(const RunOptions& options) {
  if (options.benches.empty()) {
    // A judged bench in the tier's set runs only when a judge is configured
    // (the plan warns); named with --bench, it says what it needs instead.
    std::vector<const Bench*> benches;
    for (const Bench* bench : default_benches(options.tier))
      if (options.judge || !bench->needs_judge()) benches.push_back(bench);
    return benches;
  }
  std::vector<const Bench*> benches;
  for (const std::string& name : options.benches) {
    const Bench* bench = find_bench(name);
    if (!bench) {
      std::string known;
      for (const Bench* b : all_benches()) known += (known.empty() ? "" : ", ") + b->name();
      return Status::Usage(fmt::format("unknown bench '{}' (known: {})", name, known));
    }
    benches.push_back(bench);
  }
  return benches;
}

// A model grading itself is not a blind judge: refused unless asked for.
Status check_judge(const RunOptions& options) {
  if (!options.judge) return Status::Ok();
  if (options.judge->base_url.empty()) return Status::Usage("--judge-model needs --judge-endpoint URL");
  if (options.judge->model.empty()) return Status::Usage("--judge-endpoint needs --judge-model NAME");
  // An unnamed candidate model is the only one its server serves, so the same URL means the same model.
  const bool same_server =
      Endpoint::trim_base_url(options.judge->base_url) == Endpoint::trim_base_url(options.endpoint.base_url);
  if (same_server && (options.endpoint.model.empty() || options.endpoint.model == options.judge->model) &&
      !options.judge_self)
    return Status::Usage(
        "the judge is the model under test (same endpoint and model): use another judge, or pass --judge-self "
        "to let it grade itself");
  return Status::Ok();
}

// Repeated --endpoint: the first is the endpoint, and no server twice (its
// share would count twice while its connections are one server's).
Status check_replicas(const RunOptions& options) {
  if (options.replicas.empty()) return Status::Ok();
  if (options.replicas.front().base_url != Endpoint::trim_base_url(options.endpoint.base_url))
    return Status::Internal("the first replica must be the endpoint");
  std::set<std::string> seen;
  for (const Replica& replica : options.replicas)
    if (!seen.insert(replica.base_url).second)
      return Status::Usage(fmt::format("--endpoint {} is given twice: give each server once (URL@C sets its share)",
                                       redact_url(replica.base_url)));
  return Status::Ok();
}

// A shard sees only its part of the items (docs/scaling.md says why these two are refused).
Status check_shard_flags(const RunOptions& options) {
  if (!options.shard) return Status::Ok();
  if (Status s = check_shard(*options.shard); !s.ok()) return Status::Usage("--shard: " + s.message());
  if (options.stop_early)
    return Status::Usage(
        "--stop-early does not work with --shard: a shard sees only part of each bench, so stopping it on its own "
        "evidence spends alpha once per shard and leaves the merged run without the items it skipped; merge the "
        "shards, then grade the whole run");
  if (options.fail_fast)
    return Status::Usage(
        "--fail-fast does not work with --shard: only shard 0 probes the tripwire, and the other shards would run "
        "their benches anyway; check the tripwire first with `qdrift tripwire`");
  return Status::Ok();
}

}  // namespace

Status check_run_flags(const RunOptions& options) {
  if (Status s = require_base_url(options.endpoint); !s.ok()) return s;
  if (auto benches = chosen_benches(options); !benches.ok()) return benches.status();
  if (!(options.alpha > 0 && options.alpha < 1)) return Status::Usage("--alpha must be between 0 and 1");
  if (options.pool.concurrency < 1) return Status::Usage("--concurrency must be at least 1");
  if (Status s = check_replicas(options); !s.ok()) return s;
  if (options.samples && *options.samples < 1) return Status::Usage("--samples must be at least 1");
  if (options.repeats < 1 || options.repeats > kMaxRepeats)
    return Status::Usage(fmt::format("--repeats must be between 1 and {}", kMaxRepeats));
  if (options.repeats > 1 && options.kind != "baseline")
    return Status::Usage("--repeats is for collect-baseline: a run is graded against the baseline's repeats");
  if (options.overrides.max_tokens && *options.overrides.max_tokens < 1)
    return Status::Usage("--max-tokens must be at least 1");
  if (options.judge && options.judge_concurrency < 1) return Status::Usage("--judge-concurrency must be at least 1");
  if (Status s = check_judge(options); !s.ok()) return s;
  if (options.pool.retry.max_attempts < 1) return Status::Usage("--retries must be at least 1");
  if (!(options.pool.request_timeout_s > 0)) return Status::Usage("--timeout must be more than 0 seconds");
  return check_shard_flags(options);
}

namespace {

// Keeps the shard's items, in the whole run's order, and where each stood in it.
void keep_shard(PlannedBench& p, const Shard& shard) {
  std::vector<Item> kept;
  p.unsharded_items = static_cast<std::int64_t>(p.items.size());
  for (std::size_t i = 0; i < p.items.size(); ++i)
    if (in_shard(shard, p.bench->name(), p.items[i].id)) {
      kept.push_back(std::move(p.items[i]));
      p.positions.push_back(static_cast<std::int64_t>(i));
    }
  p.items = std::move(kept);
}

Result<PlannedBench> plan_bench(const Bench& bench, const RunOptions& options) {
  PlannedBench p;
  p.bench = &bench;
  auto items = bench.items({options.tier, options.seed, options.data});
  if (!items.ok()) return items.status();
  p.items = std::move(items).value();
  if (p.items.empty()) return Status::BadInput(fmt::format("{}: the bench has no items", bench.name()));
  if (options.limit > 0 && p.items.size() > options.limit) p.items.resize(options.limit);
  const BenchDefaults defaults = bench.defaults();
  SamplingParams sampling = sampling_preset(options.think.value_or(defaults.think));
  sampling.max_tokens = defaults.max_tokens;
  p.sampling = apply_overrides(sampling, options.overrides);
  const int samples = options.samples.value_or(defaults.samples);
  // A bench that cannot grade here (no sandbox) stops the run now.
  auto setup = bench.prepare_scoring({options.allow_unsandboxed, options.tool_protocol,
                                      options.judge ? options.judge->model : "",
                                      options.data.cache_dir.empty() ? default_cache_dir() : options.data.cache_dir});
  if (!setup.ok()) return setup.status();
  const SamplingParams& s = p.sampling;
  p.settings = {s.think,      samples,         s.temperature,          s.top_p,
                s.top_k,      s.min_p,         s.presence_penalty,     s.max_tokens,
                bench.version(), setup->code_execution, setup->tool_protocol, setup->judge};
  // Over every item, before the shard is taken: each shard records the whole
  // run's hash, so shards and the whole run compare alike.
  p.dataset_sha256 = items_sha256(p.items);
  p.traits = setup->traits;
  if (options.shard) keep_shard(p, *options.shard);
  return p;
}

}  // namespace

Status check_output_paths(const RunOptions& options) {
  if (options.out.empty()) return Status::Ok();
  if (file_exists(options.out) && !options.force)
    return Status::Usage(fmt::format("{} exists; pass --force to replace it or --out to write elsewhere", options.out));
  if (file_exists(transcripts_path(options.out)) && !options.force)
    return Status::Usage(fmt::format("{} exists; pass --force to replace it or --out to write elsewhere",
                                     transcripts_path(options.out)));
  const std::string checkpoint = checkpoint_path(options.out);
  if (file_exists(checkpoint) && !options.resume)
    return Status::Usage(
        fmt::format("{} holds an unfinished run: pass --resume to continue it, or delete it", checkpoint));
  return Status::Ok();
}

Result<RunPlan> plan_run(const RunOptions& options) {
  if (Status s = check_run_flags(options); !s.ok()) return s;
  if (options.stop_early && !options.baseline)
    return Status::Usage("--stop-early needs --baseline: it grades while running");
  auto benches = chosen_benches(options);
  if (!benches.ok()) return benches.status();
  if (Status s = check_output_paths(options); !s.ok()) return s;
  RunPlan plan;
  if (options.benches.empty() && !options.judge)
    for (const Bench* bench : default_benches(options.tier))
      if (bench->needs_judge())
        plan.warnings.push_back(fmt::format("note: {} left out: it needs a judge (--judge-endpoint URL --judge-model NAME)",
                                            bench->name()));
  // A bad --corpus file fails now, not after hours of requests.
  if (options.tripwire && options.kind == "baseline" && !options.corpus_file.empty()) {
    auto loaded = load_corpus(options.corpus_file);
    if (!loaded.ok()) return loaded.status();
    plan.corpus_from_file = std::move(loaded).value();
  }
  for (const Bench* bench : *benches) {
    auto planned = plan_bench(*bench, options);
    if (!planned.ok()) return planned.status();
    if (planned->settings.code_execution == "unsandboxed")
      plan.warnings.push_back(fmt::format("warning: {}: bubblewrap is unusable here; model-written code will run "
                                          "UNSANDBOXED (--allow-unsandboxed)",
                                          bench->name()));
    planned->repeats = options.repeats;
    plan.benches.push_back(std::move(planned).value());
  }
  return plan;
}

}  // namespace qdrift
