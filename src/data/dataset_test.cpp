// load_rows / pull_rows / cache_status end to end against a fake viewer: a pull
// fills the cache, a later load reads it without any request, a damaged cache
// is an error, --data-dir wins, and allow_network=false says what to run.
#include "qdrift/dataset.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "data/rows_cache.h"
#include "fake_viewer.h"
#include "process.h"
#include "util/files.h"

using namespace qdrift;
using nlohmann::json;
using qdrift::testing::FakeViewer;
using qdrift::testing::TempDir;

namespace {

DatasetSource toy_source() {
  DatasetSource source;
  source.bench = "toy";
  source.dataset = "acme/toy-set";
  source.config = "main";
  source.split = "test";
  source.local_file = "toy/test.jsonl";
  return source;
}

DataOptions options_for(const FakeViewer& viewer, const TempDir& cache) {
  DataOptions options;
  options.base_url = viewer.base_url();
  options.cache_dir = cache.path();
  options.retry.initial_backoff_s = 0.01;
  options.retry.max_attempts = 2;
  return options;
}

}  // namespace

TEST_CASE("load pulls once then reads the cache without contacting the server", "[dataset]") {
  FakeViewer viewer(130);
  TempDir cache;
  DataOptions options = options_for(viewer, cache);

  auto first = load_rows(toy_source(), options);
  REQUIRE(first.ok());
  CHECK(first->origin == RowsOrigin::kNetwork);
  CHECK(first->rows.size() == 130);
  CHECK(first->location == viewer.base_url() + "/rows?dataset=acme%2Ftoy-set&config=main&split=test");
  const std::size_t requests_after_pull = viewer.requests().size();
  CHECK(requests_after_pull == 2);

  auto second = load_rows(toy_source(), options);
  REQUIRE(second.ok());
  CHECK(second->origin == RowsOrigin::kCache);
  CHECK(second->location == cache.path() + "/datasets/acme/toy-set/main/test.json");
  CHECK(second->rows == first->rows);
  CHECK(second->sha256 == first->sha256);
  CHECK(viewer.requests().size() == requests_after_pull);  // the cache hit made no request

  CacheStatus status = cache_status(toy_source(), options);
  CHECK(status.present);
  CHECK(status.valid);
  CHECK(status.rows == 130);
  CHECK(status.sha256 == first->sha256);
  CHECK(status.fetched_at.size() == 20);  // 2026-01-02T03:04:05Z

  auto refreshed = pull_rows(toy_source(), options);  // pull always goes to the network
  REQUIRE(refreshed.ok());
  CHECK(viewer.requests().size() == 2 * requests_after_pull);
}

TEST_CASE("load with a corrupted cache file is a one-line error and no request", "[dataset]") {
  FakeViewer viewer(20);
  TempDir cache;
  DataOptions options = options_for(viewer, cache);
  REQUIRE(pull_rows(toy_source(), options).ok());
  const std::string path = cache.path() + "/datasets/acme/toy-set/main/test.json";
  std::string text = *read_file(path);
  text.replace(text.find("row 7"), 5, "row 8");
  REQUIRE(write_file_atomically(path, text).ok());

  auto loaded = load_rows(toy_source(), options);
  REQUIRE_FALSE(loaded.ok());
  CHECK(
      loaded.status().message() ==
      path +
          ": sha256 mismatch (the file was changed or damaged); run `qdrift data pull --bench toy` to fetch it again");
  CHECK(viewer.requests().size() == 1);  // only the pull

  CacheStatus status = cache_status(toy_source(), options);
  CHECK(status.present);
  CHECK_FALSE(status.valid);
  CHECK(status.problem == loaded.status().message());
}

TEST_CASE("load without network and without cache says what to run", "[dataset]") {
  TempDir cache;
  DataOptions options;
  options.cache_dir = cache.path();
  options.allow_network = false;
  auto loaded = load_rows(toy_source(), options);
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().message() ==
        "acme/toy-set (main/test): not cached; run `qdrift data pull --bench toy` or pass --data-dir DIR "
        "(holding toy/test.jsonl)");
  CHECK_FALSE(cache_status(toy_source(), options).present);
}

TEST_CASE("load prefers a data-dir file and falls through to the cache without one", "[dataset]") {
  FakeViewer viewer(5);
  TempDir cache;
  TempDir data;
  DataOptions options = options_for(viewer, cache);
  options.data_dir = data.path();
  options.allow_network = false;

  qdrift::testing::write_text(data.file("test.jsonl"), "{\"q\":\"flat\"}\n");  // the flat layout
  auto flat = load_rows(toy_source(), options);
  REQUIRE(flat.ok());
  CHECK(flat->origin == RowsOrigin::kDataDir);
  CHECK(flat->location == data.file("test.jsonl"));
  CHECK(flat->rows.size() == 1);

  REQUIRE(ensure_parent_dir(data.file("toy/test.jsonl")).ok());
  qdrift::testing::write_text(data.file("toy/test.jsonl"), "{\"q\":\"a\"}\n\n{\"q\":\"b\"}\n");  // as declared
  auto declared = load_rows(toy_source(), options);
  REQUIRE(declared.ok());
  CHECK(declared->location == data.file("toy/test.jsonl"));
  CHECK(declared->rows.size() == 2);
  CHECK(declared->sha256 == rows_sha256({json{{"q", "a"}}, json{{"q", "b"}}}));

  DatasetSource csv = toy_source();
  csv.local_file = "toy/test.csv";
  csv.local_format = LocalFormat::kCsv;
  qdrift::testing::write_text(data.file("toy/test.csv"), "q,a\n\"x,\ny\",1\nbad\n");
  auto broken = load_rows(csv, options);
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.status().message() == data.file("toy/test.csv") + ":4: 1 fields, but the header has 2");

  DatasetSource elsewhere = toy_source();
  elsewhere.local_file = "other/file.jsonl";
  options.allow_network = true;
  auto fallen = load_rows(elsewhere, options);  // not in the data dir: cache, then network
  REQUIRE(fallen.ok());
  CHECK(fallen->origin == RowsOrigin::kNetwork);
  CHECK(origin_name(fallen->origin) == std::string("network"));
}

TEST_CASE("environment defaults for cache viewer hub and token", "[dataset]") {
  // setenv affects the whole process; restore what was there.
  auto with_env = [](const char* name, const char* value, auto check) {
    const char* old = std::getenv(name);
    std::string saved = old ? old : "";
    if (value)
      ::setenv(name, value, 1);
    else
      ::unsetenv(name);
    check();
    if (old)
      ::setenv(name, saved.c_str(), 1);
    else
      ::unsetenv(name);
  };
  with_env("XDG_CACHE_HOME", "/xdg", [] { CHECK(default_cache_dir() == "/xdg/qdrift"); });
  with_env("XDG_CACHE_HOME", "relative", [] { CHECK(default_cache_dir() != "relative/qdrift"); });
  with_env("XDG_CACHE_HOME", nullptr,
           [&] { with_env("HOME", "/home/u", [] { CHECK(default_cache_dir() == "/home/u/.cache/qdrift"); }); });
  with_env("QDRIFT_HF_ROWS_URL", "http://127.0.0.1:9/", [] { CHECK(default_rows_base_url() == "http://127.0.0.1:9"); });
  with_env("QDRIFT_HF_ROWS_URL", nullptr, [&] {
    with_env("HF_ENDPOINT", "https://mirror.example", [] {
      CHECK(default_rows_base_url() == "https://datasets-server.huggingface.co");  // a Hub mirror is not a viewer
      CHECK(default_hub_url() == "https://mirror.example");
    });
  });
  with_env("HF_TOKEN", "hf_abc", [] { CHECK(default_hf_token() == "hf_abc"); });
}
