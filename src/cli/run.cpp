// `qdrift run` and `qdrift collect-baseline`: run benches against an endpoint,
// write a run file, and grade it against --baseline when given.
#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/shard_flag.h"
#include "exam/exam_spec.h"
#include "util/files.h"
#include "engine/run_plan.h"
#include "record/shard.h"
#include "util/clock.h"
#include "util/json_text.h"

namespace qdrift::cli {

namespace {

const char* env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// The judge of a judged bench (exam): a second endpoint, blind to what it grades.
void add_judge_flags(CLI::App* cmd, RunCommandOptions& o) {
  o.judge.api_key = env_or_empty("QDRIFT_JUDGE_API_KEY");
  cmd->add_option("--judge-endpoint", o.judge.base_url,
                  "the judge's base URL including /v1, for the judged exam (exam); never the model under test");
  cmd->add_option("--judge-model", o.judge.model, "the judge model's name as its server lists it");
  // No default shown: the key must never be echoed anywhere.
  cmd->add_option("--judge-api-key", o.judge.api_key,
                  "the judge's Bearer token (default: $QDRIFT_JUDGE_API_KEY); never stored or logged");
  cmd->add_option("--judge-server", o.judge.server,
                  "the judge's server kind: auto, vllm, sglang, tgi, llamacpp, openai (the judge is asked only chat "
                  "completions, which every kind serves alike)")
      ->check(CLI::IsMember({"auto", "vllm", "sglang", "tgi", "llamacpp", "openai"}))
      ->capture_default_str();
  cmd->add_option("--judge-concurrency", o.run.judge_concurrency, "judge requests kept in flight")->capture_default_str();
  cmd->add_flag("--judge-self", o.run.judge_self, "allow the model under test to be its own judge (not blind to itself)");
  cmd->add_option("--exam", o.exam_file,
                  "your own exam spec (JSON, docs/exam.md), run instead of the built-in exam; alone, it is the only "
                  "bench run");
}

void add_run_flags(CLI::App* cmd, RunCommandOptions& o) {
  RunOptions& r = o.run;
  r.data.token = default_hf_token();
  r.data.base_url = default_rows_base_url();
  r.data.hub_url = default_hub_url();
  add_endpoint_flags(cmd, r.endpoint, /*model_required=*/false, &o.endpoints);
  cmd->add_option("--tier", o.tier, "smoke, standard or full")->check(CLI::IsMember({"smoke", "standard", "full"}))->capture_default_str();
  cmd->add_option("--bench", o.bench_list, "comma-separated benches (default: the tier's set and every custom bench)");
  add_bench_file_option(cmd, o.bench_files);
  cmd->add_flag("--think", o.think, "reasoning on for every bench (default: each bench's own mode)");
  cmd->add_flag("--no-think", o.no_think, "reasoning off for every bench");
  cmd->add_option("--seed", r.seed, "run seed: items, shuffles and per-request seeds derive from it")->capture_default_str();
  cmd->add_option("--samples", r.samples, "samples per item, K (default: the bench's own)");
  cmd->add_option("-c,--concurrency", r.pool.concurrency, "requests kept in flight")->capture_default_str();
  cmd->add_option("--max-tokens", r.overrides.max_tokens, "generation cap per request (default: the bench's own)");
  cmd->add_option("--temperature", r.overrides.temperature, "override the preset temperature");
  cmd->add_option("--top-p", r.overrides.top_p, "override the preset top_p");
  cmd->add_option("--top-k", r.overrides.top_k, "override the preset top_k");
  cmd->add_option("--min-p", r.overrides.min_p, "override the preset min_p");
  cmd->add_option("--presence-penalty", r.overrides.presence_penalty, "override the preset presence_penalty");
  cmd->add_option("--out", r.out, "where to write the run file");
  cmd->add_option("--order", o.order,
                  "the order samples are asked in: longest-first (think mode and high caps first, an item's samples "
                  "together: the GPU's batch never idles on a long sample started last) or run (the file's order); "
                  "results do not depend on it")
      ->check(CLI::IsMember({"longest-first", "run"}))
      ->capture_default_str();
  cmd->add_flag("--resume", r.resume, "continue from the checkpoint beside --out");
  cmd->add_flag("--force", r.force, "replace --out if it exists");
  cmd->add_option("--data-dir", r.data.data_dir,
                  "read datasets from their published files in this directory (gsm8k/test.jsonl, ...) before the "
                  "cache ($XDG_CACHE_HOME/qdrift) and the Hugging Face viewer");
  cmd->add_option("--limit", r.limit, "only the first N items of each bench (ad hoc: never comparable with a full run)");
  cmd->add_option("--shard", o.shard,
                  "run only shard I of N (0-based, e.g. 0/4) of every bench's items, each asked exactly as the whole "
                  "run asks it, so `qdrift merge` of all N shard files equals the whole run. An item's shard is a "
                  "stable hash of its bench and id modulo N. `auto` reads the index from a Kubernetes Indexed Job "
                  "(JOB_COMPLETION_INDEX, with QDRIFT_SHARD_COUNT=N) or a Slurm job array (SLURM_ARRAY_TASK_ID, "
                  "_MIN, _COUNT). Only shard 0 runs the tripwire; see docs/scaling.md")
      ->type_name("I/N|auto");
  cmd->add_option("--server", r.endpoint.server, "server kind: auto, vllm, sglang, tgi, llamacpp, openai")
      ->check(CLI::IsMember({"auto", "vllm", "sglang", "tgi", "llamacpp", "openai"}))
      ->capture_default_str();
  cmd->add_option("--format", o.format, "report format: text, md, json, junit, html")->capture_default_str();
  cmd->add_option("--alpha", o.alpha, "family-wise false-alarm rate (Holm across all tests)")->capture_default_str();
  add_grade_limit_flags(cmd, o.limits);
  cmd->add_option("--timeout", r.pool.request_timeout_s, "seconds allowed for one request")->capture_default_str();
  cmd->add_option("--retries", r.pool.retry.max_attempts, "tries per request, first included")->capture_default_str();
  cmd->add_flag("-q,--quiet", o.quiet, "no progress line");
  cmd->add_flag("-v,--verbose", r.verbose,
                "print every request (preflight, tripwire, chat, dataset viewer) and its answer on stderr; "
                "the API key and HF_TOKEN are redacted");
  cmd->add_flag("--allow-unsandboxed", r.allow_unsandboxed,
                "where bubblewrap is missing or cannot create namespaces, run model-written code (humaneval) "
                "with only rlimits and a timeout instead of refusing; recorded in the run file and reports");
  cmd->add_option("--tool-protocol", r.tool_protocol,
                  "how the agent bench (grounded) runs commands: text (a ```bash block, any server; the default) "
                  "or native (the API's tools; vLLM needs --enable-auto-tool-choice --tool-call-parser hermes)")
      ->check(CLI::IsMember({"text", "native"}));
  add_judge_flags(cmd, o);
  cmd->add_flag("--no-tripwire", o.no_tripwire, "skip the logprob tripwire");
  cmd->add_option("--corpus", r.corpus_file,
                  "tripwire texts for a baseline: one per line, or JSONL with a 'text' field "
                  "(default: 64 of the run's own prompts with their answers)");
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) parts.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return parts;
}

// Model names such as "Qwen/Qwen3-8B" become nested folders; anything odd becomes '_'.
std::string path_safe(const std::string& model) {
  std::string out;
  for (char c : model) out.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == '/' ? c : '_');
  while (out.find("..") != std::string::npos) out.replace(out.find(".."), 2, "__");
  while (!out.empty() && out.front() == '/') out.erase(0, 1);
  return out.empty() ? "model" : out;
}

// "-shard1of4" in a shard's default file name, so shards writing to one
// directory never collide; "" for a whole run.
std::string shard_suffix(const RunOptions& run) {
  return run.shard ? fmt::format("-shard{}of{}", run.shard->index, run.shard->count) : "";
}

// --exam FILE: the name of the bench it defines ("" without --exam), checked
// to be an exam spec before it is loaded with the other spec files.
Result<std::string> exam_file_bench(const std::string& path) {
  if (path.empty()) return std::string();
  auto text = read_file(path);
  if (!text.ok()) return text.status();
  if (!exam::is_exam_spec(*text))
    return Status::BadInput(path + ": not an exam spec (its first key must be \"exam\"; see docs/exam.md)");
  auto spec = exam::parse_exam(*text, path);
  if (!spec.ok()) return spec.status();
  return spec->name;
}

// The --exam bench takes the built-in exam's place in --bench, or is the whole
// run when --bench is not given.
void use_exam(RunCommandOptions& o, const std::string& name) {
  if (o.run.benches.empty()) {
    o.run.benches = {name};
    return;
  }
  std::replace(o.run.benches.begin(), o.run.benches.end(), std::string("exam"), name);
  if (std::find(o.run.benches.begin(), o.run.benches.end(), name) == o.run.benches.end()) o.run.benches.push_back(name);
}

// --endpoint URL[@C], once or once per replica: the first is the endpoint; a
// lone URL@C is one server with its own -c.
Status resolve_endpoints(RunCommandOptions& o) {
  std::vector<Replica> replicas;
  for (const std::string& spec : o.endpoints) {
    auto replica = parse_replica(spec);
    if (!replica.ok()) return replica.status();
    replicas.push_back(*replica);
  }
  if (replicas.empty()) return Status::Ok();  // $OPENAI_BASE_URL, or none (checked with the other flags)
  o.run.endpoint.base_url = replicas.front().base_url;
  if (replicas.size() == 1) {
    if (replicas.front().concurrency > 0) o.run.pool.concurrency = replicas.front().concurrency;
    return Status::Ok();
  }
  o.run.replicas = std::move(replicas);
  return Status::Ok();
}

Status resolve(RunCommandOptions& o) {
  QDRIFT_TRY(resolve_endpoints(o));
  if (o.think && o.no_think) return Status::Usage("--think and --no-think together make no sense: pick one");
  auto shard = resolve_shard_flag(o.shard, shard_environment());
  if (!shard.ok()) return shard.status();
  o.run.shard = *shard;
  if (o.think) o.run.think = true;
  if (o.no_think) o.run.think = false;
  o.run.tier = *parse_tier(o.tier);
  o.run.benches = split_commas(o.bench_list);
  o.run.progress = !o.quiet;
  o.run.order = o.order == "run" ? TaskOrder::kRunOrder : TaskOrder::kLongestFirst;
  o.run.handle_signals = true;
  o.run.data.verbose = o.run.verbose;
  o.run.tripwire = !o.no_tripwire;
  if (!o.judge.base_url.empty() || !o.judge.model.empty()) {
    o.judge.base_url = Endpoint::trim_base_url(o.judge.base_url);
    o.run.judge = o.judge;
  }
  // Before anything else: a bad spec is bad input, reported before any request.
  auto exam_name = exam_file_bench(o.exam_file);
  if (!exam_name.ok()) return exam_name.status();
  if (!o.exam_file.empty()) o.bench_files.push_back(o.exam_file);
  QDRIFT_TRY(load_custom_benches(o.bench_files));
  if (!exam_name->empty()) use_exam(o, *exam_name);
  return Status::Ok();
}

Result<Outcome> report_finished(const RunCommandOptions& o, const std::optional<RunFile>& baseline, const RunFile& finished,
                                ReportFormat format);

// `default_out` names the file from the model the server serves.
Result<Outcome> execute_and_report(RunCommandOptions& o, std::function<std::string(const std::string&)> default_out) {
  // Everything checkable here is checked before any request, in the order a user
  // reads the command; execute_run's plan stage checks the rest.
  o.run.stop_early = o.stop_early;
  o.run.alpha = o.alpha;
  if (Status s = check_run_flags(o.run); !s.ok()) return s;
  // Load the baseline before spending GPU time: a bad file should fail in a second.
  std::optional<RunFile> baseline;
  if (!o.baseline.empty()) {
    auto loaded = load_run_file(o.baseline);
    if (!loaded.ok()) return loaded.status();
    baseline = std::move(loaded).value();
  }
  if (Status s = check_grading_flags(o.format, o.alpha, o.limits); !s.ok()) return s;
  ReportFormat format;
  parse_report_format(o.format, format);
  // --resume of a run that already finished: nothing to continue, so its report.
  if (o.run.resume && !o.run.out.empty() && file_exists(o.run.out) && !file_exists(checkpoint_path(o.run.out))) {
    auto finished = load_run_file(o.run.out);
    if (!finished.ok()) return finished.status();
    std::fprintf(stderr, "%s is complete (no checkpoint to resume): its report\n", o.run.out.c_str());
    return report_finished(o, baseline, *finished, format);
  }
  o.run.baseline = baseline ? &*baseline : nullptr;
  o.run.default_out = std::move(default_out);
  auto run = execute_run(o.run);
  if (!run.ok()) return run.status();
  if (o.run.out.empty()) o.run.out = o.run.default_out(run->model);
  std::fprintf(stderr, "wrote %s\n", o.run.out.c_str());
  return report_finished(o, baseline, *run, format);
}

// A finished run's report: graded against --baseline when given, else its summary.
Result<Outcome> report_finished(const RunCommandOptions& o, const std::optional<RunFile>& baseline, const RunFile& finished,
                                ReportFormat format) {
  // A shard is part of the run: graded once merged (a baseline of the same shard aside).
  const bool shard_alone = finished.config.shard && (!baseline || baseline->config.shard != finished.config.shard);
  if (baseline && !shard_alone)
    return grade_and_print(*baseline, o.baseline, finished, o.run.out, o.alpha, o.format, o.limits);
  if (baseline)
    std::fprintf(stderr, "%s is shard %s: not graded alone; join all shards with `qdrift merge`, then `qdrift diff %s "
                 "MERGED`\n", o.run.out.c_str(), shard_name(*finished.config.shard).c_str(), o.baseline.c_str());
  if (format == ReportFormat::kJson) {
    nlohmann::ordered_json summary = {{"file", o.run.out}, {"kind", finished.kind}, {"model", finished.model}, {"benches", nlohmann::ordered_json::array()}};
    for (const BenchRecord& bench : finished.benches) {
      BenchSummary s = summarize(bench);
      summary["benches"].push_back({{"bench", bench.name}, {"n", s.items}, {"accuracy", s.accuracy}, {"trunc_rate", s.trunc_rate}, {"failed_samples", s.failed_samples}});
    }
    std::fputs((json_text(summary, 2) + "\n").c_str(), stdout);
  } else {
    std::fputs(render_run_summary(finished).c_str(), stdout);
  }
  return Outcome::kOk;
}

}  // namespace

void add_endpoint_flags(CLI::App* cmd, Endpoint& endpoint, bool model_required, std::vector<std::string>* replicas) {
  endpoint.base_url = env_or_empty("OPENAI_BASE_URL");
  endpoint.api_key = env_or_empty("OPENAI_API_KEY");
  if (replicas) {
    cmd->add_option("--endpoint", *replicas,
                    "base URL including /v1 (default: $OPENAI_BASE_URL). Repeat it for replicas of the same model: "
                    "requests go to the least busy one, a replica that dies is dropped and its requests re-sent; "
                    "URL@C gives that replica C requests in flight instead of -c")
        ->allow_extra_args(false);
  } else {
    cmd->add_option("--endpoint", endpoint.base_url, "base URL including /v1 (default: $OPENAI_BASE_URL)");
  }
  CLI::Option* model = cmd->add_option(
      "--model", endpoint.model,
      model_required ? "model name as the server lists it" : "model name as the server lists it (default: the only one it serves)");
  if (model_required) model->required();
  // No default shown: the key must never be echoed anywhere.
  cmd->add_option("--api-key", endpoint.api_key, "sent as a Bearer token (default: $OPENAI_API_KEY); never stored or logged");
}

void setup_run(CLI::App* cmd, RunCommandOptions& o) {
  add_run_flags(cmd, o);
  cmd->add_option("--baseline", o.baseline, "baseline run file to grade against");
  cmd->add_flag("--fail-fast", o.run.fail_fast, "skip the benches when the tripwire trips");
  cmd->add_flag("--stop-early", o.stop_early,
                "end a bench as soon as its degradation is conclusive (anytime-valid; needs --baseline)");
  cmd->footer(
      "Writes runs/<model>/<tier>-s<seed>-<UTC time>.json unless --out is given, appending a\n"
      "checkpoint beside it as samples finish (continue a killed run with --resume).\n\n"
      "Exit codes: 0 no degradation detected (or no --baseline), 1 degraded, 2 not comparable,\n"
      "3 error (endpoint unusable, bad input, bad flags).\n\n"
      "Example:\n"
      "  qdrift run --endpoint http://127.0.0.1:8000/v1 --model my-int4 \\\n"
      "      --baseline baselines/my-model/standard-s0.json");
}

void setup_collect_baseline(CLI::App* cmd, RunCommandOptions& o) {
  add_run_flags(cmd, o);
  cmd->add_option("--repeats", o.run.repeats,
                  "draw each item's samples R times (R× the cost, once): verdicts then test against the baseline's "
                  "per-item mean, with a margin for its luck; 4 is recommended")
      ->capture_default_str();
  cmd->footer(
      "Writes baselines/<model>/<tier>-s<seed>.json unless --out is given; commit it, then grade\n"
      "every variant against it with `qdrift run --baseline` or `qdrift diff`.\n\n"
      "Example:\n"
      "  qdrift collect-baseline --endpoint http://127.0.0.1:8000/v1 --model Qwen/Qwen3-8B --repeats 4");
}

Result<Outcome> run_run(RunCommandOptions o) {
  if (Status s = resolve(o); !s.ok()) return s;
  o.run.kind = "run";
  const std::string started = utc_now("%Y%m%dT%H%M%SZ");
  return execute_and_report(o, [&o, started](const std::string& model) {
    return fmt::format("runs/{}/{}-s{}-{}{}.json", path_safe(model), o.tier, o.run.seed, started, shard_suffix(o.run));
  });
}

Result<Outcome> run_collect_baseline(RunCommandOptions o) {
  if (Status s = resolve(o); !s.ok()) return s;
  if (!o.baseline.empty()) return Status::Usage("collect-baseline takes no --baseline");
  o.run.kind = "baseline";
  return execute_and_report(o, [&o](const std::string& model) {
    return fmt::format("baselines/{}/{}-s{}{}.json", path_safe(model), o.tier, o.run.seed, shard_suffix(o.run));
  });
}

}  // namespace qdrift::cli
