// Secrets end to end: the API key and HF_TOKEN, set to sentinels, are sent (the
// servers check) but appear in no stream of any command and no file written —
// verbose dumps, error messages, run files, checkpoints, the dataset cache, reports.
#include <catch2/catch.hpp>
#include <deque>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fake_viewer.h"
#include "process.h"

using namespace qdrift::testing;
using nlohmann::json;

namespace {

const std::string kApiKey = "sk-qdrift-test-9f8e7d6c5b4a";
const std::string kHfToken = "hf_qdriftSentinel7c6b5a4d3e2f";

// A viewer that answers every page with `status` and an error quoting the
// Authorization header it received, as a careless proxy might.
FakeViewer::Hook refusing(int status, std::string message) {
  return [status, message](const ViewerRequest& request, httplib::Response& res) {
    res.status = status;
    res.set_content(json{{"error", message + " (got " + request.authorization + ")"}}.dump(), "application/json");
    return true;
  };
}

}  // namespace

TEST_CASE("the API key and HF_TOKEN appear in no file and no output of verbose runs and pulls", "[e2e][secrets]") {
  TempDir dir;
  FakeViewer viewer(130);
  FakeViewer gated(130, refusing(401, "The dataset is gated"));
  FakeViewer missing(130, refusing(404, "Not found"));
  // Both secrets in every command's environment; spdlog's own variable at its
  // loudest, so any logging a later change adds would be at trace level here.
  const std::vector<std::string> base_env = {"OPENAI_API_KEY=" + kApiKey, "HF_TOKEN=" + kHfToken,
                                             "XDG_CACHE_HOME=" + dir.file("cache"), "SPDLOG_LEVEL=trace"};
  const auto env_with = [&](const FakeViewer& v) {
    std::vector<std::string> env = base_env;
    env.push_back("QDRIFT_HF_ROWS_URL=" + v.base_url());
    return env;
  };
  std::deque<std::pair<std::string, CommandResult>> results;  // a deque: references to earlier results stay valid
  const auto qdrift = [&](const std::string& name, const std::vector<std::string>& args,
                          const std::vector<std::string>& env) -> const CommandResult& {
    results.emplace_back(name, run_qdrift(args, env));
    return results.back().second;
  };

  SimProcess sim({"--api-key", kApiKey});
  const std::string baseline = dir.file("b.json");
  const std::vector<std::string> arith = {"--bench", "arith",      "--endpoint", sim.endpoint(),
                                          "--model", "qdrift-sim", "--tier",     "smoke"};
  const auto args = [&](std::vector<std::string> head, std::vector<std::string> tail) {
    head.insert(head.end(), arith.begin(), arith.end());
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
  };
  // Verbose runs: every request dumped (preflight, detection, tripwire, chat).
  const CommandResult& collect =
      qdrift("collect-baseline -v", args({"collect-baseline"}, {"--out", baseline, "-v"}), env_with(viewer));
  REQUIRE(collect.exit_code == 0);
  CHECK(collect.err.find("Authorization: Bearer <redacted>") != std::string::npos);
  CHECK(collect.err.find("(tripwire pass 2, text 0)") != std::string::npos);
  const CommandResult& run = qdrift(
      "run -v --format json",
      args({"run"}, {"--out", dir.file("r.json"), "--baseline", baseline, "--format", "json", "-v"}), env_with(viewer));
  REQUIRE(run.exit_code <= 1);
  CHECK(run.err.find("(tripwire pass 3, text 0)") != std::string::npos);
  const CommandResult& probe = qdrift(
      "tripwire -v", {"tripwire", "--baseline", baseline, "--endpoint", sim.endpoint(), "--model", "qdrift-sim", "-v"},
      env_with(viewer));
  CHECK(probe.exit_code <= 1);
  // Every report format, on stdout.
  for (const char* format : {"text", "md", "json", "junit", "html"})
    CHECK(qdrift(std::string("diff --format ") + format, {"diff", baseline, dir.file("r.json"), "--format", format},
                 base_env)
              .exit_code <= 1);

  // data pull -v: rows, gated (401), and a 404 whose message is quoted in the error.
  const CommandResult& pulled =
      qdrift("data pull -v rows", {"data", "pull", "--bench", "gsm8k", "-v"}, env_with(viewer));
  CHECK(pulled.exit_code == 0);
  CHECK(pulled.out.find("pulled      130 rows") != std::string::npos);
  CHECK(pulled.err.find("GET " + viewer.base_url() + "/rows?dataset=openai%2Fgsm8k") != std::string::npos);
  CHECK(pulled.err.find("Authorization: Bearer <redacted>") != std::string::npos);
  REQUIRE_FALSE(viewer.requests().empty());
  CHECK(viewer.requests()[0].authorization == "Bearer " + kHfToken);  // the token really was sent
  const CommandResult& refused =
      qdrift("data pull -v gated", {"data", "pull", "--bench", "gpqa", "-v"}, env_with(gated));
  CHECK(refused.exit_code == 3);
  CHECK(refused.err.find("gated or private") != std::string::npos);
  CHECK(refused.err.find("<- #1 HTTP 401") != std::string::npos);
  const CommandResult& absent =
      qdrift("data pull -v 404", {"data", "pull", "--bench", "mmlu_pro", "-v"}, env_with(missing));
  CHECK(absent.exit_code == 3);
  CHECK(absent.err.find("HTTP 404: Not found (got Bearer <HF_TOKEN>)") != std::string::npos);  // quoted, scrubbed

  // Error paths: a run whose dataset pull is refused, a server that refuses the
  // key, and a failing server that leaves a checkpoint behind.
  const CommandResult& no_rows = qdrift("run -v gated rows",
                                        {"run", "--bench", "gpqa", "--endpoint", sim.endpoint(), "--model",
                                         "qdrift-sim", "--out", dir.file("g.json"), "-v"},
                                        env_with(gated));
  CHECK(no_rows.exit_code == 3);
  CHECK(no_rows.err.find("gated or private") != std::string::npos);
  SimProcess other_key({"--api-key", "sk-some-other-key"});
  const CommandResult& unauthorised = qdrift("run -v 401",
                                             {"run", "--bench", "arith", "--endpoint", other_key.endpoint(), "--model",
                                              "qdrift-sim", "--out", dir.file("u.json"), "-v"},
                                             base_env);
  CHECK(unauthorised.exit_code == 3);
  CHECK(unauthorised.err.find("HTTP 401") != std::string::npos);
  SimProcess failing_sim({"--api-key", kApiKey, "--fail-rate", "1"});
  const CommandResult& failing =
      qdrift("run failing",
             {"run", "--bench", "arith", "--endpoint", failing_sim.endpoint(), "--model", "qdrift-sim", "--tier",
              "smoke", "--out", dir.file("f.json"), "--retries", "1", "-v"},
             base_env);
  CHECK(failing.exit_code == 3);
  CHECK(failing.err.find("HTTP 500: simulated failure") != std::string::npos);
  CHECK(std::filesystem::exists(dir.file("f.json.checkpoint.jsonl")));

  for (const auto& [name, result] : results) {
    INFO(name);
    for (const std::string& secret : {kApiKey, kHfToken}) {
      CHECK(result.out.find(secret) == std::string::npos);
      CHECK(result.err.find(secret) == std::string::npos);
    }
  }
  int files = 0;
  bool cache_seen = false;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path())) {
    if (!entry.is_regular_file()) continue;
    ++files;
    cache_seen = cache_seen || entry.path().string().find("/cache/qdrift/datasets/") != std::string::npos;
    INFO(entry.path());
    const std::string text = read_text(entry.path());
    CHECK(text.find(kApiKey) == std::string::npos);
    CHECK(text.find(kHfToken) == std::string::npos);
  }
  CHECK(files >= 4);  // baseline, run file, checkpoint, dataset cache
  CHECK(cache_seen);
}
