// Where a bench's rows come from. A dataset is a list of rows (JSON objects)
// named by a DatasetSource; load_rows() finds them in a local --data-dir file,
// then in the cache, then (when allowed) on the Hugging Face dataset viewer,
// and says which it used and the sha256 of the rows, so run files can pin them.
// Only json_fwd.hpp is included here: code that touches the rows (or creates a
// LoadedRows) includes <nlohmann/json.hpp> itself.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "qdrift/http_pool.h"
#include "qdrift/status.h"

namespace qdrift {

// How a local file under --data-dir is laid out.
enum class LocalFormat {
  kJsonl,  // one JSON object per line (gsm8k, MMLU-Pro, HumanEval, IFEval, MathArena files)
  kCsv,    // RFC 4180 with a header row (the GPQA CSV published with simple-evals)
};

struct DatasetSource {
  std::string bench;       // the bench that reads it, for messages ("gsm8k")
  std::string dataset;     // HF repo id ("openai/gsm8k")
  std::string config;      // viewer config ("main")
  std::string split;       // viewer split ("test")
  std::string local_file;  // path under --data-dir ("gsm8k/test.jsonl"); "" = no local form
  LocalFormat local_format = LocalFormat::kJsonl;
};

enum class RowsOrigin { kDataDir, kCache, kNetwork };
const char* origin_name(RowsOrigin origin);  // "data-dir", "cache", "network"

struct LoadedRows {
  std::vector<nlohmann::json> rows;  // JSON objects, in the dataset's order
  RowsOrigin origin = RowsOrigin::kCache;
  std::string location;  // the file read, or the viewer URL the rows came from
  std::string sha256;    // rows_sha256(rows)
};

// Called after each page of a pull: rows fetched so far and the split's size.
using PullProgressFn = std::function<void(std::int64_t rows_done, std::int64_t rows_total)>;

struct DataOptions {
  std::string data_dir;            // --data-dir; "" = do not look for local files
  std::string cache_dir;           // "" = default_cache_dir()
  bool allow_network = true;       // false: a load that is not cached (nor local) fails
  std::string token;               // HF token, sent only as "Authorization: Bearer"; never logged
  std::string base_url;            // dataset viewer root; "" = kDefaultRowsBaseUrl
  std::string hub_url;             // Hub root, for links in messages; "" = kDefaultHubUrl
  int concurrency = 4;             // pages in flight during a pull; the viewer rate-limits
  double request_timeout_s = 120;  // one page, one try
  RetryPolicy retry;               // 429 / 5xx / dropped connections (Retry-After honoured)
  PullProgressFn on_progress;      // may be empty
  bool verbose = false;            // -v: dump each viewer request and answer (the token redacted)
};

inline constexpr const char* kDefaultRowsBaseUrl = "https://datasets-server.huggingface.co";
inline constexpr const char* kDefaultHubUrl = "https://huggingface.co";

// Local file, else cache, else (when allowed) a pull that also fills the cache.
// A --data-dir without the bench's file falls through to the cache: origin says
// which was used. A cache file that fails verification is an error, not a miss.
Result<LoadedRows> load_rows(const DatasetSource& source, const DataOptions& options);

// Always fetches from the viewer and atomically replaces the cache file.
Result<LoadedRows> pull_rows(const DatasetSource& source, const DataOptions& options);

// What the cache holds for a source, for `qdrift data list`. Never touches the network.
struct CacheStatus {
  std::string path;        // where the cache file is (or would be)
  bool present = false;    // the file exists
  bool valid = false;      // it loads and verifies
  std::int64_t rows = 0;   // when valid
  std::string sha256;      // when valid
  std::string fetched_at;  // when valid: UTC time of the pull, ISO 8601
  std::string problem;     // when present but not valid: the one-line reason
};
CacheStatus cache_status(const DatasetSource& source, const DataOptions& options);

// sha256 of the rows' canonical form: each row as compact JSON with sorted keys,
// one per line. Rows from a CSV (all strings) and from the viewer (typed cells)
// hash differently even when they say the same thing.
std::string rows_sha256(const std::vector<nlohmann::json>& rows);

// Defaults the CLI reads from the environment and passes in DataOptions.
// Cache: $XDG_CACHE_HOME/qdrift, else $HOME/.cache/qdrift.
std::string default_cache_dir();
// Viewer root: $QDRIFT_HF_ROWS_URL, else kDefaultRowsBaseUrl. HF_ENDPOINT is not
// used: it names the Hub (or a Hub mirror), and the viewer is a separate service
// that Hub mirrors do not generally proxy.
std::string default_rows_base_url();
// Hub root: $HF_ENDPOINT (as huggingface_hub reads it), else kDefaultHubUrl.
// Only used to point at the dataset's page when it is gated.
std::string default_hub_url();
// $HF_TOKEN, or "".
std::string default_hf_token();

}  // namespace qdrift
