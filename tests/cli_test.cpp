// Command-line behaviour that needs no server: help, usage errors, `power`.
#include <catch2/catch.hpp>

#include "process.h"
#include "qdrift/bench.h"
#include "qdrift/record.h"

using namespace qdrift::testing;

TEST_CASE("power prints the minimum detectable loss and the items needed", "[cli]") {
  // Connor (1987): f = 0.2, loss = 0.02, one-sided alpha 0.05, power 0.8 -> 3090 items.
  CommandResult items = run_qdrift({"power", "--mde", "0.02", "--flip-rate", "0.2"});
  CHECK(items.exit_code == 0);
  CHECK(items.out.find("items needed: 3090 to detect a loss of 2.00 points") != std::string::npos);
  CHECK(items.out.find("assumptions:") != std::string::npos);
  CommandResult loss = run_qdrift({"power", "--n", "3090", "--flip-rate", "0.2"});
  CHECK(loss.out.find("minimum detectable loss: 2.00 points") != std::string::npos);
  // K = 4 samples divide the per-item noise by 4: the same loss needs about a quarter of the items.
  CommandResult k4 = run_qdrift({"power", "--mde", "0.02", "--flip-rate", "0.2", "--samples", "4"});
  CHECK(k4.out.find("items needed: 7") != std::string::npos);  // 770-something
}

TEST_CASE("power plans the overall test across benches", "[cli]") {
  // S = 1000 / 0.1 + 500 / 0.05 = 20000; at alpha 0.05 the overall test holds 0.025: power 0.81 at 2 points,
  // and 1.31× the items for power 0.9 (stats test's worked values).
  CommandResult plan = run_qdrift({"power", "--mde", "0.02", "--flip-rate", "0.1", "--power", "0.9", "--benches",
                                   "a:1000,b:500:2"});
  INFO(plan.err);
  CHECK(plan.exit_code == 0);
  CHECK(plan.out.find("overall test over 2 benches, 1500 items: power 0.81 against a loss of 2.00 points") !=
        std::string::npos);
  CHECK(plan.out.find("items needed for power 0.90: 1971 (each bench's size × 1.31)") != std::string::npos);
  CommandResult bad = run_qdrift({"power", "--mde", "0.02", "--benches", "gsm8k=1319"});
  CHECK(bad.exit_code == 3);
  CHECK(bad.err.find("--benches: 'gsm8k=1319' is not name:items") != std::string::npos);
}

TEST_CASE("power refuses impossible plans with exit 3", "[cli]") {
  CHECK(run_qdrift({"power"}).exit_code == 3);
  CHECK(run_qdrift({"power", "--n", "10", "--mde", "0.1"}).exit_code == 3);
  CommandResult too_big = run_qdrift({"power", "--mde", "0.3", "--flip-rate", "0.1"});
  CHECK(too_big.exit_code == 3);
  CHECK(too_big.err.find("cannot exceed them") != std::string::npos);
}

TEST_CASE("help teaches and unknown commands are usage errors", "[cli]") {
  CommandResult help = run_qdrift({"--help"});
  CHECK(help.exit_code == 0);
  for (const char* command : {"run", "collect-baseline", "diff", "sim", "demo", "power"})
    CHECK(help.out.find(command) != std::string::npos);
  CommandResult run_help = run_qdrift({"run", "--help"});
  CHECK(run_help.out.find("--baseline") != std::string::npos);
  CHECK(run_help.out.find("Exit codes") != std::string::npos);
  CHECK(run_qdrift({"frobnicate"}).exit_code == 3);
  CHECK(run_qdrift({"run", "--think", "--no-think", "--endpoint", "http://127.0.0.1:1/v1", "--model", "m"}).exit_code == 3);
}

TEST_CASE("the committed example baseline loads and matches the arith items of today", "[cli]") {
  auto baseline = qdrift::load_run_file(std::string(QDRIFT_SOURCE_DIR) + "/baselines/qdrift-sim/standard-s0.json");
  REQUIRE(baseline.ok());
  CHECK(baseline->kind == "baseline");
  auto items = qdrift::find_bench("arith")->items({qdrift::Tier::kStandard, 0, {}});
  REQUIRE(baseline->benches.size() == 1);
  CHECK(baseline->benches[0].dataset_sha256 == qdrift::items_sha256(*items));
}
