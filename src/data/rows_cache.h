// The on-disk cache of pulled rows: one versioned JSON file per source under
// <cache_dir>/datasets/<owner>/<name>/<config>/<split>.json, written atomically
// and verified (schema, source, row count, sha256) every time it is read.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "qdrift/dataset.h"
#include "qdrift/status.h"

namespace qdrift {

inline constexpr int kRowsCacheSchema = 1;  // bump when the file layout changes

// The cache file for `source`; an error when a name could escape the cache
// directory ("..", a slash in a config or split, control characters).
Result<std::string> rows_cache_path(const std::string& cache_dir, const DatasetSource& source);

struct CachedRows {
  std::vector<nlohmann::json> rows;
  std::string sha256;
  std::string fetched_at;
};

// Writes {"schema","source","fetched_at","num_rows","sha256","rows"}, one row
// per line so a person can read and diff it.
Status write_rows_cache(const std::string& path, const DatasetSource& source, const std::vector<nlohmann::json>& rows,
                        const std::string& fetched_at);

// "qdrift data pull --bench gsm8k" (or without --bench when the source has no
// bench): what the user runs to fill or repair the cache.
std::string pull_command(const DatasetSource& source);

// Reads and verifies a cache file. Any problem is one line naming the file and
// advising a re-pull; a missing file is kBadInput too (callers check first).
Result<CachedRows> read_rows_cache(const std::string& path, const DatasetSource& source);

}  // namespace qdrift
