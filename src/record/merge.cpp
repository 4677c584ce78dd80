// Joining shard files: every check first (in the order of the header comment),
// then the whole run assembled from them.
#include "record/merge.h"

#include <algorithm>
#include <set>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "record/shard.h"
#include "util/json_text.h"

namespace qdrift {

namespace {

using nlohmann::ordered_json;

Status refuse(const ShardFile& file, const std::string& cause) {
  return Status::BadInput(fmt::format("{}: {}", file.path, cause));
}

// "model is \"b\", not \"a\" as in a.json": a run-level field that must match.
template <typename T>
Status same_field(const ShardFile& file, const ShardFile& reference, const char* field, const T& value,
                  const T& expected) {
  if (value == expected) return Status::Ok();
  return refuse(file,
                fmt::format("{} is {}, not {} as in {}: shards of one run must agree", field,
                            json_text(nlohmann::json(value)), json_text(nlohmann::json(expected)), reference.path));
}

std::string bench_names(const RunFile& run) {
  std::string names;
  for (const BenchRecord& bench : run.benches) names += (names.empty() ? "" : ",") + bench.name;
  return names;
}

// The first setting (as the run file writes them) that differs, "" when none.
std::string settings_difference(const BenchSettings& settings, const BenchSettings& expected) {
  const ordered_json a = settings_to_json(settings), b = settings_to_json(expected);
  for (const auto& [key, value] : b.items())
    if (!a.contains(key) || a[key] != value)
      return fmt::format("{} is {}, not {}", key, a.contains(key) ? json_text(a[key]) : "absent", json_text(value));
  for (const auto& [key, value] : a.items())
    if (!b.contains(key)) return fmt::format("{} is {}, not absent", key, json_text(value));
  return "";
}

Status same_bench(const ShardFile& file, const BenchRecord& bench, const ShardFile& reference,
                  const BenchRecord& expected) {
  const auto differs = [&](const std::string& what) {
    return refuse(file, fmt::format("{}: {} as in {}: shards of one run must agree", bench.name, what, reference.path));
  };
  if (std::string difference = settings_difference(bench.settings, expected.settings); !difference.empty())
    return differs("settings." + difference);
  if (bench.dataset_sha256 != expected.dataset_sha256)
    return differs(fmt::format("dataset_sha256 is {}, not {}", bench.dataset_sha256, expected.dataset_sha256));
  if (bench.repeats != expected.repeats)
    return differs(fmt::format("repeats is {}, not {}", bench.repeats, expected.repeats));
  if (bench.unsharded_items != expected.unsharded_items)
    return differs(fmt::format("unsharded_items is {}, not {}", bench.unsharded_items, expected.unsharded_items));
  const auto gates = [](const BenchRecord& b) {
    std::vector<std::tuple<std::string, std::string, double>> out;
    for (const TraitGate& t : b.traits) out.emplace_back(t.id, t.name, t.gate);
    return out;
  };
  if (gates(bench) != gates(expected)) return differs("traits differ");
  return Status::Ok();
}

// Everything run-level and per bench that must be equal to the first file's.
Status same_run(const ShardFile& file, const ShardFile& reference) {
  const RunFile& run = file.run;
  const RunFile& expected = reference.run;
  QDRIFT_TRY(same_field(file, reference, "kind", run.kind, expected.kind));
  QDRIFT_TRY(same_field(file, reference, "model", run.model, expected.model));
  QDRIFT_TRY(same_field(file, reference, "server", run.server, expected.server));
  QDRIFT_TRY(same_field(file, reference, "qdrift_version", run.qdrift_version, expected.qdrift_version));
  QDRIFT_TRY(same_field(file, reference, "config.tier", run.config.tier, expected.config.tier));
  QDRIFT_TRY(same_field(file, reference, "config.seed", run.config.seed, expected.config.seed));
  QDRIFT_TRY(same_field(file, reference, "config.limit", run.config.limit, expected.config.limit));
  QDRIFT_TRY(same_field(file, reference, "the shard count", run.config.shard->count, expected.config.shard->count));
  QDRIFT_TRY(same_field(file, reference, "the bench set", bench_names(run), bench_names(expected)));
  for (std::size_t b = 0; b < run.benches.size(); ++b)
    QDRIFT_TRY(same_bench(file, run.benches[b], reference, expected.benches[b]));
  return Status::Ok();
}

// What makes one file a complete shard on its own.
Status whole_shard(const ShardFile& file) {
  if (!file.run.config.shard)
    return refuse(file, "not a shard (its config has no 'shard'): only files of `run --shard I/N` are merged");
  for (const BenchRecord& bench : file.run.benches) {
    if (bench.stopped_early) return refuse(file, fmt::format("{} stopped early: the shard is incomplete", bench.name));
    const auto samples = static_cast<std::size_t>(bench.settings.samples) * static_cast<std::size_t>(bench.repeats);
    for (const ItemRecord& item : bench.items) {
      if (!item.position)
        return refuse(
            file, fmt::format("{} item '{}' has no 'position': not a shard file of this qdrift", bench.name, item.id));
      if (*item.position >= bench.unsharded_items)
        return refuse(file, fmt::format("{} item '{}' is at position {} of a bench of {} items", bench.name, item.id,
                                        *item.position, bench.unsharded_items));
      if (item.samples.size() != samples)
        return refuse(file, fmt::format("{} item '{}' has {} of its {} samples: the shard is incomplete", bench.name,
                                        item.id, item.samples.size(), samples));
      if (!in_shard(*file.run.config.shard, bench.name, item.id))
        return refuse(
            file, fmt::format("{} item '{}' belongs to shard {}, not {} (an item of another shard's file)", bench.name,
                              item.id, shard_of(bench.name, item.id, file.run.config.shard->count),
                              shard_name(*file.run.config.shard)));
    }
  }
  return Status::Ok();
}

// Each shard index exactly once; returns the files in shard order.
Result<std::vector<const ShardFile*>> by_index(const std::vector<ShardFile>& shards) {
  const int count = shards.front().run.config.shard->count;
  std::vector<const ShardFile*> ordered(static_cast<std::size_t>(count), nullptr);
  for (const ShardFile& file : shards) {
    const ShardFile*& slot = ordered[static_cast<std::size_t>(file.run.config.shard->index)];
    if (slot)
      return refuse(file, fmt::format("shard {} again (also {}): give each shard once",
                                      shard_name(*file.run.config.shard), slot->path));
    slot = &file;
  }
  for (int index = 0; index < count; ++index)
    if (!ordered[static_cast<std::size_t>(index)]) {
      std::string given;
      for (const ShardFile& file : shards)
        given += fmt::format("{}{} ({})", given.empty() ? "" : ", ", file.path, shard_name(*file.run.config.shard));
      return Status::BadInput(fmt::format("shard {}/{} is missing: every shard 0 to {} is needed; given {}", index,
                                          count, count - 1, given));
    }
  return ordered;
}

// One bench's items from every shard, in the whole run's order. whole_shard()
// has put each item in its own shard's file, so no id comes twice; a position
// taken twice would mean an edited file.
Result<BenchRecord> merged_bench(const std::vector<const ShardFile*>& ordered, std::size_t b) {
  BenchRecord bench = ordered.front()->run.benches[b];
  bench.items.clear();
  std::vector<std::tuple<std::int64_t, const ItemRecord*, const ShardFile*>> placed;
  for (const ShardFile* file : ordered)
    for (const ItemRecord& item : file->run.benches[b].items) placed.emplace_back(*item.position, &item, file);
  std::sort(placed.begin(), placed.end(), [](const auto& x, const auto& y) { return std::get<0>(x) < std::get<0>(y); });
  std::vector<std::int64_t> missing;
  std::int64_t next = 0;
  for (const auto& [position, item, file] : placed) {
    if (position < next)
      return refuse(*file, fmt::format("{} item '{}' is at position {}, where another shard has an item", bench.name,
                                       item->id, position));
    for (; next < position; ++next) missing.push_back(next);
    next = position + 1;
    ItemRecord whole = *item;
    whole.position.reset();
    bench.items.push_back(std::move(whole));
  }
  for (; next < bench.unsharded_items; ++next) missing.push_back(next);
  if (!missing.empty()) {
    std::string positions;
    for (std::size_t i = 0; i < missing.size() && i < 5; ++i)
      positions += fmt::format("{}{}", i ? ", " : "", missing[i]);
    return Status::BadInput(
        fmt::format("{}: {} of its {} items are in none of the shard files (positions {}{}): a "
                    "shard file is incomplete",
                    bench.name, missing.size(), bench.unsharded_items, positions, missing.size() > 5 ? ", ..." : ""));
  }
  bench.unsharded_items = 0;
  return bench;
}

// A shard's count for one replica, added to the one of the same endpoint
// (shards of one job often share their servers), or listed after the others.
void add_replica(std::vector<ReplicaRequests>& replicas, const ReplicaRequests& replica) {
  const auto same = std::find_if(replicas.begin(), replicas.end(),
                                 [&](const ReplicaRequests& r) { return r.endpoint == replica.endpoint; });
  if (same == replicas.end()) {
    replicas.push_back(replica);
    return;
  }
  same->answered += replica.answered;
  same->tries += replica.tries;
  same->failed_tries += replica.failed_tries;
  same->down = same->down || replica.down;
}

RequestStats summed(const std::vector<const ShardFile*>& ordered) {
  RequestStats total;
  for (const ShardFile* file : ordered) {
    const RequestStats& s = file->run.request_stats;
    total.requests += s.requests;
    total.retries += s.retries;
    total.unusable_bodies += s.unusable_bodies;
    for (const auto& [reason, count] : s.unusable_reasons) total.unusable_reasons[reason] += count;
    for (const ReplicaRequests& replica : s.replicas) add_replica(total.replicas, replica);
  }
  return total;
}

}  // namespace

Result<MergedRun> merge_shards(const std::vector<ShardFile>& shards) {
  if (shards.empty()) return Status::Usage("merge needs the shard files of one run");
  for (const ShardFile& file : shards) QDRIFT_TRY(whole_shard(file));
  for (const ShardFile& file : shards) QDRIFT_TRY(same_run(file, shards.front()));
  auto ordered = by_index(shards);
  if (!ordered.ok()) return ordered.status();

  const RunFile& first = ordered->front()->run;  // shard 0
  MergedRun merged;
  RunFile& run = merged.run;
  run = first;
  run.benches.clear();
  run.config.shard.reset();
  // The whole run finished when its last shard did (ISO 8601 UTC sorts as text).
  for (const ShardFile* file : *ordered) run.created_at = std::max(run.created_at, file->run.created_at);
  run.request_stats = summed(*ordered);
  for (std::size_t b = 0; b < first.benches.size(); ++b) {
    auto bench = merged_bench(*ordered, b);
    if (!bench.ok()) return bench.status();
    run.benches.push_back(std::move(bench).value());
  }
  std::set<std::string> endpoints;
  for (const ShardFile* file : *ordered) endpoints.insert(file->run.endpoint);
  if (endpoints.size() > 1)
    merged.notes.push_back(fmt::format("the shards asked {} endpoints; the merged file names shard 0's ({})",
                                       endpoints.size(), first.endpoint));
  return merged;
}

}  // namespace qdrift
