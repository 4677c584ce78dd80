// Run files and baselines (DESIGN §8): what was asked, of whom, with which
// settings, and every sample's outcome and why. Versioned by `schema`; written
// atomically; one item per line so two files diff well. Whole conversations go
// to the transcripts sidecar (qdrift/transcript.h), not here.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "qdrift/status.h"
#include "qdrift/tripwire.h"

namespace qdrift {

// 2: samples carry `explanation`, and `turns`, `turn_cap_hit`, `tool_errors` and
// `judge` when they are not the one-shot defaults. Schema 1 files still load.
// 3: a shard's file (`run --shard I/N`): config.shard, each bench's
// `unsharded_items` and each item's `position`. Only shard files are written as
// 3, so a qdrift that cannot tell a shard from a whole run refuses them, while
// whole runs stay readable by it (schema 2).
inline constexpr int kRunFileSchema = 3;           // the newest this qdrift reads
inline constexpr int kWholeRunFileSchema = 2;      // what it writes for a whole (unsharded or merged) run

// A sample's place in a run: two runs are paired on it, and the checkpoint and
// the transcripts sidecar are keyed by it.
struct SampleKey {
  std::string bench;
  std::string item_id;
  int sample = 0;
  auto operator<=>(const SampleKey&) const = default;
};

// The fields after `error` have defaults, so the one-shot benches' six-field
// initialisers stay as they are.
struct SampleRecord {
  bool correct = false;
  std::string answer;                 // extracted answer ("" when none)
  std::string finish;                 // finish_reason of the last turn: "stop", "length", ...
  std::int64_t completion_tokens = 0;  // over all turns
  std::int64_t reasoning_tokens = 0;
  std::string error;                  // why the sample failed ("" when it did not)
  std::string explanation{};          // the bench's Score::explanation: why it was scored so, one line
  int turns = 1;                      // model turns used (1 for a one-shot bench)
  bool turn_cap_hit = false;          // the episode ran out of turns before it finished
  int tool_calls = 0;                 // tool steps the model asked for (commands run by an agent bench)
  int tool_errors = 0;                // of those, how many failed (nonzero exit, timeout, refused)
  std::string judge_verdict{};        // "pass" | "fail" when a judge graded it, "" when none did
  // The verdict's cache key: sha256 over the judge model, the judge prompt's
  // version and the exact request (rubric and transcript); "" when none.
  std::string judge_key{};
  // A second verdict on the same transcript with the rubric's criteria in
  // another order, for the judge's self-agreement: "pass" | "fail", "" when not asked.
  std::string judge_repeat{};
};

struct ItemRecord {
  std::string id;
  std::string stratum;                // "" when unstratified
  std::vector<SampleRecord> samples;  // index = sample index
  double weight = 1;                  // full-set items this one stands for (N_h / n_h in a slice)
  std::string detail;                 // how the item was presented ("" when nothing to say)
  // The prompt's first characters (whitespace folded), so a report can show
  // what a flipped item asked without the dataset; "" in files before 0.7.
  std::string prompt_opening{};
  // A shard's item: its index in the whole run's item order, so `qdrift merge`
  // can put the shards' items back in that order; unset in a whole run.
  std::optional<std::int64_t> position{};
};

// What ItemRecord::prompt_opening keeps of a prompt: at most this many bytes,
// cut at a code point, runs of whitespace folded to one space.
inline constexpr std::size_t kPromptOpeningBytes = 160;
std::string prompt_opening(std::string_view prompt);

// Everything that must match for a candidate bench to be graded against a baseline.
struct BenchSettings {
  bool think = false;
  int samples = 1;
  double temperature = 0;
  double top_p = 1;
  int top_k = -1;
  double min_p = 0;
  double presence_penalty = 0;
  int max_tokens = 0;
  std::string bench_version;
  // How model-written code ran: "sandboxed", "unsandboxed" (--allow-unsandboxed
  // without a usable bubblewrap), or "" for a bench that runs none (then absent
  // from the file). Compared like the rest: a sandbox can change what a program
  // does (no network, a private /tmp), so the two are not graded against each other.
  std::string code_execution;
  // How an agent bench's model called its tools: "text" (fenced blocks) or
  // "native" (the API's tool calls); "" for a bench without tools (then absent).
  // A model may be better at one than the other, so they are never graded together.
  std::string tool_protocol{};
  // Who graded a judged bench: the judge model and the judge prompt's version
  // ("m (judge-1)"); "" for a bench with an answer key (then absent). A
  // different judge is a different ruler, so the two are never compared.
  std::string judge{};
};

struct BenchSummary {
  std::int64_t items = 0;
  double accuracy = 0;        // share of items whose outcome is correct
  double trunc_rate = 0;      // share of items with a sample cut at the cap
  std::int64_t failed_samples = 0;
  double mean_completion_tokens = 0;
  double mean_reasoning_tokens = 0;
};

// `run --stop-early` ended this bench once its anytime-valid evidence of
// degradation crossed the threshold; only the items graded by then are kept.
struct EarlyStop {
  std::int64_t items_graded = 0;
  std::int64_t requests_saved = 0;
  double e_value = 0;    // flip_e_value(losses, wins) when it stopped
  double threshold = 0;  // (tests in the family) / alpha
};

// A judged bench's trait: its items carry its id as their stratum, and a
// candidate whose share of passing items falls below `gate` while the
// baseline's did not is degraded, whatever the p-value.
struct TraitGate {
  std::string id;
  std::string name;
  double gate = 0;  // percent
};

struct BenchRecord {
  std::string name;
  BenchSettings settings;
  std::string dataset_sha256;
  std::vector<ItemRecord> items;
  std::optional<EarlyStop> stopped_early;
  std::vector<TraitGate> traits = {};  // a judged exam's traits and gates; empty for other benches
  // A baseline collected with --repeats R holds K × R samples per item: the K of
  // settings.samples, drawn R times (repeat r is samples rK .. rK + K − 1).
  int repeats = 1;
  // A shard's bench: how many items the whole run has (every shard's together),
  // so `qdrift merge` can tell a missing item; 0 in a whole run.
  std::int64_t unsharded_items = 0;
};

// The bench as one repeat would have recorded it: each item's first K samples.
// Outcomes, flips and accuracies read this view; a bench of one repeat is itself.
BenchRecord first_repeat(const BenchRecord& bench);

// `run --shard I/N`: the file holds shard `index` (0-based) of `count`, the items
// whose stable hash falls in it (src/record/shard.h); `qdrift merge` joins
// all `count` shards into the whole run.
struct Shard {
  int index = 0;
  int count = 1;
  bool operator==(const Shard&) const = default;
};

struct RunConfig {
  std::string tier = "standard";
  std::uint64_t seed = 0;
  int concurrency = 64;
  bool stop_early = false;  // benches could stop early: part of alpha was spent on that
  std::int64_t limit = 0;   // --limit N: each bench cut to its first N items (0 = not limited)
  std::optional<Shard> shard{};  // --shard I/N: one shard of the run; unset for a whole run
};

// With --stop-early a tenth of alpha is spent on the anytime-valid early stop and
// the rest on the final tests, so the two together keep the false-alarm rate at alpha.
inline constexpr double kEarlyStopAlphaShare = 0.1;

// The logprob tripwire's part of a run file. A baseline holds the corpus, its
// first pass (the reference every candidate is compared with, top alternatives
// trimmed to keep the file small) and its second pass's per-text scores against
// the first (the noise floor). A candidate holds its per-text scores against the
// reference and the overall figures.
struct TripwireRecord {
  std::string status = "absent";  // baseline: "reference"; run: "ok" | "tripped" | "unsupported" | "absent"
  std::string reason;             // why, when unsupported
  std::string api;                // how logprobs were fetched: vllm | vllm-prompt-logprobs | sglang | tgi
  bool keyed_by_id = false;       // alternatives keyed by token id (else by token text)
  bool alternatives = true;       // the server gave top-k alternatives
  std::string unavailable;        // why top-1 agreement and KL are unavailable ("" when they are not)
  std::vector<std::string> corpus;
  std::vector<tripwire::Sequence> reference;
  std::vector<tripwire::SequenceScore> scores;  // baseline: the floor; run: against the reference
  tripwire::Summary summary;      // baseline: the floor pass; run: the candidate, over all positions
  double top1_agreement = 0;      // = summary's, kept at the top for readers of schema 1
  double mean_kl = 0;
};

// One replica's part in a run over several (repeated --endpoint).
struct ReplicaRequests {
  std::string endpoint;          // base URL, credentials removed
  std::int64_t answered = 0;     // requests whose final answer came from it
  std::int64_t tries = 0;        // tries sent to it
  std::int64_t failed_tries = 0; // of those, how many got no HTTP answer
  bool down = false;             // marked down during the run; its requests went to the others
};

// What it took to get the answers: informational, never compared.
struct RequestStats {
  std::int64_t requests = 0;        // chat requests answered (a re-asked one counts again)
  std::int64_t retries = 0;         // extra tries after HTTP 5xx/408/429 or a dropped connection
  std::int64_t unusable_bodies = 0; // 200 answers that did not parse and were asked again
  // Every unusable 200 body by failure_kind(): those asked again and those that failed a sample.
  std::map<std::string, std::int64_t> unusable_reasons;
  std::vector<ReplicaRequests> replicas;  // empty for a run over one server
};

struct RunFile {
  int schema = kRunFileSchema;       // as read; a file is written with the lowest schema that holds it
  std::string kind = "run";          // "run" or "baseline"
  std::string qdrift_version;
  std::string model;
  std::string endpoint;              // base URL, credentials removed
  std::string server;                // "vllm", "sglang", ... or "unknown"
  std::string created_at;            // UTC, ISO 8601
  RunConfig config;
  std::vector<BenchRecord> benches;  // in run order
  TripwireRecord tripwire;
  RequestStats request_stats;        // this process's requests (a resumed run counts its own only)
};

// How many alternatives per position a baseline keeps for its reference pass.
inline constexpr int kStoredTopLogprobs = 5;

// An item's outcome for the paired test: the correctness of the majority answer
// over its samples (maj@K; K = 1 is the sample itself). Ties go to the answer
// seen first, so the rule is deterministic. Failed samples have no answer.
bool item_outcome(const ItemRecord& item);
// Whether any sample of the item was cut off at the token cap.
bool item_truncated(const ItemRecord& item);
// Any sample ran out of turns (an agent bench's turn cap).
bool item_turn_capped(const ItemRecord& item);
BenchSummary summarize(const BenchRecord& bench);

// A failure reason without its particulars ("response is not valid UTF-8 (byte 7
// of 90)" -> "response is not valid UTF-8"), so failures can be counted by kind.
std::string failure_kind(const std::string& reason);
// "3 × response is not JSON, 1 × response has no choices": counts by kind, most
// common first (ties in key order); "" when there are none.
std::string count_summary(const std::map<std::string, std::int64_t>& counts);
// "http://a/v1 120 answered, http://b/v1 80 answered (down: 3 tries got no
// answer)": each replica's part, for the run summary and `qdrift show`; "" for one server.
std::string replica_summary(const std::vector<ReplicaRequests>& replicas);
// The bench's failed samples by kind, as count_summary() says them.
std::string failure_summary(const BenchRecord& bench);

// The file's text: stable key order, one item per line.
std::string serialize_run_file(const RunFile& run);
// Parses and validates; `origin` names the file in error messages.
Result<RunFile> parse_run_file(const std::string& text, const std::string& origin);
Result<RunFile> load_run_file(const std::string& path);

// JSON pieces shared with the checkpoint.
nlohmann::ordered_json settings_to_json(const BenchSettings& settings);
nlohmann::ordered_json tripwire_to_json(const TripwireRecord& tripwire);
Result<TripwireRecord> tripwire_from_json(const nlohmann::json& j, const std::string& where);
// A sample's fields as the run file and the checkpoint write them, without braces:
// "correct":…,"answer":…,…,"explanation":… (the run file's sample object inside).
void append_sample_fields(std::string& out, const SampleRecord& sample);
Result<BenchSettings> settings_from_json(const nlohmann::json& j, const std::string& where);
Result<SampleRecord> sample_from_json(const nlohmann::json& j, const std::string& where);

}  // namespace qdrift
