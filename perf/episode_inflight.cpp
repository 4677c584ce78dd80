// Benchmark: does the episode engine keep the model lane full while episodes
// wait on tools? Plays the test-only relay bench (three model turns per episode,
// a tool step of `tool_ms` between them) through execute_run against an
// in-process sim with a fixed latency, then reports the sim's own time-weighted
// mean of requests in flight against the concurrency, and the wall time.
//
//   build/episode_inflight [episodes=1000] [concurrency=64] [latency_ms=50] [tool_ms=20]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "engine/runner.h"
#include "qdrift/sim.h"
#include "relay_bench.h"

using namespace qdrift;

int main(int argc, char** argv) {
  const int episodes = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int concurrency = argc > 2 ? std::atoi(argv[2]) : 64;
  const int latency_ms = argc > 3 ? std::atoi(argv[3]) : 50;
  const int tool_ms = argc > 4 ? std::atoi(argv[4]) : 20;
  if (Status s = register_bench(testing::make_relay_bench(tool_ms)); !s.ok()) return 1;
  SimOptions sim;
  sim.latency_ms = latency_ms;
  auto server = SimServer::start(sim);
  if (!server.ok()) {
    std::fprintf(stderr, "%s\n", server.status().message().c_str());
    return 1;
  }
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "qdrift-episode-inflight";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  RunOptions options;
  options.endpoint.base_url = (*server)->base_url();
  options.kind = "baseline";
  options.benches = {"relay"};
  options.tier = Tier::kFull;
  options.limit = static_cast<std::size_t>(episodes);
  options.tripwire = false;
  options.progress = false;
  options.pool.concurrency = concurrency;
  options.out = (dir / "relay.json").string();
  const auto start = std::chrono::steady_clock::now();
  auto run = execute_run(options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!run.ok()) {
    std::fprintf(stderr, "%s\n", run.status().message().c_str());
    return 1;
  }
  const HttpResponse stats = http_fetch({"GET", "http://127.0.0.1:" + std::to_string((*server)->port()) + "/sim/stats", "", {}, 0}, {});
  const nlohmann::json s = nlohmann::json::parse(stats.body);
  const double mean = s["mean_in_flight"].get<double>();
  std::printf("episodes %d (3 model turns, %d ms tool steps), c=%d, latency %d ms\n", episodes, tool_ms, concurrency,
              latency_ms);
  std::printf("sim: %ld chat requests, max in flight %d, mean in flight %.1f (%.1f%% of c)\n",
              s["requests"].get<long>(), s["max_in_flight"].get<int>(), mean, 100.0 * mean / concurrency);
  std::printf("wall %.2f s, %.0f episodes/s\n", seconds, episodes / seconds);
  std::filesystem::remove_all(dir);
  return 0;
}
