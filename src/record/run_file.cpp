// Run-file serialisation and validated loading.
#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "qdrift/record.h"
#include "util/json_reader.h"
#include "record/shard.h"
#include "util/simdjson_view.h"
#include "util/files.h"
#include "util/json_append.h"
#include "util/json_text.h"
#include "util/utf8.h"

namespace qdrift {

using nlohmann::json;
using nlohmann::ordered_json;

bool item_outcome(const ItemRecord& item) {
  if (item.samples.size() == 1) return item.samples[0].correct && item.samples[0].error.empty();
  // maj@K: count each distinct extracted answer; the most common wins, ties to the first seen.
  std::vector<std::pair<std::string, int>> tally;
  std::map<std::string, bool> correct_by_answer;
  for (const SampleRecord& s : item.samples) {
    if (!s.error.empty() || s.answer.empty()) continue;
    auto it = std::find_if(tally.begin(), tally.end(), [&](auto& e) { return e.first == s.answer; });
    if (it == tally.end()) {
      tally.emplace_back(s.answer, 1);
      correct_by_answer[s.answer] = s.correct;
    } else {
      ++it->second;
    }
  }
  if (tally.empty()) return false;
  auto best = std::max_element(tally.begin(), tally.end(),
                               [](auto& a, auto& b) { return a.second < b.second; });
  return correct_by_answer[best->first];
}

bool item_truncated(const ItemRecord& item) {
  return std::any_of(item.samples.begin(), item.samples.end(),
                     [](const SampleRecord& s) { return s.finish == "length"; });
}

bool item_turn_capped(const ItemRecord& item) {
  return std::any_of(item.samples.begin(), item.samples.end(), [](const SampleRecord& s) { return s.turn_cap_hit; });
}

BenchRecord first_repeat(const BenchRecord& bench) {
  BenchRecord view = bench;
  if (bench.repeats <= 1) return view;
  const auto k = static_cast<std::size_t>(std::max(1, bench.settings.samples));
  for (ItemRecord& item : view.items)
    if (item.samples.size() > k) item.samples.resize(k);
  view.repeats = 1;
  return view;
}

BenchSummary summarize(const BenchRecord& bench) {
  // A baseline's figures are those of one repeat, comparable with a run's.
  if (bench.repeats > 1) return summarize(first_repeat(bench));
  BenchSummary summary;
  std::int64_t correct = 0, truncated = 0, samples = 0, completion = 0, reasoning = 0;
  for (const ItemRecord& item : bench.items) {
    correct += item_outcome(item);
    truncated += item_truncated(item);
    for (const SampleRecord& s : item.samples) {
      ++samples;
      completion += s.completion_tokens;
      reasoning += s.reasoning_tokens;
      summary.failed_samples += !s.error.empty();
    }
  }
  summary.items = static_cast<std::int64_t>(bench.items.size());
  if (summary.items > 0) {
    summary.accuracy = static_cast<double>(correct) / static_cast<double>(summary.items);
    summary.trunc_rate = static_cast<double>(truncated) / static_cast<double>(summary.items);
  }
  if (samples > 0) {
    summary.mean_completion_tokens = static_cast<double>(completion) / static_cast<double>(samples);
    summary.mean_reasoning_tokens = static_cast<double>(reasoning) / static_cast<double>(samples);
  }
  return summary;
}

std::string prompt_opening(std::string_view prompt) {
  std::string folded;
  bool space = false;
  for (char c : prompt) {
    if (folded.size() >= kPromptOpeningBytes + 4) break;  // enough to cut a whole code point from
    const bool blank = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (blank) {
      space = !folded.empty();
      continue;
    }
    if (space) folded.push_back(' ');
    space = false;
    folded.push_back(c);
  }
  return printable_utf8(utf8_prefix(folded, kPromptOpeningBytes));
}

std::string failure_kind(const std::string& reason) { return reason.substr(0, reason.find(" (")); }

std::string failure_summary(const BenchRecord& bench) {
  std::map<std::string, std::int64_t> counts;
  for (const ItemRecord& item : bench.items)
    for (const SampleRecord& s : item.samples)
      if (!s.error.empty()) ++counts[failure_kind(s.error)];
  return count_summary(counts);
}

std::string count_summary(const std::map<std::string, std::int64_t>& counts) {
  std::vector<std::pair<std::string, std::int64_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string text;
  for (const auto& [kind, count] : sorted) text += fmt::format("{}{} × {}", text.empty() ? "" : ", ", count, kind);
  return text;
}

std::string replica_summary(const std::vector<ReplicaRequests>& replicas) {
  std::string text;
  for (const ReplicaRequests& r : replicas)
    text += fmt::format("{}{} {} answered{}", text.empty() ? "" : ", ", r.endpoint, r.answered,
                        r.down ? fmt::format(" (down: {} tries got no answer)", r.failed_tries) : "");
  return text;
}

ordered_json settings_to_json(const BenchSettings& s) {
  ordered_json j = {{"think", s.think},         {"samples", s.samples}, {"temperature", s.temperature},
                    {"top_p", s.top_p},         {"top_k", s.top_k},     {"min_p", s.min_p},
                    {"presence_penalty", s.presence_penalty},           {"max_tokens", s.max_tokens},
                    {"bench_version", s.bench_version}};
  if (!s.code_execution.empty()) j["code_execution"] = s.code_execution;  // only benches that run code
  if (!s.tool_protocol.empty()) j["tool_protocol"] = s.tool_protocol;     // only benches with tools
  if (!s.judge.empty()) j["judge"] = s.judge;                             // only judged benches
  return j;
}

void append_sample_fields(std::string& out, const SampleRecord& s) {
  JsonMembers sample(out);
  sample.boolean("correct", s.correct)
      .text("answer", s.answer)
      .text("finish", s.finish)
      .integer("completion_tokens", s.completion_tokens)
      .integer("reasoning_tokens", s.reasoning_tokens);
  // Multi-turn fields only when they say something, so one-shot files stay small.
  if (s.turns != 1) sample.integer("turns", s.turns);
  if (s.turn_cap_hit) sample.boolean("turn_cap_hit", true);
  if (s.tool_calls != 0) sample.integer("tool_calls", s.tool_calls);
  if (s.tool_errors != 0) sample.integer("tool_errors", s.tool_errors);
  if (!s.judge_verdict.empty()) sample.text("judge", s.judge_verdict);
  if (!s.judge_repeat.empty()) sample.text("judge_repeat", s.judge_repeat);
  if (!s.judge_key.empty()) sample.text("judge_key", s.judge_key);
  if (!s.error.empty()) sample.text("error", s.error);
  sample.text("explanation", s.explanation);  // last: the longest field, so the short ones line up
}

namespace {

ordered_json summary_to_json(const BenchSummary& s) {
  return {{"items", s.items},
          {"accuracy", s.accuracy},
          {"trunc_rate", s.trunc_rate},
          {"failed_samples", s.failed_samples},
          {"mean_completion_tokens", s.mean_completion_tokens},
          {"mean_reasoning_tokens", s.mean_reasoning_tokens}};
}

// One item's line of the run file, as ordered_json would write it.
std::string item_line(const ItemRecord& item) {
  std::string samples = "[";
  for (const SampleRecord& sample : item.samples) {
    samples += samples.size() > 1 ? ",{" : "{";
    append_sample_fields(samples, sample);
    samples += '}';
  }
  samples += ']';
  std::string out = "{";
  JsonMembers line(out);
  line.text("id", item.id);
  if (!item.stratum.empty()) line.text("stratum", item.stratum);
  if (item.weight != 1) line.number("weight", item.weight);
  if (!item.detail.empty()) line.text("detail", item.detail);
  if (!item.prompt_opening.empty()) line.text("prompt_opening", item.prompt_opening);
  if (item.position) line.integer("position", *item.position);  // a shard's item only
  line.raw("samples", samples);
  out += '}';
  return out;
}

template <typename View>
Result<SampleRecord> sample_at(View j, const Where& where) {
  BasicReader<View> r(j, where);
  QDRIFT_TRY(r.require_object());
  SampleRecord s;
  QDRIFT_TRY(r.get("correct", s.correct));
  QDRIFT_TRY(r.get("answer", s.answer));
  QDRIFT_TRY(r.get("finish", s.finish));
  QDRIFT_TRY(r.get("completion_tokens", s.completion_tokens));
  QDRIFT_TRY(r.get("reasoning_tokens", s.reasoning_tokens));
  QDRIFT_TRY(r.get("error", s.error, false));
  // Schema 2; absent in schema 1 files and for one-shot samples, which keep the defaults.
  QDRIFT_TRY(r.get("explanation", s.explanation, false));
  QDRIFT_TRY(r.get("turns", s.turns, false));
  QDRIFT_TRY(r.get("turn_cap_hit", s.turn_cap_hit, false));
  QDRIFT_TRY(r.get("tool_calls", s.tool_calls, false));
  QDRIFT_TRY(r.get("tool_errors", s.tool_errors, false));
  QDRIFT_TRY(r.get("judge", s.judge_verdict, false));
  QDRIFT_TRY(r.get("judge_repeat", s.judge_repeat, false));
  QDRIFT_TRY(r.get("judge_key", s.judge_key, false));
  if (s.turns < 0) return r.bad("'turns' must not be negative");
  if (s.tool_errors < 0) return r.bad("'tool_errors' must not be negative");
  if (s.tool_calls < 0) return r.bad("'tool_calls' must not be negative");
  for (const auto& [field, value] : {std::pair{"judge", &s.judge_verdict}, {"judge_repeat", &s.judge_repeat}})
    if (!value->empty() && *value != "pass" && *value != "fail")
      return r.bad(fmt::format("'{}' must be \"pass\" or \"fail\", not \"{}\"", field, *value));
  return s;
}

template <typename View>
Result<BenchSettings> settings_at(View j, const Where& where) {
  BasicReader<View> r(j, where);
  QDRIFT_TRY(r.require_object());
  BenchSettings s;
  QDRIFT_TRY(r.get("think", s.think));
  QDRIFT_TRY(r.get("samples", s.samples));
  QDRIFT_TRY(r.get("temperature", s.temperature));
  QDRIFT_TRY(r.get("top_p", s.top_p));
  QDRIFT_TRY(r.get("top_k", s.top_k));
  QDRIFT_TRY(r.get("min_p", s.min_p));
  QDRIFT_TRY(r.get("presence_penalty", s.presence_penalty));
  QDRIFT_TRY(r.get("max_tokens", s.max_tokens));
  QDRIFT_TRY(r.get("bench_version", s.bench_version));
  QDRIFT_TRY(r.get("code_execution", s.code_execution, false));
  QDRIFT_TRY(r.get("tool_protocol", s.tool_protocol, false));
  QDRIFT_TRY(r.get("judge", s.judge, false));
  if (s.samples < 1) return Status::BadInput(where.str() + ": 'samples' must be at least 1");
  return s;
}

template <typename View>
Result<ItemRecord> item_from_json(View j, const Where& where) {
  BasicReader<View> r(j, where);
  QDRIFT_TRY(r.require_object());
  ItemRecord item;
  QDRIFT_TRY(r.get("id", item.id));
  QDRIFT_TRY(r.get("stratum", item.stratum, false));
  QDRIFT_TRY(r.get("weight", item.weight, false));
  QDRIFT_TRY(r.get("detail", item.detail, false));
  QDRIFT_TRY(r.get("prompt_opening", item.prompt_opening, false));
  if (j.find("position")) {  // schema 3, a shard's item
    std::int64_t position = 0;
    QDRIFT_TRY(r.get("position", position));
    if (position < 0) return Status::BadInput(where.str() + ": 'position' must not be negative");
    item.position = position;
  }
  if (!(item.weight > 0)) return Status::BadInput(where.str() + ": 'weight' must be positive");
  const std::optional<View> samples = j.find("samples");
  if (!samples || !samples->is_array() || samples->size() == 0)
    return Status::BadInput(where.str() + ": 'samples' must be a non-empty array");
  item.samples.reserve(samples->size());
  QDRIFT_TRY(samples->each([&](std::size_t i, View value) -> Status {
    auto sample = sample_at(value, Where{nullptr, &where, ".samples", i});
    if (!sample.ok()) return sample.status();
    item.samples.push_back(std::move(sample).value());
    return Status::Ok();
  }));
  return item;
}

template <typename View>
Result<EarlyStop> early_stop_at(View j, const Where& where) {
  BasicReader<View> e(j, where);
  QDRIFT_TRY(e.require_object());
  EarlyStop stop;
  QDRIFT_TRY(e.get("items_graded", stop.items_graded));
  QDRIFT_TRY(e.get("requests_saved", stop.requests_saved));
  QDRIFT_TRY(e.get("e_value", stop.e_value));
  QDRIFT_TRY(e.get("threshold", stop.threshold));
  return stop;
}

template <typename View>
Result<BenchRecord> bench_from_json(std::string_view name, View j, const Where& where) {
  BasicReader<View> r(j, where);
  QDRIFT_TRY(r.require_object());
  BenchRecord bench;
  bench.name = name;
  const std::optional<View> settings = j.find("settings");
  if (!settings) return Status::BadInput(where.str() + ": missing field 'settings'");
  auto parsed = settings_at(*settings, Where{nullptr, &where, ".settings"});
  if (!parsed.ok()) return parsed.status();
  bench.settings = *parsed;
  QDRIFT_TRY(r.get("dataset_sha256", bench.dataset_sha256));
  QDRIFT_TRY(r.get("repeats", bench.repeats, false));
  if (bench.repeats < 1) return Status::BadInput(where.str() + ": 'repeats' must be at least 1");
  QDRIFT_TRY(r.get("unsharded_items", bench.unsharded_items, false));
  if (bench.unsharded_items < 0) return Status::BadInput(where.str() + ": 'unsharded_items' must not be negative");
  if (const std::optional<View> early = j.find("stopped_early"); early && !early->is_null()) {
    auto stop = early_stop_at(*early, Where{nullptr, &where, ".stopped_early"});
    if (!stop.ok()) return stop.status();
    bench.stopped_early = *stop;
  }
  if (const std::optional<View> traits = j.find("traits"); traits && !traits->is_null()) {
    if (!traits->is_array()) return Status::BadInput(where.str() + ": 'traits' must be a list");
    QDRIFT_TRY(traits->each([&](std::size_t i, View value) -> Status {
      const Where at{nullptr, &where, ".traits", i};
      BasicReader<View> t(value, at);
      QDRIFT_TRY(t.require_object());
      TraitGate gate;
      QDRIFT_TRY(t.get("id", gate.id));
      QDRIFT_TRY(t.get("name", gate.name));
      QDRIFT_TRY(t.get("gate", gate.gate));
      bench.traits.push_back(std::move(gate));
      return Status::Ok();
    }));
  }
  const std::optional<View> items = j.find("items");
  if (!items || !items->is_array()) return Status::BadInput(where.str() + ": 'items' must be an array");
  std::set<std::string> seen;
  bench.items.reserve(items->size());
  QDRIFT_TRY(items->each([&](std::size_t i, View value) -> Status {
    const Where item_where{nullptr, &where, ".items", i};
    auto item = item_from_json(value, item_where);
    if (!item.ok()) return item.status();
    if (!seen.insert(item->id).second)
      return Status::BadInput(fmt::format("{}: duplicate item id '{}'", item_where.str(), item->id));
    bench.items.push_back(std::move(item).value());
    return Status::Ok();
  }));
  return bench;
}

template <typename View>
Status config_at(View j, const std::string& origin, RunConfig& config) {
  const std::string where = origin + ": config";
  const Where at{&where};
  BasicReader<View> c(j, at);
  QDRIFT_TRY(c.require_object());
  QDRIFT_TRY(c.get("tier", config.tier));
  QDRIFT_TRY(c.get("seed", config.seed));
  QDRIFT_TRY(c.get("concurrency", config.concurrency, false));
  QDRIFT_TRY(c.get("stop_early", config.stop_early, false));
  QDRIFT_TRY(c.get("limit", config.limit, false));
  if (const std::optional<View> shard = j.find("shard"); shard && !shard->is_null()) {  // schema 3
    const std::string shard_where = where + ".shard";
    const Where shard_at{&shard_where};  // the reader keeps a reference to it
    BasicReader<View> h(*shard, shard_at);
    QDRIFT_TRY(h.require_object());
    Shard read;
    QDRIFT_TRY(h.get("index", read.index));
    QDRIFT_TRY(h.get("count", read.count));
    if (Status s = check_shard(read); !s.ok()) return Status::BadInput(shard_where + ": " + s.message());
    config.shard = read;
  }
  return Status::Ok();
}

template <typename View>
Status replicas_at(View requests, const std::string& where, std::vector<ReplicaRequests>& replicas) {
  const std::optional<View> list = requests.find("replicas");
  if (!list || list->is_null()) return Status::Ok();
  if (!list->is_array()) return Status::BadInput(where + ": 'replicas' must be a list");
  return list->each([&](std::size_t i, View value) -> Status {
    const Where at{&where, nullptr, ".replicas", i};
    BasicReader<View> r(value, at);
    QDRIFT_TRY(r.require_object());
    ReplicaRequests replica;
    QDRIFT_TRY(r.get("endpoint", replica.endpoint));
    QDRIFT_TRY(r.get("answered", replica.answered, false));
    QDRIFT_TRY(r.get("tries", replica.tries, false));
    QDRIFT_TRY(r.get("failed_tries", replica.failed_tries, false));
    QDRIFT_TRY(r.get("down", replica.down, false));
    replicas.push_back(std::move(replica));
    return Status::Ok();
  });
}

template <typename View>
Status requests_at(View j, const std::string& origin, RequestStats& stats) {
  const std::string where = origin + ": requests";
  const Where at{&where};
  BasicReader<View> q(j, at);
  QDRIFT_TRY(q.require_object());
  QDRIFT_TRY(q.get("answered", stats.requests, false));
  QDRIFT_TRY(q.get("retries", stats.retries, false));
  QDRIFT_TRY(q.get("unusable_bodies", stats.unusable_bodies, false));
  QDRIFT_TRY(replicas_at(j, where, stats.replicas));
  const std::optional<View> reasons = j.find("unusable_reasons");
  if (!reasons || reasons->is_null()) return Status::Ok();
  const Status not_counts = Status::BadInput(where + ": 'unusable_reasons' must be an object of counts");
  if (!reasons->is_object()) return not_counts;
  return reasons->each_member([&](std::string_view reason, View count) -> Status {
    if (!count.is_number_integer()) return not_counts;
    stats.unusable_reasons[std::string(reason)] =
        count.is_number_unsigned() ? static_cast<std::int64_t>(count.get_uint64()) : count.get_int64();
    return Status::Ok();
  });
}

// What a checkpoint given as a run file is: an unfinished run.
Status unfinished_run(const std::string& origin) {
  return Status::BadInput(origin +
                          ": the checkpoint of an unfinished run, not a run file: finish the run with the same command "
                          "and --resume");
}

// The checks of a parsed run file, the same over either parser.
template <typename View>
Result<RunFile> run_file_at(View doc, const std::string& origin) {
  const Where root{&origin};
  BasicReader<View> r(doc, root);
  if (!doc.is_object()) return Status::BadInput(origin + ": not a qdrift run file (not a JSON object)");
  RunFile run;
  if (doc.find("checkpoint")) return unfinished_run(origin);  // a checkpoint of its header line alone
  if (!doc.find("schema")) return Status::BadInput(origin + ": not a qdrift run file (no 'schema' field)");
  QDRIFT_TRY(r.get("schema", run.schema));
  if (run.schema > kRunFileSchema)
    return Status::BadInput(fmt::format(
        "{}: written by a newer qdrift (schema {}); this qdrift reads schema {}: upgrade qdrift",
        origin, run.schema, kRunFileSchema));
  if (run.schema < 1) return Status::BadInput(fmt::format("{}: unknown schema {}", origin, run.schema));
  QDRIFT_TRY(r.get("kind", run.kind));
  if (run.kind != "run" && run.kind != "baseline")
    return Status::BadInput(fmt::format("{}: field 'kind' must be \"run\" or \"baseline\", not \"{}\"",
                                        origin, run.kind));
  QDRIFT_TRY(r.get("qdrift_version", run.qdrift_version));
  QDRIFT_TRY(r.get("model", run.model));
  QDRIFT_TRY(r.get("endpoint", run.endpoint));
  QDRIFT_TRY(r.get("server", run.server));
  QDRIFT_TRY(r.get("created_at", run.created_at, false));
  const std::optional<View> config = doc.find("config");
  if (!config) return Status::BadInput(origin + ": missing field 'config'");
  QDRIFT_TRY(config_at(*config, origin, run.config));
  if (const std::optional<View> requests = doc.find("requests"); requests && !requests->is_null())
    QDRIFT_TRY(requests_at(*requests, origin, run.request_stats));
  if (const std::optional<View> tripwire = doc.find("tripwire"); tripwire && !tripwire->is_null()) {
    auto parsed = tripwire_from_json(tripwire->as_nlohmann(), origin + ": tripwire");
    if (!parsed.ok()) return parsed.status();
    run.tripwire = std::move(parsed).value();
  }
  const std::optional<View> benches = doc.find("benches");
  if (!benches || !benches->is_object()) return Status::BadInput(origin + ": 'benches' must be an object");
  QDRIFT_TRY(benches->each_member([&](std::string_view name, View value) -> Status {
    const std::string bench_where = fmt::format("{}: benches.{}", origin, name);
    auto bench = bench_from_json(name, value, Where{&bench_where});
    if (!bench.ok()) return bench.status();
    run.benches.push_back(std::move(bench).value());
    return Status::Ok();
  }));
  // Benches in name order, whatever the parser's order, so reports do not depend on it.
  std::stable_sort(run.benches.begin(), run.benches.end(),
                   [](const BenchRecord& a, const BenchRecord& b) { return a.name < b.name; });
  for (std::size_t b = 1; b < run.benches.size(); ++b)
    if (run.benches[b].name == run.benches[b - 1].name)
      return Status::BadInput(fmt::format("{}: bench '{}' appears twice", origin, run.benches[b].name));
  return run;
}

// Line and column of a byte offset, for parse errors a person can find.
std::string position_of(const std::string& text, std::size_t byte) {
  byte = std::min(byte, text.size());
  const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(byte), '\n');
  const std::size_t line_start = text.rfind('\n', byte == 0 ? 0 : byte - 1);
  const std::size_t column = line_start == std::string::npos ? byte + 1 : byte - line_start;
  return fmt::format("line {}, column {}", line, column);
}

}  // namespace

Result<BenchSettings> settings_from_json(const json& j, const std::string& where) {
  return settings_at(NlohmannView(j), Where{&where});
}

Result<SampleRecord> sample_from_json(const json& j, const std::string& where) {
  return sample_at(NlohmannView(j), Where{&where});
}

std::string serialize_run_file(const RunFile& run) {
  ordered_json config = {
      {"tier", run.config.tier}, {"seed", run.config.seed}, {"concurrency", run.config.concurrency}};
  if (run.config.stop_early) config["stop_early"] = true;
  if (run.config.limit > 0) config["limit"] = run.config.limit;
  if (run.config.shard) config["shard"] = {{"index", run.config.shard->index}, {"count", run.config.shard->count}};
  // The lowest schema that holds the file: 3 only for a shard (see record.h).
  const int schema = run.config.shard ? kRunFileSchema : kWholeRunFileSchema;
  std::string out = "{\n";
  out += fmt::format("  \"schema\": {},\n", schema);
  out += fmt::format("  \"kind\": {},\n", json_text(json(run.kind)));
  out += fmt::format("  \"qdrift_version\": {},\n", json_text(json(run.qdrift_version)));
  out += fmt::format("  \"model\": {},\n", json_text(json(run.model)));
  out += fmt::format("  \"endpoint\": {},\n", json_text(json(run.endpoint)));
  out += fmt::format("  \"server\": {},\n", json_text(json(run.server)));
  out += fmt::format("  \"created_at\": {},\n", json_text(json(run.created_at)));
  out += fmt::format("  \"config\": {},\n", json_text(config));
  out += fmt::format("  \"tripwire\": {},\n", json_text(tripwire_to_json(run.tripwire)));
  const RequestStats& rs = run.request_stats;
  ordered_json requests = {{"answered", rs.requests}, {"retries", rs.retries}, {"unusable_bodies", rs.unusable_bodies}};
  if (!rs.unusable_reasons.empty()) requests["unusable_reasons"] = rs.unusable_reasons;
  if (!rs.replicas.empty()) {
    ordered_json replicas = ordered_json::array();
    for (const ReplicaRequests& r : rs.replicas)
      replicas.push_back({{"endpoint", r.endpoint}, {"answered", r.answered}, {"tries", r.tries},
                          {"failed_tries", r.failed_tries}, {"down", r.down}});
    requests["replicas"] = std::move(replicas);
  }
  out += fmt::format("  \"requests\": {},\n", json_text(requests));
  out += "  \"benches\": {";
  for (std::size_t b = 0; b < run.benches.size(); ++b) {
    const BenchRecord& bench = run.benches[b];
    out += b == 0 ? "\n" : ",\n";
    out += fmt::format("    {}: {{\n", json_text(json(bench.name)));
    out += fmt::format("      \"settings\": {},\n", json_text(settings_to_json(bench.settings)));
    out += fmt::format("      \"dataset_sha256\": {},\n", json_text(json(bench.dataset_sha256)));
    out += fmt::format("      \"summary\": {},\n", json_text(summary_to_json(summarize(bench))));
    if (bench.repeats > 1) out += fmt::format("      \"repeats\": {},\n", bench.repeats);
    if (run.config.shard) out += fmt::format("      \"unsharded_items\": {},\n", bench.unsharded_items);
    if (bench.stopped_early) {
      const EarlyStop& stop = *bench.stopped_early;
      const ordered_json early = {{"items_graded", stop.items_graded},
                                  {"requests_saved", stop.requests_saved},
                                  {"e_value", stop.e_value},
                                  {"threshold", stop.threshold}};
      out += fmt::format("      \"stopped_early\": {},\n", json_text(early));
    }
    if (!bench.traits.empty()) {
      ordered_json traits = ordered_json::array();
      for (const TraitGate& t : bench.traits) traits.push_back({{"id", t.id}, {"name", t.name}, {"gate", t.gate}});
      out += fmt::format("      \"traits\": {},\n", json_text(traits));
    }
    out += "      \"items\": [";
    for (std::size_t i = 0; i < bench.items.size(); ++i) {
      out += i == 0 ? "\n        " : ",\n        ";
      out += item_line(bench.items[i]);
    }
    out += bench.items.empty() ? "]\n" : "\n      ]\n";
    out += "    }";
  }
  out += run.benches.empty() ? "}\n" : "\n  }\n";
  out += "}\n";
  return out;
}

Result<RunFile> parse_run_file(const std::string& text, const std::string& origin) {
  // simdjson's tape first: no allocation per value, several times faster on a
  // standard-tier file. Whatever it rejects goes to nlohmann, whose errors say
  // where (and which accepts what it does, e.g. an integer beyond 64 bits).
  {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(text.data(), text.size()).get(doc) == simdjson::SUCCESS)
      return run_file_at(SimdjsonView(doc), origin);
  }
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
      return Status::BadInput(origin + ": empty file, not a qdrift run file");
    // A checkpoint (engine/checkpoint.h) begins with its header line: say what it is.
    if (text.rfind("{\"checkpoint\":", 0) == 0) return unfinished_run(origin);
    const bool at_end = e.byte > text.size();  // nlohmann counts the end of input as size + 1
    return Status::BadInput(fmt::format("{}: {} at {}", origin,
                                        at_end ? "truncated JSON (ends early)" : "not valid JSON",
                                        position_of(text, e.byte == 0 ? 0 : e.byte - 1)));
  } catch (const json::exception& e) {  // out_of_range 406: a number too large for a double
    return Status::BadInput(fmt::format("{}: not valid JSON: {}", origin, json_error_text(e)));
  }
  return run_file_at(NlohmannView(doc), origin);
}

Result<RunFile> load_run_file(const std::string& path) {
  auto text = read_file(path);
  if (!text.ok()) return text.status();
  return parse_run_file(*text, path);
}

}  // namespace qdrift
