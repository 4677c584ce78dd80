// qdrift's entry point: parse the command line, run one subcommand, and map its
// result to an exit code. This is the only place the process decides how to exit.
#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace {

constexpr int kExitOk = 0, kExitDegraded = 1, kExitNotComparable = 2, kExitError = 3;

int exit_code(const qdrift::Result<qdrift::cli::Outcome>& result) {
  if (!result.ok()) {
    std::fprintf(stderr, "qdrift: error: %s\n", result.status().message().c_str());
    return kExitError;
  }
  switch (*result) {
    case qdrift::cli::Outcome::kDegraded: return kExitDegraded;
    case qdrift::cli::Outcome::kNotComparable: return kExitNotComparable;
    case qdrift::cli::Outcome::kOk: return kExitOk;
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace qdrift::cli;
  CLI::App app{"qdrift: has this quantized, pruned or distilled model degraded against its baseline?"};
  app.set_version_flag("--version", std::string("qdrift ") + QDRIFT_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Workflow: collect-baseline once on the full-precision model, commit the file, then\n"
      "`run --baseline FILE` for every variant, or `diff BASELINE CANDIDATE` offline in CI.\n"
      "Try `qdrift demo` first. Exit codes: 0 pass, 1 degraded, 2 not comparable, 3 error.");

  RunCommandOptions run_options, baseline_options;
  DiffOptions diff_options;
  qdrift::SimOptions sim_options;
  DemoOptions demo_options;
  PowerOptions power_options;
  TripwireOptions tripwire_options;
  DataCommandOptions data_options;
  CLI::App *data_pull = nullptr, *data_list = nullptr;
  CLI::App* run = setup_run(app, run_options);
  CLI::App* collect = setup_collect_baseline(app, baseline_options);
  CLI::App* diff = setup_diff(app, diff_options);
  CLI::App* sim = setup_sim(app, sim_options);
  CLI::App* demo = setup_demo(app, demo_options);
  CLI::App* power = setup_power(app, power_options);
  CLI::App* tripwire = setup_tripwire(app, tripwire_options);
  setup_data(app, data_options, &data_pull, &data_list);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints help or the usage error
    return code == 0 ? kExitOk : kExitError;
  }
  if (run->parsed()) return exit_code(run_run(run_options));
  if (collect->parsed()) return exit_code(run_collect_baseline(baseline_options));
  if (diff->parsed()) return exit_code(run_diff(diff_options));
  if (sim->parsed()) return exit_code(run_sim(sim_options));
  if (demo->parsed()) return exit_code(run_demo(demo_options));
  if (power->parsed()) return exit_code(run_power(power_options));
  if (tripwire->parsed()) return exit_code(run_tripwire(tripwire_options));
  if (data_pull->parsed()) return exit_code(run_data_pull(data_options));
  if (data_list->parsed()) return exit_code(run_data_list(data_options));
  return kExitError;
}
