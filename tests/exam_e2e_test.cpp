// The judged exam end to end: the real binary, `qdrift sim` as the model under
// test, and a judge endpoint (`qdrift sim --judge`, or a recording one).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "process.h"
#include "recording_judge.h"

using namespace qdrift::testing;
using nlohmann::json;

namespace {

std::vector<std::string> exam_run(const std::string& command, const SimProcess& sim, const std::string& judge,
                                  const std::string& out, std::vector<std::string> more = {}) {
  std::vector<std::string> args = {command,        "--bench", "exam", "--endpoint", sim.endpoint(), "--judge-endpoint",
                                   judge,          "--judge-model", "judge", "--out", out, "-q", "--no-tripwire"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

}  // namespace

TEST_CASE("exam: fp16 against an fp16 baseline passes, broken is DEGRADED, every sample judged", "[e2e][exam]") {
  TempDir dir;
  SimProcess judge({"--judge", "--model-name", "judge"});
  SimProcess base({"--seed", "1"});
  SimProcess twin({"--seed", "2"});
  SimProcess broken({"--variant", "broken", "--seed", "3"});
  const std::string baseline = dir.file("base.json");
  CommandResult r = run_qdrift(exam_run("collect-baseline", base, judge.endpoint(), baseline));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json bench = json::parse(read_text(baseline))["benches"]["exam"];
  CHECK(bench["settings"]["judge"] == "judge (judge-1)");
  CHECK(bench["settings"]["samples"] == 3);
  REQUIRE(bench["items"].size() == 39);
  for (const json& item : bench["items"])
    for (const json& sample : item["samples"]) {
      CHECK(sample.contains("judge"));
      CHECK(sample["explanation"].get<std::string>().rfind("judge: ", 0) == 0);
    }
  CHECK(bench["summary"]["accuracy"].get<double>() >= 0.95);
  // Model turns plus one judge request per (scenario, seed): 117 verdicts.
  CHECK(sim_counter(judge, "requests") >= 117);

  r = run_qdrift(exam_run("run", twin, judge.endpoint(), dir.file("twin.json"), {"--baseline", baseline}));
  INFO(r.out);
  CHECK(r.exit_code == 0);
  r = run_qdrift(exam_run("run", broken, judge.endpoint(), dir.file("broken.json"), {"--baseline", baseline}));
  INFO(r.out);
  CHECK(r.exit_code == 1);
}

TEST_CASE("exam: the judge request holds the rubric and the transcript, never who is being judged", "[e2e][exam]") {
  TempDir dir;
  RecordingJudge judge;
  SimProcess sim({"--model-name", "acme-70b-int4-awq"});
  const std::string out = dir.file("acme-quantised-run.json");
  const CommandResult r = run_qdrift(exam_run("collect-baseline", sim, judge.endpoint(), out, {"--limit", "4"}),
                                     {"QDRIFT_JUDGE_API_KEY=judge-secret-7f3a"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::vector<std::string> bodies = judge.bodies();
  REQUIRE(bodies.size() >= 12);  // 4 scenarios x 3 seeds
  for (const std::string& body : bodies) {
    CAPTURE(body);
    CHECK(body.find("RUBRIC") != std::string::npos);
    CHECK(body.find("[assistant]") != std::string::npos);
    for (const std::string& secret :
         {std::string("acme"), std::string("70b"), std::string("int4"), std::string("awq"), std::to_string(sim.port()),
          std::string("quantis"), std::string("quantiz"), std::string("baseline"), std::string("qdrift")})
      CHECK(body.find(secret) == std::string::npos);
    CHECK(json::parse(body)["temperature"] == 0);
  }
  // The judge's key went to the judge, and nowhere else.
  for (const std::string& authorization : judge.authorizations()) CHECK(authorization == "Bearer judge-secret-7f3a");
  for (const std::string& text : {read_text(out), read_text(out + ".transcripts.jsonl"), r.out, r.err})
    CHECK(text.find("judge-secret-7f3a") == std::string::npos);
}

TEST_CASE("exam: without a judge, or with the model as its own judge, nothing is sent", "[e2e][exam]") {
  TempDir dir;
  SimProcess sim({});
  CommandResult r = run_qdrift({"run", "--bench", "exam", "--endpoint", sim.endpoint(), "--out", dir.file("a.json"), "-q",
                                "--no-tripwire"});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("a judged exam needs a judge: pass --judge-endpoint URL and --judge-model NAME") != std::string::npos);
  r = run_qdrift(exam_run("run", sim, sim.endpoint(), dir.file("b.json")));
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("the judge is the model under test") != std::string::npos);
  CHECK(sim_counter(sim, "requests") == 0);
  // An unreachable judge stops the run at preflight, before any sample.
  r = run_qdrift(exam_run("run", sim, "http://127.0.0.1:" + std::to_string(closed_port()) + "/v1", dir.file("c.json")));
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("judge: ") != std::string::npos);
  CHECK(sim_counter(sim, "requests") == 0);
}
