// End to end: a run with any invalid flag or file fails with one line naming the
// problem and sends no request at all — the sim counts every route it serves.
#include <algorithm>

#include <catch2/catch.hpp>

#include "process.h"

using namespace qdrift::testing;

TEST_CASE("run with an invalid flag or file sends no request and names the problem - exit 3", "[e2e][plan]") {
  TempDir dir;
  SimProcess sim({"--seed", "1"});
  write_text(dir.file("baseline.json"), "{\"schema\": 1, \"kind\": \"baseline\"");  // cut short
  write_text(dir.file("existing.json"), "{}");
  write_text(dir.file("bad.corpus"), "\xff\xfe not text\n");
  const std::string endpoint = sim.endpoint();
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{"run", "--bench", "arith"}, "no endpoint"},
      {{"run", "--bench", "nosuch", "--endpoint", endpoint}, "unknown bench 'nosuch'"},
      {{"run", "--bench", "arith", "--endpoint", endpoint, "--baseline", dir.file("baseline.json")}, "baseline.json"},
      {{"run", "--bench", "arith", "--endpoint", endpoint, "--alpha", "5"}, "--alpha must be between 0 and 1"},
      {{"run", "--bench", "arith", "--endpoint", endpoint, "-c", "0"}, "--concurrency must be at least 1"},
      {{"run", "--bench", "arith", "--endpoint", endpoint, "--samples", "0"}, "--samples must be at least 1"},
      {{"run", "--bench", "arith", "--endpoint", endpoint, "--max-tokens", "0"}, "--max-tokens must be at least 1"},
      {{"run", "--bench", "arith", "--endpoint", endpoint, "--format", "pdf"}, "unknown --format 'pdf'"},
      {{"run", "--bench", "arith", "--endpoint", endpoint, "--stop-early"}, "--stop-early needs --baseline"},
      {{"run", "--bench", "arith", "--endpoint", endpoint, "--out", dir.file("existing.json")}, "existing.json exists"},
      {{"collect-baseline", "--bench", "arith", "--endpoint", endpoint, "--out", dir.file("b.json"), "--corpus",
        dir.file("bad.corpus")},
       "bad.corpus"},
  };
  for (const Case& c : cases) {
    const CommandResult result = run_qdrift(c.args, {"OPENAI_BASE_URL="}, dir.path());
    INFO(c.says << "\n" << result.err);
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.err, Catch::Contains(c.says));
    CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
  }
  CHECK(sim_counter(sim, "all_requests") == 0);
  CHECK(sim_counter(sim, "requests") == 0);
}

TEST_CASE("run without --model or --out names its file after the model the server serves", "[e2e][plan]") {
  TempDir dir;
  SimProcess sim({"--seed", "1"});
  const CommandResult result =
      run_qdrift({"collect-baseline", "--bench", "arith", "--tier", "smoke", "--endpoint", sim.endpoint(), "-q",
                  "--no-tripwire"},
                 {}, dir.path());
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Catch::Contains("wrote baselines/qdrift-sim/smoke-s0.json"));
  CHECK_FALSE(read_text(dir.file("baselines/qdrift-sim/smoke-s0.json")).empty());
}
