// `qdrift sim --gpu` end to end: a run against the virtual GPU is timed by it
// (/sim/stats's "gpu" agrees with what was asked and never beats its own lower
// bound), and the order samples are asked in changes nothing in the run file.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "process.h"
#include "qdrift/http_pool.h"

using namespace qdrift::testing;
using nlohmann::json;

namespace {

const std::string kTestData = std::string(QDRIFT_SOURCE_DIR) + "/tests/data";

json gpu_stats(const SimProcess& sim) {
  const std::string url = "http://127.0.0.1:" + std::to_string(sim.port()) + "/sim/stats";
  return json::parse(qdrift::http_fetch({"GET", url, "", {}, 0}, {}).body);
}

// What the samples were: every bench's items with their samples and summary.
json samples_only(const json& run) { return run["benches"]; }

}  // namespace

TEST_CASE("a run on the virtual GPU is timed by it, in either order, with the same samples", "[e2e][gpu]") {
  TempDir dir;
  const std::vector<std::string> sim_flags = {"--seed", "1", "--data-dir", kTestData, "--gpu", "--gpu-speedup", "2000"};
  std::vector<json> runs;
  for (const char* order : {"run", "longest-first"}) {
    SimProcess sim(sim_flags);
    const std::string out = dir.file(std::string(order) + ".json");
    // No cache and no network: the contest's rows come from --data-dir.
    const CommandResult run = run_qdrift({"collect-baseline", "--bench", "arith,aime_2026", "--tier", "smoke",
                                          "--data-dir", kTestData, "--endpoint", sim.endpoint(), "--order", order,
                                          "-c", "256", "--out", out, "-q", "--no-tripwire"},
                                         {"XDG_CACHE_HOME=" + dir.file("cache"),
                                          "QDRIFT_HF_ROWS_URL=http://127.0.0.1:" + std::to_string(closed_port())});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    const json file = json::parse(read_text(out));
    runs.push_back(file);

    const json stats = gpu_stats(sim);
    REQUIRE(stats.contains("gpu"));
    const json& gpu = stats["gpu"];
    CHECK(gpu["sequences"].get<long>() == stats["requests"].get<long>());
    CHECK(gpu["sequences"].get<long>() == file["requests"]["answered"].get<long>());
    // Thinking on a contest: thousands of tokens, up to the 32k cap.
    CHECK(gpu["longest_completion"].get<long>() > 1000);
    CHECK(gpu["longest_completion"].get<long>() <= 32768);
    CHECK(gpu["busy_seconds"].get<double>() > 0);
    CHECK(gpu["elapsed_seconds"].get<double>() >= gpu["busy_seconds"].get<double>() * 0.999);
    CHECK(gpu["elapsed_seconds"].get<double>() >= gpu["lower_bound_seconds"].get<double>() * 0.999);
    CHECK(gpu["occupancy"].get<double>() > 0);
    CHECK(gpu["occupancy"].get<double>() <= 1);
    CHECK(gpu["max_running"].get<int>() <= 256);
  }
  CHECK(samples_only(runs[0]) == samples_only(runs[1]));
}

TEST_CASE("sim --gpu refuses impossible timings", "[e2e][gpu]") {
  const CommandResult bad = run_qdrift({"sim", "--gpu", "--gpu-max-batch", "0"});
  CHECK(bad.exit_code == 3);
  CHECK(bad.err.find("--gpu-max-batch") != std::string::npos);
}
