// Every subcommand in one table: name, one-line help, setup_* and run_*. main()
// declares them from it and dispatches to the one CLI11 parsed; help lists them in
// table order.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <vector>

#include "cli/commands.h"

namespace qdrift::cli {

// One declared subcommand: its CLI11 app (flags bound to options the entry owns)
// and its run_* over those options once parsed.
struct Subcommand {
  CLI::App* app = nullptr;
  std::function<Result<Outcome>()> run;
};

// Declares every subcommand on `app` ("data pull" and "data list" under a `data`
// group) and returns them in help order.
std::vector<Subcommand> declare_subcommands(CLI::App& app);

// The entry CLI11 parsed, or nullptr when none was (a bare group such as `data`).
const Subcommand* parsed_subcommand(const std::vector<Subcommand>& table);

}  // namespace qdrift::cli
