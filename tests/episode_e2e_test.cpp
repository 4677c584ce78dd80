// End to end: a multi-turn bench (the test-only `relay`, three model turns with a
// tool step between) through the real binary, pool and `qdrift sim`: the file,
// its transcripts, and a SIGKILL mid-run resumed to the same file.
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "process.h"

using namespace qdrift::testing;
using nlohmann::json;

namespace {

std::vector<std::string> relay_baseline(const SimProcess& sim, const std::string& out) {
  return {"collect-baseline", "--bench", "relay", "--tier", "standard", "--endpoint", sim.endpoint(),
          "--out", out, "-c", "16", "-q", "--no-tripwire"};
}

// The lines of a JSONL file, parsed, keyed by their "bench/item#sample".
std::map<std::string, json> transcripts_by_key(const std::string& path) {
  std::map<std::string, json> lines;
  std::istringstream text(read_text(path));
  for (std::string line; std::getline(text, line);) {
    json j = json::parse(line);
    if (!j.contains("bench")) continue;  // the header line
    lines[j["bench"].get<std::string>() + "/" + j["id"].get<std::string>() + "#" + std::to_string(j["sample"].get<int>())] = j;
  }
  return lines;
}

}  // namespace

TEST_CASE("a multi-turn bench runs end to end: three turns each, graded, with transcripts beside the file",
          "[e2e][episodes]") {
  TempDir dir;
  SimProcess sim({"--seed", "3"});
  const std::string out = dir.file("relay.json");
  const CommandResult r = run_program(QDRIFT_RELAY_BIN, relay_baseline(sim, out));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(sim_counter(sim, "requests") == 300);  // 100 episodes x 3 model turns
  const json file = json::parse(read_text(out));
  const json& items = file["benches"]["relay"]["items"];
  REQUIRE(items.size() == 100);
  int passed = 0;
  for (const json& item : items) {
    const json& sample = item["samples"][0];
    CHECK_THAT(sample["explanation"].get<std::string>(), Catch::Matches("[0-3] of 3 turns right"));
    CHECK(sample["turns"] == 3);
    passed += sample["correct"].get<bool>();
  }
  CHECK(passed > 60);  // the fp16 sim gets most arith questions right
  const auto transcripts = transcripts_by_key(out + ".transcripts.jsonl");
  REQUIRE(transcripts.size() == 100);
  const json& messages = transcripts.at("relay/relay-0001#0")["messages"];
  REQUIRE(messages.size() == 8);  // user, then (assistant, tool, user) twice, then assistant
  CHECK(messages[0]["role"] == "user");
  CHECK(messages[2]["role"] == "tool");
  CHECK(messages[2]["tool_call_id"] == "call-1");
  CHECK(messages[7]["role"] == "assistant");
}

TEST_CASE("a multi-turn run killed with SIGKILL resumes to the same file and transcripts as an uninterrupted one",
          "[e2e][episodes][resume]") {
  TempDir dir;
  const std::string out = dir.file("killed.json"), checkpoint = out + ".checkpoint.jsonl";
  SimProcess slow({"--seed", "3", "--latency", "20"});
  const CommandResult killed = run_program(QDRIFT_RELAY_BIN, relay_baseline(slow, out), {}, "", [&](int pid) { kill_when_checkpoint_holds(pid, checkpoint, 30); });
  REQUIRE(killed.exit_code == 128 + SIGKILL);
  const long kept = checkpoint_samples(checkpoint);
  CHECK(kept >= 30);
  CHECK(kept < 100);
  std::vector<std::string> resume = relay_baseline(slow, out);
  resume.push_back("--resume");
  const CommandResult resumed = run_program(QDRIFT_RELAY_BIN, resume);
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(checkpoint));

  SimProcess fast({"--seed", "3"});
  const CommandResult fresh = run_program(QDRIFT_RELAY_BIN, relay_baseline(fast, dir.file("fresh.json")));
  REQUIRE(fresh.exit_code == 0);
  CHECK(json::parse(read_text(out))["benches"] == json::parse(read_text(dir.file("fresh.json")))["benches"]);
  CHECK(transcripts_by_key(out + ".transcripts.jsonl") == transcripts_by_key(dir.file("fresh.json.transcripts.jsonl")));
}
