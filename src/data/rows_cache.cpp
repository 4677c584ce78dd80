// Cache files for pulled rows: path rules, atomic writes, verified reads.
#include "data/rows_cache.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "util/files.h"
#include "util/hash.h"

namespace qdrift {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// A dataset, config or split name becomes a path component: refuse anything that
// could climb out of the cache or make an unreadable name.
bool safe_component(std::string_view name) {
  if (name.empty() || name == "." || name == "..") return false;
  for (char c : name) {
    if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
  }
  return true;
}

std::string source_label(const DatasetSource& source) {
  return fmt::format("{} ({}/{})", source.dataset, source.config, source.split);
}

template <typename Json>
Json source_json(const DatasetSource& source) {
  return {{"dataset", source.dataset}, {"config", source.config}, {"split", source.split}};
}

}  // namespace

std::string rows_sha256(const std::vector<json>& rows) {
  // nlohmann::json keeps object keys sorted, so dump() is canonical.
  std::string canonical;
  for (const json& row : rows) {
    canonical += row.dump(-1, ' ', false, json::error_handler_t::replace);
    canonical += '\n';
  }
  return sha256_hex(canonical);
}

std::string pull_command(const DatasetSource& source) {
  return source.bench.empty() ? "qdrift data pull" : "qdrift data pull --bench " + source.bench;
}

Result<std::string> rows_cache_path(const std::string& cache_dir, const DatasetSource& source) {
  const std::size_t slash = source.dataset.find('/');
  const bool dataset_ok = slash == std::string::npos ? safe_component(source.dataset)
                                                     : safe_component(source.dataset.substr(0, slash)) &&
                                                           safe_component(source.dataset.substr(slash + 1));
  if (!dataset_ok || !safe_component(source.config) || !safe_component(source.split)) {
    return Status::BadInput(
        fmt::format("dataset source {} has a name that cannot be a cache path", source_label(source)));
  }
  if (cache_dir.empty()) return Status::Usage("no cache directory (set XDG_CACHE_HOME or HOME)");
  return fmt::format("{}/datasets/{}/{}/{}.json", cache_dir, source.dataset, source.config, source.split);
}

Status write_rows_cache(const std::string& path, const DatasetSource& source, const std::vector<json>& rows,
                        const std::string& fetched_at) {
  ordered_json head = {{"schema", kRowsCacheSchema},
                       {"source", source_json<ordered_json>(source)},
                       {"fetched_at", fetched_at},
                       {"num_rows", rows.size()},
                       {"sha256", rows_sha256(rows)}};
  std::string text = head.dump();
  text.pop_back();  // reopen the object to append the rows one per line
  text += ",\"rows\":[";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    text += i == 0 ? "\n" : ",\n";
    text += rows[i].dump(-1, ' ', false, json::error_handler_t::replace);
  }
  text += "\n]}\n";
  return write_file_atomically(path, text);
}

Result<CachedRows> read_rows_cache(const std::string& path, const DatasetSource& source) {
  const std::string advice = fmt::format("run `{}` to fetch it again", pull_command(source));
  auto bad = [&](std::string_view what) { return Status::BadInput(fmt::format("{}: {}; {}", path, what, advice)); };
  Result<std::string> text = read_file(path);
  if (!text.ok()) return text.status();
  json file;
  try {
    file = json::parse(*text);
  } catch (const json::parse_error& e) {
    return bad(fmt::format("damaged cache file (not JSON: byte {})", e.byte));
  } catch (const json::exception&) {  // out_of_range 406: a number too large for a double
    return bad("damaged cache file (a number out of range)");
  }
  if (!file.is_object() || !file.contains("schema") || !file["schema"].is_number_integer()) {
    return bad("not a qdrift dataset cache file (no schema)");
  }
  const auto schema = file["schema"].get<std::int64_t>();
  if (schema > kRowsCacheSchema) {
    return bad(fmt::format("written by a newer qdrift (schema {}, this build reads {})", schema, kRowsCacheSchema));
  }
  if (schema < kRowsCacheSchema) return bad(fmt::format("schema {} is too old", schema));
  if (file.value("source", json()) != source_json<json>(source)) {
    return bad(fmt::format("holds {} rather than {}", file.value("source", json()).dump(), source_label(source)));
  }
  auto rows = file.find("rows");
  if (rows == file.end() || !rows->is_array() || !file.value("sha256", json()).is_string() ||
      !file.value("num_rows", json()).is_number_unsigned()) {
    return bad("damaged cache file (rows, num_rows or sha256 missing)");
  }
  if (file["num_rows"].get<std::size_t>() != rows->size()) {
    return bad(
        fmt::format("damaged cache file (num_rows {} but {} rows)", file["num_rows"].get<std::size_t>(), rows->size()));
  }
  CachedRows cached;
  cached.rows.reserve(rows->size());
  for (json& row : *rows) {
    if (!row.is_object()) return bad("damaged cache file (a row is not an object)");
    cached.rows.push_back(std::move(row));
  }
  cached.sha256 = rows_sha256(cached.rows);
  if (cached.sha256 != file["sha256"].get<std::string>()) {
    return bad("sha256 mismatch (the file was changed or damaged)");
  }
  cached.fetched_at = file.value("fetched_at", "");
  return cached;
}

}  // namespace qdrift
