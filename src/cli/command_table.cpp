// The subcommand table: each row names a subcommand, says what it does in one
// line, and pairs its setup_* with its run_* over one options struct.
#include "cli/command_table.h"

#include <memory>

namespace qdrift::cli {

namespace {

// One row: the options live as long as the row, so the flags setup_* binds stay
// valid until run_* reads them.
template <typename Options, typename Run>
Subcommand row(CLI::App& parent, const char* name, const char* help, void (*setup)(CLI::App*, Options&), Run run) {
  auto options = std::make_shared<Options>();
  CLI::App* cmd = parent.add_subcommand(name, help);
  setup(cmd, *options);
  return {cmd, [options, run] { return run(*options); }};
}

}  // namespace

std::vector<Subcommand> declare_subcommands(CLI::App& app) {
  // A braced list is evaluated left to right: help lists the rows in this order.
  std::vector<Subcommand> table = {
      row(app, "run", "run benches against an endpoint; grade against --baseline when given", setup_run, run_run),
      row(app, "collect-baseline", "run benches on the full-precision model and write a baseline file",
          setup_collect_baseline, run_collect_baseline),
      row(app, "diff", "grade run file CANDIDATE against baseline file BASELINE, offline", setup_diff, run_diff),
      row(app, "merge", "join the shard files of one run (run --shard I/N) into the whole run's file", setup_merge,
          run_merge),
      row(app, "report", "write the HTML (or any) report from a saved JSON report or two run files", setup_report,
          run_report),
      row(app, "sim", "serve a simulated model with vLLM's API on loopback (demos, CI, calibration)", setup_sim,
          run_sim),
      row(app, "demo", "collect a baseline from a simulated fp16 model and grade fp16, int4 and broken variants",
          setup_demo, run_demo),
      row(app, "power", "how small a loss N items can detect, or how many items a loss needs", setup_power,
          run_power),
      row(app, "noise", "is the server deterministic? repeats alone and in a batch at temperature 0, compared",
          setup_noise, run_noise),
      row(app, "tripwire", "compare teacher-forced logprobs with the baseline's reference (seconds)", setup_tripwire,
          run_tripwire),
      row(app, "show", "what a run or baseline file holds, or one item's samples and transcript (--item)", setup_show,
          run_show),
      row(app, "judge-check", "measure a judge's agreement with human labels on an exam's transcripts (Cohen's kappa)",
          setup_judge_check, run_judge_check),
  };
  CLI::App* data = app.add_subcommand("data", "download datasets into the cache, or list what is cached");
  setup_data(data);
  table.push_back(row(*data, "pull", "fetch each bench's rows from the Hugging Face dataset viewer into the cache",
                      setup_data_pull, run_data_pull));
  table.push_back(row(*data, "list", "each dataset bench: source, rows, sha256 and where its rows would come from",
                      setup_data_list, run_data_list));
  return table;
}

const Subcommand* parsed_subcommand(const std::vector<Subcommand>& table) {
  for (const Subcommand& command : table)
    if (command.app->parsed()) return &command;
  return nullptr;
}

}  // namespace qdrift::cli
