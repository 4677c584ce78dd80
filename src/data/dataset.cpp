// load_rows / pull_rows / cache_status: the order in which rows are looked for
// (data dir, cache, network) and the environment defaults the CLI passes in.
#include "qdrift/dataset.h"

#include <fmt/format.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "data/hf_rows.h"
#include "data/local_files.h"
#include "data/rows_cache.h"
#include "util/clock.h"
#include "util/files.h"

namespace qdrift {

namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string cache_root(const DataOptions& options) {
  return options.cache_dir.empty() ? default_cache_dir() : options.cache_dir;
}

std::string split_label(const DatasetSource& source) {
  return fmt::format("{} ({}/{})", source.dataset, source.config, source.split);
}

}  // namespace

const char* origin_name(RowsOrigin origin) {
  switch (origin) {
    case RowsOrigin::kDataDir:
      return "data-dir";
    case RowsOrigin::kCache:
      return "cache";
    case RowsOrigin::kNetwork:
      return "network";
  }
  return "unknown";
}

std::string default_cache_dir() {
  // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
  if (std::string xdg = env("XDG_CACHE_HOME"); !xdg.empty() && xdg.front() == '/') return xdg + "/qdrift";
  if (std::string home = env("HOME"); !home.empty()) return home + "/.cache/qdrift";
  return "";
}

std::string default_rows_base_url() {
  std::string url = without_trailing_slash(env("QDRIFT_HF_ROWS_URL"));
  return url.empty() ? kDefaultRowsBaseUrl : url;
}

std::string default_hub_url() {
  std::string url = without_trailing_slash(env("HF_ENDPOINT"));
  return url.empty() ? kDefaultHubUrl : url;
}

std::string default_hf_token() { return env("HF_TOKEN"); }

Result<LoadedRows> pull_rows(const DatasetSource& source, const DataOptions& options) {
  if (!options.allow_network) {
    return Status::Usage(fmt::format("{}: pulling needs the network, which is switched off", split_label(source)));
  }
  Result<std::string> path = rows_cache_path(cache_root(options), source);
  if (!path.ok()) return path.status();
  Result<std::vector<nlohmann::json>> rows = fetch_viewer_rows(source, options);
  if (!rows.ok()) return rows.status();
  QDRIFT_TRY(write_rows_cache(*path, source, *rows, utc_now("%Y-%m-%dT%H:%M:%SZ")));
  LoadedRows loaded;
  loaded.sha256 = rows_sha256(*rows);
  loaded.rows = std::move(rows).value();
  loaded.origin = RowsOrigin::kNetwork;
  const std::string base = options.base_url.empty() ? kDefaultRowsBaseUrl : options.base_url;
  const std::string first_page = rows_page_url(base, source, 0, kRowsPageLength);
  loaded.location = first_page.substr(0, first_page.find("&offset="));
  return loaded;
}

Result<LoadedRows> load_rows(const DatasetSource& source, const DataOptions& options) {
  if (std::optional<std::string> file = find_local_file(options.data_dir, source)) {
    Result<std::vector<nlohmann::json>> rows = read_local_rows(*file, source.local_format);
    if (!rows.ok()) return rows.status();
    LoadedRows loaded;
    loaded.sha256 = rows_sha256(*rows);
    loaded.rows = std::move(rows).value();
    loaded.origin = RowsOrigin::kDataDir;
    loaded.location = *file;
    return loaded;
  }
  Result<std::string> path = rows_cache_path(cache_root(options), source);
  if (!path.ok()) return path.status();
  if (file_exists(*path)) {
    // A damaged cache is an error, not a miss: quietly re-downloading would hide
    // that the pinned rows changed under the user.
    Result<CachedRows> cached = read_rows_cache(*path, source);
    if (!cached.ok()) return cached.status();
    LoadedRows loaded;
    loaded.rows = std::move(cached->rows);
    loaded.sha256 = std::move(cached->sha256);
    loaded.origin = RowsOrigin::kCache;
    loaded.location = *path;
    return loaded;
  }
  if (!options.allow_network) {
    std::string local_hint = source.local_file.empty() ? "" : fmt::format(" (holding {})", source.local_file);
    return Status::BadInput(fmt::format("{}: not cached; run `{}` or pass --data-dir DIR{}", split_label(source),
                                        pull_command(source), local_hint));
  }
  return pull_rows(source, options);
}

CacheStatus cache_status(const DatasetSource& source, const DataOptions& options) {
  CacheStatus status;
  Result<std::string> path = rows_cache_path(cache_root(options), source);
  if (!path.ok()) {
    status.problem = path.status().message();
    return status;
  }
  status.path = *path;
  status.present = file_exists(*path);
  if (!status.present) return status;
  Result<CachedRows> cached = read_rows_cache(*path, source);
  if (!cached.ok()) {
    status.problem = cached.status().message();
    return status;
  }
  status.valid = true;
  status.rows = static_cast<std::int64_t>(cached->rows.size());
  status.sha256 = cached->sha256;
  status.fetched_at = cached->fetched_at;
  return status;
}

}  // namespace qdrift
