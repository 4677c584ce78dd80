// qdrift's entry point: parse the command line, run the one subcommand the table
// (cli/command_table.cpp) parsed, and map its result to an exit code. This is the only place the process decides how to exit.
#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/command_table.h"

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

  const std::vector<Subcommand> subcommands = declare_subcommands(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints help or the usage error
    return code == 0 ? kExitOk : kExitError;
  }
  const Subcommand* parsed = parsed_subcommand(subcommands);
  if (parsed) return exit_code(parsed->run());
  return kExitError;
}
