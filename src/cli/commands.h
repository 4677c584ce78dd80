// The subcommands. Each has an options struct with its defaults, a setup_*
// that declares its flags on its CLI11 subcommand (named in cli/command_table.cpp),
// and a run_* that tests can call without parsing. run_* returns an Outcome or a
// Status; main() alone maps them to exit codes (DESIGN §2).
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/runner.h"
#include "qdrift/endpoint.h"
#include "qdrift/report.h"
#include "qdrift/sim.h"
#include "qdrift/status.h"

namespace qdrift::cli {

// What a successful command concluded; main() maps it to 0, 1 or 2.
enum class Outcome { kOk, kDegraded, kNotComparable };
Outcome outcome_of(Verdict verdict);

struct RunCommandOptions {
  RunOptions run;
  GradeLimits limits;              // --max-failed, --min-judge-agreement
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
  Endpoint judge;                  // --judge-endpoint, --judge-model, --judge-api-key, --judge-server
  std::string exam_file;           // --exam: a user's exam spec, run instead of the built-in exam
  std::vector<std::string> endpoints;  // --endpoint, repeatable: URL or URL@C per replica
  std::string shard;               // --shard I/N or auto ("" = the whole run)
  std::string order = "longest-first";  // --order: longest-first or run
};

void setup_run(CLI::App* cmd, RunCommandOptions& options);
void setup_collect_baseline(CLI::App* cmd, RunCommandOptions& options);
Result<Outcome> run_run(RunCommandOptions options);
Result<Outcome> run_collect_baseline(RunCommandOptions options);

struct DiffOptions {
  GradeLimits limits;              // --max-failed, --min-judge-agreement
  std::string baseline;
  std::string candidate;
  std::string format = "text";
  double alpha = 0.05;
};
void setup_diff(CLI::App* cmd, DiffOptions& options);
Result<Outcome> run_diff(const DiffOptions& options);

void setup_sim(CLI::App* cmd, SimOptions& options);
Result<Outcome> run_sim(const SimOptions& options);

struct MergeOptions {
  std::vector<std::string> inputs;  // shard run files, any order
  std::string out;                  // --out: the whole run's file
  bool force = false;               // replace --out (and its transcripts sidecar) if it exists
};
void setup_merge(CLI::App* cmd, MergeOptions& options);
Result<Outcome> run_merge(const MergeOptions& options);

struct TripwireOptions {
  Endpoint endpoint;              // --endpoint, --model, --api-key, --server ("auto" detects)
  PoolOptions pool;               // -c; timeouts and retries at their defaults
  bool verbose = false;           // every request and its answer on stderr, the key redacted
  bool handle_signals = false;    // SIGINT/SIGTERM stop the probe cleanly (the CLI sets it)
  double interrupt_grace_s = 10;  // how long in-flight requests may finish after the first signal
  std::string baseline;
  std::string format = "text";
  double alpha = 0.05;
};
void setup_tripwire(CLI::App* cmd, TripwireOptions& options);
Result<Outcome> run_tripwire(const TripwireOptions& options);

struct ShowOptions {
  std::string file;  // a run or baseline file
  std::string item;  // --item: one item's samples ("" = the file's summary)
};
void setup_show(CLI::App* cmd, ShowOptions& options);
Result<Outcome> run_show(const ShowOptions& options);

struct NoiseOptions {
  Endpoint endpoint;     // --endpoint, --model, --api-key
  PoolOptions pool;      // timeouts and retries at their defaults; -v
  int prompts = 32;      // --prompts
  int batch = 64;        // --batch: in flight in the batch rounds
  int max_tokens = 128;  // --max-tokens
};
void setup_noise(CLI::App* cmd, NoiseOptions& options);
Result<Outcome> run_noise(const NoiseOptions& options);

struct ReportOptions {
  std::vector<std::string> inputs;  // a saved JSON report, or BASELINE CANDIDATE run files
  std::string html, markdown, json, junit, text;  // where each requested format goes
  double alpha = 0.05;
  GradeLimits limits;
  bool force = false;               // replace output files that exist
};
void setup_report(CLI::App* cmd, ReportOptions& options);
Result<Outcome> run_report(const ReportOptions& options);

struct JudgeCheckOptions {
  Endpoint judge;             // --judge-endpoint, --judge-model, --judge-api-key
  PoolOptions pool;           // -c (default 8); timeouts and retries at their defaults
  std::string labels;         // --labels: labelled transcripts
  std::string exam;           // --exam: the spec they are for ("" = the built-in exam)
  std::string format = "text";
  bool verbose = false;
};
void setup_judge_check(CLI::App* cmd, JudgeCheckOptions& options);
Result<Outcome> run_judge_check(const JudgeCheckOptions& options);

struct PowerOptions {
  std::int64_t items = 0;   // --n
  double loss = 0;          // --mde
  double flip_rate = 0.1;
  int samples = 1;
  double alpha = 0.05;
  double power = 0.8;
  std::string benches;      // --benches name:items[:K],...: plan the overall test across them
};
void setup_power(CLI::App* cmd, PowerOptions& options);
Result<Outcome> run_power(const PowerOptions& options);

struct DataCommandOptions {
  std::string bench_list;   // comma-separated; "" = every dataset bench
  bool refresh = false;     // pull again what is already cached
  DataOptions data;         // --data-dir, cache, token, viewer URL
  bool quiet = false;
  std::vector<std::string> bench_files;  // --bench-file: custom bench specs
};
void setup_data(CLI::App* cmd);  // the `data` group: pull and list sit under it
void setup_data_pull(CLI::App* cmd, DataCommandOptions& options);
void setup_data_list(CLI::App* cmd, DataCommandOptions& options);
Result<Outcome> run_data_pull(const DataCommandOptions& options);
Result<Outcome> run_data_list(const DataCommandOptions& options);

struct DemoOptions {
  std::string out_dir;   // "" = a fresh temporary directory
  std::string tier = "standard";
  int concurrency = 64;
};
void setup_demo(CLI::App* cmd, DemoOptions& options);
Result<Outcome> run_demo(const DemoOptions& options);

// Custom benches (README "Custom benches"): --bench-file on a command, and the
// loader every such command calls first: the *.json files in ./benches (when
// that directory exists), then each --bench-file, registered together.
inline constexpr const char* kCustomBenchDir = "benches";
void add_bench_file_option(CLI::App* cmd, std::vector<std::string>& files);
Status load_custom_benches(const std::vector<std::string>& files);

// --endpoint, --model and --api-key, with $OPENAI_BASE_URL and $OPENAI_API_KEY as
// defaults (the key's default is never shown); --model is required when asked.
// --endpoint, --model, --api-key. With `replicas`, --endpoint may be repeated
// (URL or URL@C, one per server of the model) and lands there instead.
void add_endpoint_flags(CLI::App* cmd, Endpoint& endpoint, bool model_required,
                        std::vector<std::string>* replicas = nullptr);

// --format, --alpha, --max-failed and --min-judge-agreement as grading takes
// them: one line naming the first bad one.
Status check_grading_flags(const std::string& format_name, double alpha, const GradeLimits& limits);
// Declares --max-failed and --min-judge-agreement (run and diff).
void add_grade_limit_flags(CLI::App* cmd, GradeLimits& limits);
// Grades two run files; the labels name each file's model and path.
Grade grade_files(const RunFile& baseline, const std::string& baseline_path, const RunFile& candidate,
                  const std::string& candidate_path, double alpha, const GradeLimits& limits);
// `grade` in `format`. HTML embeds each flipped multi-turn item's episodes when
// the runs' transcripts sidecars are beside their files.
Result<std::string> render_graded(const Grade& grade, ReportFormat format, const std::string& baseline_path,
                                  const std::string& candidate_path);
// Shared by run, collect-baseline and demo: grade and print in a format.
Result<Outcome> grade_and_print(const RunFile& baseline, const std::string& baseline_path, const RunFile& candidate,
                                const std::string& candidate_path, double alpha, const std::string& format,
                                const GradeLimits& limits = {});

}  // namespace qdrift::cli
