// collect-baseline --repeats end to end: the baseline file holds K × R samples per
// item and one repeat's figures; runs are graded by the luck-margin test; a
// resumed baseline keeps its repeats; run refuses the flag.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "process.h"

using namespace qdrift::testing;
using nlohmann::json;

TEST_CASE("a baseline of four repeats grades fp16 as a pass and broken as degraded by the luck-margin test",
          "[e2e][repeats]") {
  TempDir dir;
  SimProcess fp16({"--seed", "1"});
  const std::string baseline = dir.file("base.json");
  const CommandResult collected = run_qdrift({"collect-baseline", "--bench", "arith", "--tier", "smoke", "--repeats", "4",
                                              "--endpoint", fp16.endpoint(), "--model", "qdrift-sim", "--out", baseline,
                                              "-q", "--no-tripwire"});
  INFO(collected.err);
  REQUIRE(collected.exit_code == 0);
  CHECK(sim_counter(fp16, "requests") == 50 * 4);
  const json file = json::parse(read_text(baseline));
  const json& bench = file["benches"]["arith"];
  CHECK(bench["repeats"] == 4);
  CHECK(bench["settings"]["samples"] == 1);  // what a candidate must match
  for (const json& item : bench["items"]) REQUIRE(item["samples"].size() == 4);
  int first_right = 0;
  for (const json& item : bench["items"]) first_right += item["samples"][0]["correct"].get<bool>();
  CHECK(bench["summary"]["accuracy"].get<double>() == Approx(first_right / 50.0));  // one repeat's figure

  SimProcess again({"--seed", "2"});
  const CommandResult pass = run_qdrift({"run", "--bench", "arith", "--tier", "smoke", "--endpoint", again.endpoint(),
                                         "--model", "qdrift-sim", "--baseline", baseline, "--out", dir.file("fp16.json"),
                                         "-q", "--no-tripwire", "--format", "json"});
  INFO(pass.err);
  CHECK(pass.exit_code == 0);
  const json graded = json::parse(pass.out);
  CHECK(graded["benches"][0]["test"] == "baseline_mean_luck_margin");
  CHECK(graded["benches"][0]["baseline_repeats"] == 4);

  SimProcess broken({"--variant", "broken", "--seed", "4"});
  const CommandResult degraded = run_qdrift({"run", "--bench", "arith", "--tier", "smoke", "--endpoint",
                                             broken.endpoint(), "--model", "qdrift-sim", "--baseline", baseline, "--out",
                                             dir.file("broken.json"), "-q", "--no-tripwire"});
  CHECK(degraded.exit_code == 1);
  CHECK(degraded.out.find("against the baseline's mean over 4 repeats") != std::string::npos);

  const CommandResult refused = run_qdrift({"run", "--bench", "arith", "--repeats", "4", "--endpoint", fp16.endpoint(),
                                            "--model", "qdrift-sim", "--out", dir.file("x.json")});
  CHECK(refused.exit_code == 3);
}
