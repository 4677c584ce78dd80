// A user's own agent scenario (--bench-file with "agent_scenario": 1): its
// pins and keys checked before any request, then run end to end through the
// real binary, the sandbox with the user's tool bound in, and the sim.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "agent_scenario.h"
#include "process.h"

using namespace qdrift::testing;
using nlohmann::json;

TEST_CASE("agent scenario: a user's data, tool and questions run end to end against the sim", "[e2e][grounded]") {
  TempDir dir;
  const std::string spec = write_agent_scenario(dir.path(), agent_scenario_spec(dir.path()));
  SimProcess sim({"--seed", "3", "--bench-file", spec});
  const std::string out = dir.file("shop-base.json");
  const CommandResult r = run_qdrift({"collect-baseline", "--bench-file", spec, "--bench", "shop", "--endpoint",
                                      sim.endpoint(), "--out", out, "-q", "--no-tripwire"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json bench = json::parse(read_text(out))["benches"]["shop"];
  CHECK(bench["settings"]["bench_version"].get<std::string>().rfind("1+spec.", 0) == 0);
  REQUIRE(bench["items"].size() == 3);
  int correct = 0;
  for (const json& item : bench["items"]) correct += item["samples"][0]["correct"].get<bool>();
  CHECK(correct >= 2);
  // The user's own tool ran inside the sandbox, from its bind, on their data.
  const std::string transcripts = read_text(out + ".transcripts.jsonl");
  CHECK(transcripts.find("shop-total") != std::string::npos);
  CHECK(transcripts.find("49\\n[exit code 0]") != std::string::npos);
  CHECK(transcripts.find("sales.csv: region,units") != std::string::npos);  // the spec's description of /data
}

TEST_CASE("agent scenario: a file that does not match its pin, or one not pinned, stops the run before any request",
          "[e2e][grounded]") {
  TempDir dir;
  json spec = agent_scenario_spec(dir.path());
  spec["files"]["sales.csv"] = std::string(64, '0');
  const std::string path = write_agent_scenario(dir.path(), spec);
  SimProcess sim({});
  const CommandResult r = run_qdrift({"collect-baseline", "--bench-file", path, "--bench", "shop", "--endpoint",
                                      sim.endpoint(), "--out", dir.file("x.json"), "-q", "--no-tripwire"});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("\"files.sales.csv\": sha256 is ") != std::string::npos);
  CHECK(sim_counter(sim, "requests") == 0);

  spec = agent_scenario_spec(dir.path());
  spec["files"].erase("notes.txt");
  write_agent_scenario(dir.path(), spec);
  const CommandResult unpinned = run_qdrift({"collect-baseline", "--bench-file", path, "--bench", "shop", "--endpoint",
                                             sim.endpoint(), "--out", dir.file("x.json"), "-q", "--no-tripwire"});
  CHECK(unpinned.exit_code == 3);
  CHECK(unpinned.err.find("notes.txt is in \"data\" but not pinned") != std::string::npos);

  spec = agent_scenario_spec(dir.path());
  spec["questions"][0]["tolerence"] = 1;
  write_agent_scenario(dir.path(), spec);
  const CommandResult typo = run_qdrift({"collect-baseline", "--bench-file", path, "--bench", "shop", "--endpoint",
                                         sim.endpoint(), "--out", dir.file("x.json"), "-q", "--no-tripwire"});
  CHECK(typo.exit_code == 3);
  CHECK(typo.err.find("\"questions[0].tolerence\": unknown key") != std::string::npos);
  CHECK(sim_counter(sim, "requests") == 0);
}
