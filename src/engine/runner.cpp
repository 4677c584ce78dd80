// execute_run: plan the requests, preflight the endpoint, keep the pool full,
// score and checkpoint each sample, then write the run file atomically.
#include "engine/runner.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/checkpoint.h"
#include "engine/interrupt.h"
#include "engine/scoring_queue.h"
#include "engine/server_kind.h"
#include "engine/tripwire_stage.h"
#include "qdrift/stats.h"
#include "util/clock.h"
#include "util/files.h"
#include "util/json_text.h"

namespace qdrift {

using nlohmann::json;
using nlohmann::ordered_json;

std::string checkpoint_path(const std::string& out) { return out + ".checkpoint.jsonl"; }

namespace {

struct PlannedBench {
  const Bench* bench = nullptr;
  std::vector<Item> items;
  SamplingParams sampling;
  BenchSettings settings;
  std::string dataset_sha256;
  // results[item][sample], filled from the checkpoint and as requests finish
  std::vector<std::vector<std::optional<SampleRecord>>> results;
  // Early stop: the baseline's outcome per item (when comparable), and the
  // running flip tally over the prefix of items graded so far, in item order.
  std::vector<std::optional<bool>> baseline_outcome;
  std::size_t graded = 0;
  std::int64_t losses = 0, wins = 0;
  std::optional<EarlyStop> stopped;
  // Prompt and first answer per item, the default tripwire corpus of a baseline.
  std::vector<std::string> first_answer;
};

struct Work {
  std::size_t bench = 0;
  std::size_t item = 0;
  int sample = 0;
};

std::string trim_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::vector<std::string> auth_headers(const std::string& api_key) { return Endpoint{"", "", api_key}.auth_headers(); }

Result<std::vector<PlannedBench>> plan(const RunOptions& options) {
  std::vector<const Bench*> benches;
  if (options.benches.empty()) {
    benches = default_benches(options.tier);
  } else {
    for (const std::string& name : options.benches) {
      const Bench* bench = find_bench(name);
      if (!bench) {
        std::string known;
        for (const Bench* b : all_benches()) known += (known.empty() ? "" : ", ") + b->name();
        return Status::Usage(fmt::format("unknown bench '{}' (known: {})", name, known));
      }
      benches.push_back(bench);
    }
  }
  std::vector<PlannedBench> planned;
  for (const Bench* bench : benches) {
    PlannedBench p;
    p.bench = bench;
    auto items = bench->items({options.tier, options.seed, options.data});
    if (!items.ok()) return items.status();
    p.items = std::move(items).value();
    if (p.items.empty()) return Status::BadInput(fmt::format("{}: the bench has no items", bench->name()));
    if (options.limit > 0 && p.items.size() > options.limit) p.items.resize(options.limit);
    const BenchDefaults defaults = bench->defaults();
    SamplingParams sampling = sampling_preset(options.think.value_or(defaults.think));
    sampling.max_tokens = defaults.max_tokens;
    p.sampling = apply_overrides(sampling, options.overrides);
    const int samples = options.samples.value_or(defaults.samples);
    if (samples < 1) return Status::Usage("--samples must be at least 1");
    if (p.sampling.max_tokens < 1) return Status::Usage("--max-tokens must be at least 1");
    // Before any request: a bench that cannot grade here (no sandbox) stops the run now.
    auto code_execution = bench->prepare_scoring({options.allow_unsandboxed});
    if (!code_execution.ok()) return code_execution.status();
    p.settings = {p.sampling.think,       samples,
                  p.sampling.temperature, p.sampling.top_p,
                  p.sampling.top_k,       p.sampling.min_p,
                  p.sampling.presence_penalty, p.sampling.max_tokens,
                  bench->version(),       *code_execution};
    p.dataset_sha256 = items_sha256(p.items);
    p.results.assign(p.items.size(), std::vector<std::optional<SampleRecord>>(static_cast<std::size_t>(samples)));
    p.first_answer.assign(p.items.size(), "");
    planned.push_back(std::move(p));
  }
  return planned;
}

// Everything a resumed run must share with the run it continues.
std::string checkpoint_header(const RunOptions& options, const std::string& model,
                              const std::vector<PlannedBench>& planned) {
  ordered_json benches = ordered_json::object();
  for (const PlannedBench& p : planned)
    benches[p.bench->name()] = {{"settings", settings_to_json(p.settings)}, {"dataset_sha256", p.dataset_sha256}};
  ordered_json header = {{"checkpoint", 1},
                         {"kind", options.kind},
                         {"model", model},
                         {"endpoint", redact_url(options.endpoint)},
                         {"tier", tier_name(options.tier)},
                         {"seed", options.seed},
                         {"benches", std::move(benches)}};
  return json_text(header);
}

// Names the fields where a checkpoint header differs from this run's.
std::string header_differences(const std::string& stored, const std::string& planned) {
  json a = json::parse(stored, nullptr, false), b = json::parse(planned, nullptr, false);
  std::vector<std::string> fields;
  for (auto& [key, value] : b.items()) {
    if (key == "benches" || key == "endpoint") continue;  // the endpoint may move between restarts
    if (!a.contains(key) || a[key] != value) fields.push_back(key);
  }
  if (a.contains("benches") && b.contains("benches")) {
    for (auto& [bench, value] : b["benches"].items()) {
      if (!a["benches"].contains(bench)) {
        fields.push_back(bench);
        continue;
      }
      for (auto& [key, setting] : value["settings"].items())
        if (a["benches"][bench]["settings"].value(key, json()) != setting) fields.push_back(bench + "." + key);
      if (a["benches"][bench]["dataset_sha256"] != value["dataset_sha256"]) fields.push_back(bench + ".dataset_sha256");
    }
  }
  std::string joined;
  for (const std::string& f : fields) joined += (joined.empty() ? "" : ", ") + f;
  return joined;
}

// GET /models: reachable, authorised, and serving the model asked for.
Result<std::string> preflight(const RunOptions& options, const PoolOptions& pool, const std::string& base) {
  HttpRequest request{"GET", base + "/models", "", auth_headers(options.api_key), 0};
  PoolOptions probe = pool;
  probe.retry.max_attempts = std::min(probe.retry.max_attempts, 3);
  probe.request_timeout_s = std::min(probe.request_timeout_s, 30.0);
  HttpResponse response = http_fetch(request, probe);
  const std::string shown = redact_url(base);
  if (response.status == 0)
    return Status::Endpoint(fmt::format("cannot reach {}: {}", shown, response.transport_error));
  if (response.status == 401 || response.status == 403)
    return Status::Endpoint(fmt::format("{}/models: HTTP {}: {} (check --api-key or $OPENAI_API_KEY)", shown,
                                        response.status, server_error_message(response.body)));
  if (!response.ok())
    return Status::Endpoint(fmt::format("{}/models: HTTP {}: {} (is --endpoint the base URL ending in /v1?)",
                                        shown, response.status, server_error_message(response.body)));
  json doc = json::parse(response.body, nullptr, false);
  std::vector<std::string> served;
  if (!doc.is_discarded() && doc.is_object() && doc.contains("data") && doc["data"].is_array())
    for (const json& m : doc["data"])
      if (m.is_object() && m.contains("id") && m["id"].is_string()) served.push_back(m["id"]);
  std::string list;
  for (const std::string& s : served) list += (list.empty() ? "" : ", ") + s;
  if (options.model.empty()) {
    if (served.size() == 1) return served[0];
    return Status::Usage(fmt::format("--model is required: {} serves {}", shown, list.empty() ? "no listed models" : list));
  }
  if (!served.empty() && std::find(served.begin(), served.end(), options.model) == served.end())
    return Status::Endpoint(fmt::format("model '{}' is not served at {} (it serves: {})", options.model, shown, list));
  return options.model;
}

std::string detect_server(const RunOptions& options, const PoolOptions& pool, const std::string& base) {
  if (options.server != "auto") return options.server;
  return detect_server_kind(Endpoint{base, options.model, options.api_key}, pool);
}

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

// A progress line on stderr, redrawn at most ten times a second, only on a terminal.
class Progress {
 public:
  Progress(bool enabled, std::size_t total, std::size_t already)
      : enabled_(enabled && ::isatty(STDERR_FILENO)), total_(total), done_(already), start_done_(already) {}
  void tick(const std::string& bench) {
    ++done_;
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (done_ != total_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double rate = seconds > 0 ? static_cast<double>(done_ - start_done_) / seconds : 0;
    const double eta = rate > 0 ? static_cast<double>(total_ - done_) / rate : 0;
    std::fprintf(stderr, "\r\033[K%s  %zu/%zu requests  %.1f req/s  ETA %.0fs", bench.c_str(), done_, total_, rate, eta);
    std::fflush(stderr);
  }
  void finish() {
    if (enabled_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  bool enabled_;
  std::size_t total_, done_, start_done_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

// Fills baseline_outcome for benches the baseline can grade (same settings and items).
void attach_baseline(std::vector<PlannedBench>& planned, const RunFile& baseline) {
  for (PlannedBench& p : planned) {
    const BenchRecord* match = nullptr;
    for (const BenchRecord& b : baseline.benches)
      if (b.name == p.bench->name()) match = &b;
    if (!match || match->dataset_sha256 != p.dataset_sha256 ||
        settings_to_json(match->settings) != settings_to_json(p.settings))
      continue;  // not comparable: the report will say so; no early stop here
    std::map<std::string, bool> outcome_by_id;
    for (const ItemRecord& item : match->items) outcome_by_id[item.id] = item_outcome(item);
    p.baseline_outcome.assign(p.items.size(), std::nullopt);
    for (std::size_t i = 0; i < p.items.size(); ++i)
      if (auto it = outcome_by_id.find(p.items[i].id); it != outcome_by_id.end()) p.baseline_outcome[i] = it->second;
  }
}

// Grades the items finished in a row from the front (item order, not completion
// order, so the stopping rule cannot depend on which answers come back fast) and
// stops the bench once the e-value crosses `threshold`.
void advance_early_stop(PlannedBench& p, double threshold) {
  if (p.baseline_outcome.empty() || p.stopped) return;
  while (p.graded < p.items.size()) {
    const auto& samples = p.results[p.graded];
    if (!std::all_of(samples.begin(), samples.end(), [](const auto& s) { return s.has_value(); })) return;
    if (const auto& base = p.baseline_outcome[p.graded]) {
      ItemRecord item{p.items[p.graded].id, "", {}, 1, ""};
      for (const auto& s : samples) item.samples.push_back(*s);
      const bool candidate = item_outcome(item);
      p.losses += *base && !candidate;
      p.wins += !*base && candidate;
    }
    ++p.graded;
    const double e = stats::flip_e_value(p.losses, p.wins);
    if (e >= threshold) {
      p.stopped = EarlyStop{static_cast<std::int64_t>(p.graded), 0, e, threshold};
      return;
    }
  }
}

std::size_t samples_done(const std::vector<PlannedBench>& planned) {
  std::size_t done = 0;
  for (const PlannedBench& p : planned)
    for (const auto& item : p.results)
      for (const auto& sample : item) done += sample.has_value();
  return done;
}

RunFile assemble(const RunOptions& options, const std::string& model, const std::string& server,
                 std::vector<PlannedBench>& planned) {
  RunFile run;
  run.kind = options.kind;
  run.qdrift_version = QDRIFT_VERSION;
  run.model = model;
  run.endpoint = redact_url(options.endpoint);
  run.server = server;
  run.created_at = utc_now("%Y-%m-%dT%H:%M:%SZ");
  run.config = {tier_name(options.tier), options.seed, options.pool.concurrency, options.stop_early,
                static_cast<std::int64_t>(options.limit)};
  for (PlannedBench& p : planned) {
    BenchRecord bench{p.bench->name(), p.settings, p.dataset_sha256, {}, std::nullopt};
    const std::size_t kept = p.stopped ? p.graded : p.items.size();
    if (p.stopped) {
      // Saved = planned requests never sent; items past the stop point are dropped.
      std::int64_t planned_requests = 0, made = 0;
      for (const auto& samples : p.results) {
        planned_requests += static_cast<std::int64_t>(samples.size());
        for (const auto& s : samples) made += s.has_value();
      }
      bench.stopped_early = *p.stopped;
      bench.stopped_early->requests_saved = planned_requests - made;
    }
    for (std::size_t i = 0; i < kept; ++i) {
      ItemRecord item{p.items[i].id, p.items[i].stratum, {}, p.items[i].weight, p.items[i].detail};
      for (auto& sample : p.results[i]) item.samples.push_back(std::move(*sample));
      bench.items.push_back(std::move(item));
    }
    run.benches.push_back(std::move(bench));
  }
  return run;
}

}  // namespace

Result<RunFile> execute_run(const RunOptions& options) {
  if (options.endpoint.empty())
    return Status::Usage("no endpoint: pass --endpoint http://HOST:PORT/v1 or set $OPENAI_BASE_URL");
  if (options.out.empty()) return Status::Internal("execute_run needs an output path");
  if (options.pool.concurrency < 1) return Status::Usage("--concurrency must be at least 1");
  const std::string checkpoint = checkpoint_path(options.out);
  if (file_exists(options.out) && !options.force)
    return Status::Usage(fmt::format("{} exists; pass --force to replace it or --out to write elsewhere", options.out));
  if (file_exists(checkpoint) && !options.resume)
    return Status::Usage(fmt::format("{} holds an unfinished run: pass --resume to continue it, or delete it", checkpoint));

  auto planned_or = plan(options);
  if (!planned_or.ok()) return planned_or.status();
  std::vector<PlannedBench> planned = std::move(planned_or).value();
  // Said even with -q: the operator chose to let model-written code touch this host.
  for (const PlannedBench& p : planned)
    if (p.settings.code_execution == "unsandboxed")
      std::fprintf(stderr,
                   "warning: %s: bubblewrap is unusable here; model-written code will run UNSANDBOXED "
                   "(--allow-unsandboxed)\n",
                   p.bench->name().c_str());
  // A bad --corpus file fails now, not after hours of requests.
  std::vector<std::string> corpus_from_file;
  if (options.tripwire && options.kind == "baseline" && !options.corpus_file.empty()) {
    auto loaded = load_corpus(options.corpus_file);
    if (!loaded.ok()) return loaded.status();
    corpus_from_file = std::move(loaded).value();
  }
  // One stop source for every stage's requests, and the signal watch over all of
  // them, set up before any thread starts so every thread inherits the blocked signals.
  StopSource stop_source;
  std::optional<InterruptWatch> watch;
  if (options.handle_signals)
    watch.emplace([&stop_source] { stop_source.stop(); }, [&stop_source] { stop_source.abort(); },
                  options.interrupt_grace_s);
  const auto signalled = [&watch] { return watch && watch->interrupted(); };
  PoolOptions pool_options = options.pool;
  pool_options.stop_source = &stop_source;
  pool_options.verbose = options.verbose;

  const std::string base = trim_slash(options.endpoint);
  auto model_or = preflight(options, pool_options, base);
  if (signalled()) return interrupted(Stage::kPreflight, 0, 0, checkpoint);
  if (!model_or.ok()) return model_or.status();
  const std::string model = *model_or;
  const std::string server = detect_server(options, pool_options, base);
  if (signalled()) return interrupted(Stage::kPreflight, 0, 0, checkpoint);
  const std::string header = checkpoint_header(options, model, planned);

  // Resume: take every sample the checkpoint already holds.
  std::size_t already = 0;
  bool append = false;
  std::optional<std::size_t> keep_bytes;
  if (options.resume && file_exists(checkpoint)) {
    auto contents = read_checkpoint(checkpoint);
    if (!contents.ok()) return contents.status();
    // No header: killed before the header was whole, so nothing was kept; start the file afresh.
    if (!contents->header.empty()) {
      std::string differences = header_differences(contents->header, header);
      if (!differences.empty())
        return Status::Usage(
            fmt::format("{}: cannot resume, these settings differ from the checkpoint: {}", checkpoint, differences));
      for (PlannedBench& p : planned)
        for (std::size_t i = 0; i < p.items.size(); ++i)
          for (std::size_t k = 0; k < p.results[i].size(); ++k)
            if (auto it = contents->samples.find({p.bench->name(), p.items[i].id, static_cast<int>(k)});
                it != contents->samples.end()) {
              p.results[i][k] = it->second;
              ++already;
              if (auto text = contents->corpus_texts.find(it->first); text != contents->corpus_texts.end())
                p.first_answer[i] = text->second;
            }
      append = true;
      keep_bytes = contents->kept_bytes;
      if (contents->dropped_lines > 0 && options.progress)
        std::fprintf(stderr, "%s: dropped 1 torn line (a write cut short); its sample is asked again\n",
                     checkpoint.c_str());
    }
  }
  // Early stop spends a share of alpha, split Bonferroni-style over every test the
  // report will run (accuracy and cap hits per bench), so it is never the weak link.
  const double stop_threshold =
      2.0 * static_cast<double>(planned.size()) / (kEarlyStopAlphaShare * options.alpha);
  if (options.stop_early) {
    if (!options.baseline) return Status::Usage("--stop-early needs --baseline: it grades while running");
    attach_baseline(planned, *options.baseline);
    for (PlannedBench& p : planned) advance_early_stop(p, stop_threshold);
  }
  CheckpointWriter writer;
  if (Status s = writer.open(checkpoint, header, append, keep_bytes); !s.ok()) return s;

  std::vector<Work> work;
  std::size_t total = already;
  for (std::size_t b = 0; b < planned.size(); ++b)
    for (std::size_t i = 0; i < planned[b].items.size(); ++i)
      for (std::size_t k = 0; k < planned[b].results[i].size(); ++k)
        if (!planned[b].results[i][k]) {
          work.push_back({b, i, static_cast<int>(k)});
          ++total;
        }

  TripwireStageOptions stage{Endpoint{options.endpoint, model, options.api_key, server}, pool_options, options.alpha};
  TripwireRecord tripwire_record;
  if (options.tripwire && options.kind == "run" && options.baseline &&
      options.baseline->tripwire.status == "reference") {
    tripwire_record = probe_candidate(options.baseline->tripwire, stage);
    if (signalled()) {
      writer.close();
      return interrupted(Stage::kTripwire, already, total, checkpoint);
    }
    if (options.progress) {
      const TripwireRecord& t = tripwire_record;
      const std::string figures =
          t.status == "unsupported" ? ": " + t.reason
          : tripwire::available(t.mean_kl)
              ? fmt::format(" (top-1 agreement {:.4f}, mean KL {:.5f})", t.top1_agreement, t.mean_kl)
              : fmt::format(" (mean |Δ logprob| {:.4f}; KL unavailable: {})", t.summary.mean_abs_logprob_difference,
                            t.unavailable);
      std::fprintf(stderr, "tripwire: %s%s\n", t.status.c_str(), figures.c_str());
    }
    if (tripwire_record.status == "tripped" && options.fail_fast) {
      // --fail-fast: the distribution has collapsed, the benches would only confirm it.
      work.clear();
      planned.clear();
    }
  }
  Progress progress(options.progress, total, already);
  pool_options.describe = [&work, &planned](const HttpRequest& request) {
    const Work& w = work[request.tag];
    const PlannedBench& p = planned[w.bench];
    return fmt::format("{}/{}#{}", p.bench->name(), p.items[w.item].id, w.sample);
  };
  // Chat bodies are capped by the largest max_tokens asked for (see chat_response_cap);
  // the tripwire's logprob bodies keep the pool's own cap.
  PoolOptions chat_pool = pool_options;
  int largest_max_tokens = 0;
  for (const PlannedBench& p : planned) largest_max_tokens = std::max(largest_max_tokens, p.sampling.max_tokens);
  chat_pool.max_response_bytes = chat_response_cap(largest_max_tokens);
  HttpPool pool(chat_pool);
  pool_options.describe = nullptr;  // later stages' tags are not work indices
  std::size_t next_work = 0;
  // Responses are scored on the queue's threads (see scoring_queue.h). `recording`
  // guards what they share with the pool's thread: results, early-stop state, the
  // checkpoint writer, progress and the failures.
  std::mutex recording;
  Status failure;
  // A 200 whose body is unusable (a proxy's HTML page, a cut or oversize body,
  // invalid UTF-8, no choices, wrong types, no content) is asked again a few
  // times before it becomes a failed sample with the reason: such faults pass.
  constexpr int kUnusableBodyRetries = 4;
  std::vector<std::size_t> ask_again;
  std::map<std::size_t, int> unusable_count;
  std::int64_t unusable_bodies = 0;
  std::map<std::string, std::int64_t> unusable_reasons;
  struct EndpointFailure {
    std::string why;
    int attempts = 0;
  };
  std::optional<EndpointFailure> endpoint_failure;  // reported once the responses in scoring are kept
  // `parsed` comes from the pool's thread, which already read it to spot unusable bodies.
  const auto score_and_record = [&](const Work& w, const Result<ChatResponse>& parsed) {
    PlannedBench& p = planned[w.bench];
    const Item& item = p.items[w.item];
    SampleRecord sample;
    std::string first_answer;
    if (!parsed.ok()) {
      sample.error = parsed.status().message();
    } else {
      Score score = p.bench->score(item, *parsed);
      if (w.sample == 0 && !parsed->content.empty()) first_answer = item.prompt + "\n" + parsed->content;
      sample = {score.correct, score.answer, parsed->finish_reason, parsed->completion_tokens,
                parsed->reasoning_tokens, ""};
    }
    std::lock_guard<std::mutex> lock(recording);
    if (!first_answer.empty()) p.first_answer[w.item] = std::move(first_answer);
    const bool keep_text = options.kind == "baseline" && w.sample == 0;
    if (Status s = writer.append({p.bench->name(), item.id, w.sample}, sample, keep_text ? p.first_answer[w.item] : "");
        !s.ok()) {
      if (failure.ok()) failure = s;
      pool.abort();
      return;
    }
    p.results[w.item][static_cast<std::size_t>(w.sample)] = std::move(sample);
    progress.tick(p.bench->name());
    if (options.stop_early) advance_early_stop(p, stop_threshold);
  };
  ScoringQueue scoring;
  const std::vector<std::string> headers = auth_headers(options.api_key);
  const std::string chat_url = base + "/chat/completions";
  pool.run(
      [&]() -> std::optional<HttpRequest> {
        std::lock_guard<std::mutex> lock(recording);  // early stop is decided on the scoring threads
        std::size_t index = 0;
        if (!ask_again.empty()) {
          index = ask_again.back();
          ask_again.pop_back();
        } else {
          while (next_work < work.size() && planned[work[next_work].bench].stopped) ++next_work;
          if (next_work >= work.size()) return std::nullopt;
          index = next_work++;
        }
        const Work& w = work[index];
        const PlannedBench& p = planned[w.bench];
        const Item& item = p.items[w.item];
        ChatRequest chat{model, p.bench->chat(item), p.sampling,
                         request_seed(options.seed, p.bench->name(), item.id, w.sample)};
        return HttpRequest{"POST", chat_url, chat_request_body(chat), headers, index};
      },
      [&](HttpRequest&& request, HttpResponse&& response) {
        const Work& w = work[request.tag];
        if (!response.ok()) {
          // Retries are spent or the server refused outright: stop cleanly, keep the checkpoint.
          const std::string why = response.status == 0
                                      ? response.transport_error
                                      : fmt::format("HTTP {}: {}", response.status, server_error_message(response.body));
          std::lock_guard<std::mutex> lock(recording);
          if (!endpoint_failure) endpoint_failure = EndpointFailure{why, response.attempts};
          pool.abort();
          return;
        }
        // An unusable 200 body is asked again (on this thread: next() reads ask_again under the lock).
        // A body cut at the cap keeps its 200 and says so in transport_error.
        Result<ChatResponse> parsed = response.transport_error.empty()
                                          ? parse_chat_response(response.body)
                                          : Result<ChatResponse>(Status::BadInput(response.transport_error));
        if (!parsed.ok()) {
          std::lock_guard<std::mutex> lock(recording);
          ++unusable_reasons[failure_kind(parsed.status().message())];
          if (!pool.stopping() && unusable_count[request.tag]++ < kUnusableBodyRetries) {
            ++unusable_bodies;
            ask_again.push_back(request.tag);
            return;
          }
        }
        scoring.post([&score_and_record, w, parsed = std::move(parsed)] { score_and_record(w, parsed); });
      });
  scoring.finish();  // every response received is scored and checkpointed before the run ends
  progress.finish();
  writer.close();
  if (signalled()) return interrupted(Stage::kBenches, samples_done(planned), total, checkpoint);
  if (endpoint_failure)
    return Status::Endpoint(fmt::format("{}/chat/completions: {} (after {} tries; {} samples kept in {}; once the "
                                        "server is back, run the same command with --resume to continue)",
                                        redact_url(base), endpoint_failure->why, endpoint_failure->attempts,
                                        samples_done(planned), checkpoint));
  if (!failure.ok()) return failure;

  if (options.tripwire && options.kind == "baseline") {
    std::vector<std::string> corpus = std::move(corpus_from_file);
    if (corpus.empty()) {
      std::vector<std::pair<std::string, std::string>> texts;
      for (const PlannedBench& p : planned)
        for (std::size_t i = 0; i < p.items.size(); ++i)
          texts.emplace_back(p.bench->name() + "/" + p.items[i].id, p.first_answer[i]);
      corpus = choose_corpus(std::move(texts), options.corpus_size, options.seed);
    }
    tripwire_record = collect_reference(corpus, stage);
    if (signalled()) return interrupted(Stage::kTripwire, samples_done(planned), total, checkpoint);
    if (options.progress && tripwire_record.status != "reference")
      std::fprintf(stderr, "tripwire: unsupported: %s\n", tripwire_record.reason.c_str());
  }
  // The work is done: a signal from here on is taken by the watch and ignored, so
  // it cannot cut the final write short (the checkpoint would still be there).
  watch.reset();
  RunFile run = assemble(options, model, server, planned);
  run.tripwire = std::move(tripwire_record);
  const PoolStats stats = pool.stats();
  run.request_stats = {static_cast<std::int64_t>(stats.completed), static_cast<std::int64_t>(stats.retries),
                       unusable_bodies, std::move(unusable_reasons)};
  const std::string text = serialize_run_file(run);
  if (Status s = write_file_atomically(options.out, text, /*replace=*/options.force); !s.ok()) return s;
  std::remove(checkpoint.c_str());
  // What the file holds (figures rounded for storage), so `run --baseline` grades
  // exactly what a later `diff` of the same files will.
  return parse_run_file(text, options.out);
}

}  // namespace qdrift
