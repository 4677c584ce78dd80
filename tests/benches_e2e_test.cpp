// Every dataset bench end to end: `qdrift sim --data-dir tests/data` serves the
// synthetic items, a smoke baseline is collected, and candidates are graded.
#include <catch2/catch.hpp>
#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "process.h"
#include "util/files.h"

using nlohmann::json;
using namespace qdrift::testing;

namespace {

const std::string kTestData = std::string(QDRIFT_SOURCE_DIR) + "/tests/data";
const std::string kAllBenches = "gsm8k,mmlu_pro,gpqa,ifeval,humaneval,aime_2026,hmmt_feb_2026,aime_2025,hmmt_feb_2025";

std::string closed_port_url() { return "http://127.0.0.1:" + std::to_string(closed_port()); }

}  // namespace

TEST_CASE("every dataset bench runs end to end against the sim in the smoke tier", "[e2e][benches]") {
  TempDir dir;
  // No cache and no network: everything comes from --data-dir.
  const std::vector<std::string> env = {"XDG_CACHE_HOME=" + dir.file("cache"), "QDRIFT_HF_ROWS_URL=" + closed_port_url()};
  SimProcess fp16({"--seed", "1", "--data-dir", kTestData});
  const std::string baseline = dir.file("baseline.json");
  CommandResult collected = run_qdrift({"collect-baseline", "--bench", kAllBenches, "--tier", "smoke", "--data-dir",
                                        kTestData, "--endpoint", fp16.endpoint(), "--model", "qdrift-sim", "--out",
                                        baseline, "-q"},
                                       env);
  INFO(collected.err);
  REQUIRE(collected.exit_code == 0);
  json stored = json::parse(read_text(baseline));
  for (const char* bench : {"gsm8k", "mmlu_pro", "gpqa", "ifeval", "humaneval", "aime_2026", "hmmt_feb_2026",
                            "aime_2025", "hmmt_feb_2025"}) {
    INFO(bench);
    REQUIRE(stored["benches"].contains(bench));
    CHECK(stored["benches"][bench]["summary"]["accuracy"].get<double>() > 0.2);  // the sim answers most right
    CHECK(stored["benches"][bench]["dataset_sha256"].get<std::string>().size() == 64);
  }
  CHECK(stored["benches"]["aime_2026"]["settings"]["samples"] == 4);  // maj@4, think
  CHECK(stored["benches"]["aime_2026"]["settings"]["think"] == true);
  CHECK(stored["benches"]["humaneval"]["settings"]["code_execution"] == "sandboxed");  // graded in bubblewrap
  CHECK_FALSE(stored["benches"]["gsm8k"]["settings"].contains("code_execution"));

  SimProcess broken({"--variant", "broken", "--seed", "4", "--data-dir", kTestData});
  CommandResult degraded = run_qdrift({"run", "--bench", kAllBenches, "--tier", "smoke", "--data-dir", kTestData,
                                       "--endpoint", broken.endpoint(), "--model", "qdrift-sim", "--baseline", baseline,
                                       "--out", dir.file("broken.json"), "-q", "--format", "json"},
                                      env);
  INFO(degraded.err);
  CHECK(degraded.exit_code == 1);
  CHECK(json::parse(degraded.out)["verdict"] == "degraded");

  // A limited run is never comparable with the full baseline.
  CommandResult limited = run_qdrift({"run", "--bench", kAllBenches, "--tier", "smoke", "--data-dir", kTestData,
                                      "--endpoint", fp16.endpoint(), "--model", "qdrift-sim", "--baseline", baseline,
                                      "--out", dir.file("limited.json"), "-q", "--limit", "2", "--no-tripwire"},
                                     env);
  CHECK(limited.exit_code == 2);
  CHECK(limited.out.find("limit") != std::string::npos);
}

TEST_CASE("a dataset bench without data says how to get it and never hangs on the network", "[e2e][benches]") {
  TempDir dir;
  SimProcess sim({"--seed", "1"});
  CommandResult r = run_qdrift({"run", "--bench", "gsm8k", "--endpoint", sim.endpoint(), "--model", "qdrift-sim",
                                "--out", dir.file("r.json"), "-q"},
                               {"XDG_CACHE_HOME=" + dir.file("cache"), "QDRIFT_HF_ROWS_URL=" + closed_port_url()});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("gsm8k") != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);  // one line
  CHECK_FALSE(std::filesystem::exists(dir.file("r.json")));
  CommandResult listed = run_qdrift({"data", "list", "--data-dir", kTestData}, {"XDG_CACHE_HOME=" + dir.file("cache")});
  CHECK(listed.exit_code == 0);
  CHECK(listed.out.find("mmlu_pro") != std::string::npos);
  CHECK(listed.out.find("data-dir") != std::string::npos);
  CommandResult unknown = run_qdrift({"data", "pull", "--bench", "nope"});
  CHECK(unknown.exit_code == 3);
  CHECK(unknown.err.find("unknown bench 'nope'") != std::string::npos);
}

TEST_CASE("humaneval refuses at plan time without a usable bubblewrap unless --allow-unsandboxed", "[e2e][humaneval]") {
  TempDir dir;
  const std::string cache = "XDG_CACHE_HOME=" + dir.file("cache");
  // Nothing listens at the endpoint: had a request been tried, the error would name it.
  for (const std::string& bwrap : {dir.file("no-such-bwrap"), std::string("/bin/false")}) {
    CommandResult refused =
        run_qdrift({"run", "--bench", "humaneval", "--tier", "smoke", "--data-dir", kTestData, "--endpoint",
                    closed_port_url(), "--model", "m", "--out", dir.file("r.json"), "-q"},
                   {cache, "QDRIFT_BWRAP=" + bwrap});
    INFO(refused.err);
    CHECK(refused.exit_code == 3);
    CHECK(refused.err.find("humaneval: bubblewrap") != std::string::npos);
    CHECK(refused.err.find("--allow-unsandboxed") != std::string::npos);
    CHECK(std::count(refused.err.begin(), refused.err.end(), '\n') == 1);  // one line
    CHECK_FALSE(std::filesystem::exists(dir.file("r.json.checkpoint.jsonl")));
  }

  SimProcess sim({"--seed", "1", "--data-dir", kTestData});
  const std::string baseline = dir.file("unsandboxed.json");
  CommandResult allowed = run_qdrift(
      {"collect-baseline", "--bench", "humaneval", "--tier", "smoke", "--data-dir", kTestData, "--endpoint",
       sim.endpoint(), "--model", "qdrift-sim", "--out", baseline, "-q", "--no-tripwire", "--allow-unsandboxed"},
      {cache, "QDRIFT_BWRAP=" + dir.file("no-such-bwrap")});
  INFO(allowed.err);
  REQUIRE(allowed.exit_code == 0);
  CHECK(allowed.err.find("UNSANDBOXED") != std::string::npos);  // warned even with -q
  CHECK(allowed.out.find("humaneval: model-written code ran UNSANDBOXED") != std::string::npos);
  json stored = json::parse(read_text(baseline));
  CHECK(stored["benches"]["humaneval"]["settings"]["code_execution"] == "unsandboxed");
  CHECK(stored["benches"]["humaneval"]["summary"]["accuracy"].get<double>() > 0.2);  // it did grade

  // A sandboxed candidate is not graded against an unsandboxed baseline, and the report says why.
  CommandResult candidate = run_qdrift(
      {"run", "--bench", "humaneval", "--tier", "smoke", "--data-dir", kTestData, "--endpoint", sim.endpoint(),
       "--model", "qdrift-sim", "--baseline", baseline, "--out", dir.file("candidate.json"), "-q", "--no-tripwire"},
      {cache});
  INFO(candidate.out);
  CHECK(candidate.exit_code == 2);
  CHECK(candidate.out.find("humaneval.code_execution: baseline \"unsandboxed\", candidate \"sandboxed\"") !=
        std::string::npos);
  CHECK(candidate.out.find("ran UNSANDBOXED in the baseline") != std::string::npos);
}
