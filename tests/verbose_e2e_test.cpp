// -v end to end: every request a command makes is dumped with its answer —
// preflight, server detection, tripwire logprobs and chat — with the key redacted.
#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "process.h"

using namespace qdrift::testing;

namespace {

const std::string kApiKey = "sk-qdrift-verbose-5e4d3c2b1a";

// Dump lines starting with `prefix` ("-> #" requests, "<- #" answers), and those also holding `text`.
long count_lines(const std::string& err, const std::string& prefix, const std::string& text = "") {
  std::istringstream lines(err);
  long count = 0;
  for (std::string line; std::getline(lines, line);)
    count += line.rfind(prefix, 0) == 0 && line.find(text) != std::string::npos;
  return count;
}

}  // namespace

TEST_CASE("verbose runs dump the preflight and tripwire requests as well as the chat ones", "[e2e][verbose]") {
  TempDir dir;
  SimProcess sim({"--api-key", kApiKey});
  const std::string root = "http://127.0.0.1:" + std::to_string(sim.port());
  const std::vector<std::string> env = {"OPENAI_API_KEY=" + kApiKey};
  const std::string baseline = dir.file("b.json");
  CommandResult collect = run_qdrift({"collect-baseline", "--bench", "arith", "--endpoint", sim.endpoint(), "--model",
                                      "qdrift-sim", "--tier", "smoke", "--out", baseline, "-q", "-v"},
                                     env);
  INFO(collect.err.substr(0, 4000));
  REQUIRE(collect.exit_code == 0);
  const std::string& err = collect.err;
  // Preflight and server detection, then the benches, then both tripwire passes.
  CHECK(count_lines(err, "-> #", "GET " + root + "/v1/models") == 1);
  CHECK(count_lines(err, "-> #", "GET " + root + "/info") == 1);
  CHECK(count_lines(err, "-> #", "GET " + root + "/version") == 1);
  CHECK(count_lines(err, "-> #", "POST " + root + "/v1/chat/completions arith/") == 50);
  CHECK(count_lines(err, "-> #", "POST " + root + "/v1/completions (tripwire pass 1, text ") >= 50);
  CHECK(count_lines(err, "-> #", "POST " + root + "/v1/completions (tripwire pass 2, text ") >= 50);
  CHECK(err.find("/v1/models") < err.find("/v1/chat/completions"));
  CHECK(err.find("/v1/chat/completions") < err.find("(tripwire pass 1"));
  // Every request has its answer; each shows its headers redacted and its body.
  CHECK(count_lines(err, "<- #") == count_lines(err, "-> #"));
  // Server detection asks TGI's, SGLang's and llama.cpp's routes first: a vLLM answers those 404.
  CHECK(count_lines(err, "<- #", "HTTP 404 after 1 try") == 3);
  CHECK(count_lines(err, "<- #", "HTTP 200 after 1 try") == count_lines(err, "-> #") - 3);
  CHECK(count_lines(err, "   Authorization: Bearer <redacted>") == count_lines(err, "-> #"));
  CHECK(count_lines(err, "   {\"chat_template_kwargs\":", "\"model\":\"qdrift-sim\"") == 50);  // chat bodies
  CHECK(err.find("\"echo\":true") != std::string::npos);
  CHECK(err.find(" bytes shown]") != std::string::npos);  // logprob answers are long: cut, and it says so
  CHECK(err.find(kApiKey) == std::string::npos);

  // A run with a baseline probes first (pass 3), and `qdrift tripwire -v` dumps the same way.
  CommandResult run = run_qdrift({"run", "--bench", "arith", "--endpoint", sim.endpoint(), "--model", "qdrift-sim",
                                  "--tier", "smoke", "--baseline", baseline, "--out", dir.file("r.json"), "-q", "-v"},
                                 env);
  REQUIRE(run.exit_code <= 1);
  CHECK(count_lines(run.err, "-> #", "(tripwire pass 3, text ") >= 50);
  CHECK(run.err.find("(tripwire pass 3") < run.err.find("/v1/chat/completions arith/"));
  CHECK(run.err.find(kApiKey) == std::string::npos);
  CommandResult probe = run_qdrift(
      {"tripwire", "--baseline", baseline, "--endpoint", sim.endpoint(), "--model", "qdrift-sim", "-v"}, env);
  REQUIRE(probe.exit_code <= 1);
  CHECK(count_lines(probe.err, "-> #", "GET " + root + "/info") == 1);
  CHECK(count_lines(probe.err, "-> #", "(tripwire pass 3, text ") >= 50);
  CHECK(count_lines(probe.err, "<- #") == count_lines(probe.err, "-> #"));
  CHECK(probe.err.find(kApiKey) == std::string::npos);
  // Without -v nothing is dumped.
  CommandResult quiet =
      run_qdrift({"tripwire", "--baseline", baseline, "--endpoint", sim.endpoint(), "--model", "qdrift-sim"}, env);
  CHECK(count_lines(quiet.err, "-> #") == 0);
}
