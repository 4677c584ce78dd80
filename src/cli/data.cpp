// `qdrift data pull` and `qdrift data list`: fill and inspect the dataset cache
// so later runs (and CI) never touch the network for their items.
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "data/local_files.h"
#include "qdrift/bench.h"

namespace qdrift::cli {

namespace {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!part.empty()) out.push_back(part);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// The dataset benches asked for, or all of them.
Result<std::vector<const Bench*>> chosen_benches(const std::string& list) {
  std::vector<const Bench*> benches;
  if (list.empty()) {
    for (const Bench* bench : all_benches())
      if (!bench->sources().empty()) benches.push_back(bench);
    return benches;
  }
  for (const std::string& name : split_list(list)) {
    const Bench* bench = find_bench(name);
    if (!bench) return Status::Usage(fmt::format("unknown bench '{}' (see `qdrift data list`)", name));
    if (bench->sources().empty())
      return Status::Usage(fmt::format("{} generates its items: it has no dataset to pull", name));
    benches.push_back(bench);
  }
  return benches;
}

// A custom bench's own data file: its local_file is an absolute path.
bool own_file(const DatasetSource& s) { return s.dataset.empty() && std::filesystem::path(s.local_file).is_absolute(); }

std::string source_name(const DatasetSource& s) {
  if (own_file(s)) return "(its spec's data file)";
  return s.dataset.empty() ? "(local file only)" : fmt::format("{} {}/{}", s.dataset, s.config, s.split);
}

// The token and URLs from the environment, before flags are parsed.
void set_data_defaults(DataCommandOptions& o) {
  o.data.token = default_hf_token();
  o.data.base_url = default_rows_base_url();
  o.data.hub_url = default_hub_url();
}

}  // namespace

void setup_data(CLI::App* cmd) {
  cmd->require_subcommand(1);
  cmd->footer(
      "The cache is $XDG_CACHE_HOME/qdrift (else ~/.cache/qdrift). HF_TOKEN is sent as a Bearer token for\n"
      "gated datasets (gpqa: accept its terms on the Hub first); QDRIFT_HF_ROWS_URL replaces the viewer URL.\n"
      "A run reads --data-dir files first, then the cache, and downloads only what neither holds.");
}

void setup_data_pull(CLI::App* cmd, DataCommandOptions& o) {
  set_data_defaults(o);
  cmd->add_option("--bench", o.bench_list, "comma-separated benches (default: every dataset bench)");
  cmd->add_flag("--refresh", o.refresh, "fetch again even when the cache already holds a valid copy");
  cmd->add_flag("-q,--quiet", o.quiet, "no progress");
  cmd->add_flag("-v,--verbose", o.data.verbose,
                "print each dataset viewer request and answer on stderr (HF_TOKEN is redacted)");
  add_bench_file_option(cmd, o.bench_files);
}

void setup_data_list(CLI::App* cmd, DataCommandOptions& o) {
  set_data_defaults(o);
  cmd->add_option("--bench", o.bench_list, "comma-separated benches (default: every dataset bench)");
  cmd->add_option("--data-dir", o.data.data_dir, "also look for local files here, as `run --data-dir`");
  add_bench_file_option(cmd, o.bench_files);
}

Result<Outcome> run_data_pull(const DataCommandOptions& o) {
  QDRIFT_TRY(load_custom_benches(o.bench_files));
  auto benches = chosen_benches(o.bench_list);
  if (!benches.ok()) return benches.status();
  const bool show = !o.quiet && !o.data.verbose && isatty(fileno(stderr));  // a redrawn line would garble dumps
  for (const Bench* bench : *benches) {
    for (const DatasetSource& source : bench->sources()) {
      if (own_file(source)) {
        std::printf("%-14s skipped: reads its own file %s\n", bench->name().c_str(), source.local_file.c_str());
        continue;
      }
      if (source.dataset.empty()) {
        std::printf("%-14s skipped: no Hugging Face source; pass --data-dir with %s\n", bench->name().c_str(),
                    source.local_file.c_str());
        continue;
      }
      const CacheStatus cached = cache_status(source, o.data);
      if (cached.valid && !o.refresh) {
        std::printf("%-14s cached   %6lld rows  sha256 %.12s  %s\n", bench->name().c_str(),
                    static_cast<long long>(cached.rows), cached.sha256.c_str(), cached.path.c_str());
        continue;
      }
      DataOptions data = o.data;
      if (show)
        data.on_progress = [&](std::int64_t done, std::int64_t total) {
          std::fprintf(stderr, "\r%s: %lld / %lld rows", bench->name().c_str(), static_cast<long long>(done),
                       static_cast<long long>(total));
        };
      auto pulled = pull_rows(source, data);
      if (show) std::fprintf(stderr, "\r\033[K");
      if (!pulled.ok()) return pulled.status();
      std::printf("%-14s pulled   %6zu rows  sha256 %.12s\n", bench->name().c_str(), pulled->rows.size(),
                  pulled->sha256.c_str());
    }
  }
  return Outcome::kOk;
}

Result<Outcome> run_data_list(const DataCommandOptions& o) {
  QDRIFT_TRY(load_custom_benches(o.bench_files));
  auto benches = chosen_benches(o.bench_list);
  if (!benches.ok()) return benches.status();
  std::printf("%-14s %-40s %7s  %-12s  %s\n", "bench", "source", "rows", "sha256", "status");
  for (const Bench* bench : *benches) {
    for (const DatasetSource& source : bench->sources()) {
      if (own_file(source)) {  // a custom bench's data file: no cache, no --data-dir
        auto rows = read_local_rows(source.local_file, source.local_format);
        if (!rows.ok()) return rows.status();
        std::printf("%-14s %-40s %7zu  %.12s  file %s\n", bench->name().c_str(), source_name(source).c_str(),
                    rows->size(), rows_sha256(*rows).c_str(), source.local_file.c_str());
        continue;
      }
      // A local file wins over the cache, as in a run.
      if (!o.data.data_dir.empty()) {
        DataOptions local = o.data;
        local.allow_network = false;
        auto rows = load_rows(source, local);
        if (rows.ok() && rows->origin == RowsOrigin::kDataDir) {
          std::printf("%-14s %-40s %7zu  %.12s  data-dir %s\n", bench->name().c_str(), source_name(source).c_str(),
                      rows->rows.size(), rows->sha256.c_str(), rows->location.c_str());
          continue;
        }
        if (!rows.ok() && rows.status().message().find(o.data.data_dir) != std::string::npos)
          return rows.status();  // a malformed local file: say so, do not paper over it
      }
      const CacheStatus cached = cache_status(source, o.data);
      if (cached.valid)
        std::printf("%-14s %-40s %7lld  %.12s  cached %s\n", bench->name().c_str(), source_name(source).c_str(),
                    static_cast<long long>(cached.rows), cached.sha256.c_str(), cached.path.c_str());
      else if (cached.present)
        std::printf("%-14s %-40s %7s  %-12s  INVALID: %s\n", bench->name().c_str(), source_name(source).c_str(), "-",
                    "-", cached.problem.c_str());
      else
        std::printf("%-14s %-40s %7s  %-12s  not cached (qdrift data pull --bench %s)\n", bench->name().c_str(),
                    source_name(source).c_str(), "-", "-", bench->name().c_str());
    }
  }
  return Outcome::kOk;
}

}  // namespace qdrift::cli
