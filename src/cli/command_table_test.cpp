// The subcommand table: every command declared once, in help order, and the
// parsed one found for main() to run.
#include "cli/command_table.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace qdrift::cli;

namespace {

// Parses argv (without the program name) on a fresh app; the table and app stay alive.
struct Parsed {
  CLI::App app{"test"};
  std::vector<Subcommand> table = declare_subcommands(app);
  explicit Parsed(std::vector<std::string> args) {
    std::reverse(args.begin(), args.end());  // CLI11 takes a vector in reverse order
    app.parse(args);
  }
};

}  // namespace

TEST_CASE("the table declares every subcommand once, in help order", "[cli]") {
  CLI::App app{"test"};
  const std::vector<Subcommand> table = declare_subcommands(app);
  std::vector<std::string> names;
  for (const Subcommand& command : table) names.push_back(command.app->get_name());
  CHECK(names == std::vector<std::string>{"run", "collect-baseline", "diff", "merge", "report", "sim", "demo", "power", "noise", "tripwire",
                                          "show", "judge-check", "pull", "list"});
  CHECK(table[12].app->get_parent()->get_name() == "data");
  for (const Subcommand& command : table) CHECK_FALSE(command.app->get_description().empty());
  CHECK(parsed_subcommand(table) == nullptr);  // nothing parsed yet
}

TEST_CASE("the parsed subcommand runs with its own parsed flags", "[cli]") {
  Parsed power({"power", "--n", "3090", "--flip-rate", "0.2"});
  const Subcommand* parsed = parsed_subcommand(power.table);
  REQUIRE(parsed != nullptr);
  CHECK(parsed->app->get_name() == "power");
  auto outcome = parsed->run();  // prints the minimum detectable loss
  REQUIRE(outcome.ok());
  CHECK(*outcome == Outcome::kOk);

  Parsed nested({"data", "list", "--bench", "arith"});
  REQUIRE(parsed_subcommand(nested.table) != nullptr);
  CHECK(parsed_subcommand(nested.table)->app->get_name() == "list");

  // Flags reach run_*: power with nothing to compute is a usage error.
  Parsed empty({"power"});
  CHECK_FALSE(parsed_subcommand(empty.table)->run().ok());
}
