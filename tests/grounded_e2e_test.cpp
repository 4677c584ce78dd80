// End to end: the grounded agent bench through the real binary, the real
// sandbox and `qdrift sim` playing an agent that reads the real output of its
// commands: fp16 against fp16 passes, broken is degraded on accuracy and
// turn-cap hits, both tool protocols work and a mixed pair is not comparable,
// and a run killed mid-way resumes to the same file.
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

std::vector<std::string> grounded_run(const std::string& command, const SimProcess& sim, const std::string& out,
                                      const std::string& tier = "standard") {
  return {command, "--bench", "grounded", "--tier", tier, "--endpoint", sim.endpoint(), "--out", out,
          "-c", "64", "-q", "--no-tripwire"};
}

std::vector<std::string> with(std::vector<std::string> args, std::initializer_list<std::string> more) {
  args.insert(args.end(), more);
  return args;
}

const json& bench_of(const json& diff, const std::string& name) {
  for (const json& bench : diff["benches"])
    if (bench["bench"] == name) return bench;
  FAIL("no bench " << name << " in " << diff.dump());
  static const json none;
  return none;
}

}  // namespace

TEST_CASE("grounded end to end: the sim agent answers from real sandbox output - broken loops and is degraded",
          "[e2e][grounded]") {
  TempDir dir;
  SimProcess fp16({"--seed", "3"});
  const std::string baseline = dir.file("base.json");
  const CommandResult collected = run_qdrift(grounded_run("collect-baseline", fp16, baseline));
  INFO(collected.err);
  REQUIRE(collected.exit_code == 0);
  const json file = json::parse(read_text(baseline));
  const json& bench = file["benches"]["grounded"];
  CHECK(bench["settings"]["tool_protocol"] == "text");
  CHECK(bench["settings"]["code_execution"] == "sandboxed");
  REQUIRE(bench["items"].size() == 90);
  int correct = 0, with_commands = 0;
  for (const json& item : bench["items"]) {
    const json& sample = item["samples"][0];
    correct += sample["correct"].get<bool>();
    with_commands += sample.value("tool_calls", 0) > 0;
    CHECK(sample.value("turns", 1) >= 2);  // a command, then an answer
  }
  CHECK(correct >= 60);  // the fp16 sim reads most outputs right
  CHECK(with_commands == 90);
  const std::string transcripts = read_text(baseline + ".transcripts.jsonl");
  CHECK(transcripts.find("sqlite3 /data/market.db") != std::string::npos);
  CHECK(transcripts.find("[exit code 0]") != std::string::npos);

  SimProcess same({"--seed", "4"});
  const CommandResult pass = run_qdrift(with(grounded_run("run", same, dir.file("same.json")), {"--baseline", baseline}));
  INFO(pass.out << pass.err);
  CHECK(pass.exit_code == 0);

  SimProcess broken({"--seed", "3", "--variant", "broken"});
  const std::string broken_out = dir.file("broken.json");
  const CommandResult degraded = run_qdrift(with(grounded_run("run", broken, broken_out), {"--baseline", baseline}));
  INFO(degraded.out << degraded.err);
  CHECK(degraded.exit_code == 1);
  const CommandResult diff = run_qdrift({"diff", baseline, broken_out, "--format", "json"});
  REQUIRE(diff.exit_code == 1);
  const json report = json::parse(diff.out);
  const json& graded = bench_of(report, "grounded");
  CHECK(graded["degraded"] == true);
  CHECK(graded["turn_cap_degraded"] == true);
  CHECK(graded["turn_cap_candidate"].get<double>() > graded["turn_cap_baseline"].get<double>());
}

TEST_CASE("grounded: the native tool protocol works, and is never graded against the text protocol",
          "[e2e][grounded]") {
  TempDir dir;
  SimProcess sim({"--seed", "3"});
  const std::string text = dir.file("text.json"), native = dir.file("native.json");
  REQUIRE(run_qdrift(grounded_run("collect-baseline", sim, text, "smoke")).exit_code == 0);
  const CommandResult r = run_qdrift(with(grounded_run("collect-baseline", sim, native, "smoke"), {"--tool-protocol", "native"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json file = json::parse(read_text(native));
  CHECK(file["benches"]["grounded"]["settings"]["tool_protocol"] == "native");
  int correct = 0;
  for (const json& item : file["benches"]["grounded"]["items"]) correct += item["samples"][0]["correct"].get<bool>();
  CHECK(correct >= 6);
  const std::string transcripts = read_text(native + ".transcripts.jsonl");
  CHECK(transcripts.find("\"role\":\"tool\"") != std::string::npos);
  CHECK(transcripts.find("\"tool_call_id\"") != std::string::npos);

  const CommandResult mixed = run_qdrift({"diff", text, native});
  CHECK(mixed.exit_code == 2);
  CHECK(mixed.out.find("tool_protocol") != std::string::npos);
}

TEST_CASE("grounded: a run killed with SIGKILL resumes to the same file as an uninterrupted one",
          "[e2e][grounded][resume]") {
  TempDir dir;
  const std::string out = dir.file("killed.json"), checkpoint = out + ".checkpoint.jsonl";
  SimProcess slow({"--seed", "3", "--latency", "20"});
  const CommandResult killed = run_qdrift(grounded_run("collect-baseline", slow, out), {}, "", [&](int pid) { kill_when_checkpoint_holds(pid, checkpoint, 20); });
  REQUIRE(killed.exit_code == 128 + SIGKILL);
  const long kept = checkpoint_samples(checkpoint);
  CHECK(kept >= 20);
  CHECK(kept < 90);
  const CommandResult resumed = run_qdrift(with(grounded_run("collect-baseline", slow, out), {"--resume"}));
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);

  SimProcess fast({"--seed", "3"});
  REQUIRE(run_qdrift(grounded_run("collect-baseline", fast, dir.file("fresh.json"))).exit_code == 0);
  CHECK(json::parse(read_text(out))["benches"] == json::parse(read_text(dir.file("fresh.json")))["benches"]);
}

TEST_CASE("grounded: a server that refuses tools stops a native run with how to enable them", "[e2e][grounded]") {
  TempDir dir;
  SimProcess sim({"--refuse-tools"});
  const CommandResult r = run_qdrift(
      with(grounded_run("collect-baseline", sim, dir.file("native.json"), "smoke"), {"--tool-protocol", "native"}));
  CHECK(r.exit_code == 3);  // an error: the endpoint refused
  CHECK(r.err.find("HTTP 400") != std::string::npos);
  CHECK(r.err.find("--enable-auto-tool-choice --tool-call-parser hermes") != std::string::npos);
  CHECK(r.err.find("--tool-protocol text") != std::string::npos);
  // The text protocol sends no tools and works on the same server.
  CHECK(run_qdrift(grounded_run("collect-baseline", sim, dir.file("text.json"), "smoke")).exit_code == 0);
}
