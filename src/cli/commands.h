// The subcommands. Each has an options struct with its defaults, a setup_*
// that declares its flags on a CLI11 app, and a run_* that tests can call
// without parsing. run_* returns an Outcome or a Status; main() alone maps
// them to exit codes (DESIGN §2).
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/runner.h"
#include "qdrift/report.h"
#include "qdrift/sim.h"
#include "qdrift/status.h"

namespace qdrift::cli {

// What a successful command concluded; main() maps it to 0, 1 or 2.
enum class Outcome { kOk, kDegraded, kNotComparable };
Outcome outcome_of(Verdict verdict);

struct RunCommandOptions {
  RunOptions run;
  double max_failed_share = kDefaultMaxFailedShare;  // --max-failed
  std::string tier = "standard";
  std::string bench_list;          // comma-separated
  bool think = false, no_think = false;
  std::string baseline;            // grade against this file when given
  std::string format = "text";
  double alpha = 0.05;
  bool quiet = false;
  bool stop_early = false;
  bool no_tripwire = false;
  std::vector<std::string> bench_files;  // --bench-file: custom bench specs
};

CLI::App* setup_run(CLI::App& app, RunCommandOptions& options);
CLI::App* setup_collect_baseline(CLI::App& app, RunCommandOptions& options);
Result<Outcome> run_run(RunCommandOptions options);
Result<Outcome> run_collect_baseline(RunCommandOptions options);

struct DiffOptions {
  double max_failed_share = kDefaultMaxFailedShare;  // --max-failed
  std::string baseline;
  std::string candidate;
  std::string format = "text";
  double alpha = 0.05;
};
CLI::App* setup_diff(CLI::App& app, DiffOptions& options);
Result<Outcome> run_diff(const DiffOptions& options);

CLI::App* setup_sim(CLI::App& app, SimOptions& options);
Result<Outcome> run_sim(const SimOptions& options);

struct TripwireOptions {
  RunOptions run;       // endpoint, model, api key, server, pool
  std::string baseline;
  std::string format = "text";
  double alpha = 0.05;
};
CLI::App* setup_tripwire(CLI::App& app, TripwireOptions& options);
Result<Outcome> run_tripwire(TripwireOptions options);

struct PowerOptions {
  std::int64_t items = 0;   // --n
  double loss = 0;          // --mde
  double flip_rate = 0.1;
  int samples = 1;
  double alpha = 0.05;
  double power = 0.8;
};
CLI::App* setup_power(CLI::App& app, PowerOptions& options);
Result<Outcome> run_power(const PowerOptions& options);

struct DataCommandOptions {
  std::string bench_list;   // comma-separated; "" = every dataset bench
  bool refresh = false;     // pull again what is already cached
  DataOptions data;         // --data-dir, cache, token, viewer URL
  bool quiet = false;
  std::vector<std::string> bench_files;  // --bench-file: custom bench specs
};
CLI::App* setup_data(CLI::App& app, DataCommandOptions& options, CLI::App** pull, CLI::App** list);
Result<Outcome> run_data_pull(const DataCommandOptions& options);
Result<Outcome> run_data_list(const DataCommandOptions& options);

struct DemoOptions {
  std::string out_dir;   // "" = a fresh temporary directory
  std::string tier = "standard";
  int concurrency = 64;
};
CLI::App* setup_demo(CLI::App& app, DemoOptions& options);
Result<Outcome> run_demo(const DemoOptions& options);

// Custom benches (README "Custom benches"): --bench-file on a command, and the
// loader every such command calls first: the *.json files in ./benches (when
// that directory exists), then each --bench-file, registered together.
inline constexpr const char* kCustomBenchDir = "benches";
void add_bench_file_option(CLI::App* cmd, std::vector<std::string>& files);
Status load_custom_benches(const std::vector<std::string>& files);

// Shared by run, collect-baseline and demo: grade and print in a format.
Result<Outcome> grade_and_print(const RunFile& baseline, const std::string& baseline_path, const RunFile& candidate,
                                const std::string& candidate_path, double alpha, const std::string& format,
                                double max_failed_share = kDefaultMaxFailedShare);

}  // namespace qdrift::cli
