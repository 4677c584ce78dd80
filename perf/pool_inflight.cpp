// Benchmark: does the pool keep exactly c requests in flight against a slow
// server? Starts an in-process sim with a fixed latency, sends N chat requests
// at concurrency c, and reports the server's own peak of concurrent requests,
// the throughput, and how close it came to the ideal c / latency.
//
//   build/pool_inflight [concurrency=64] [requests=1280] [latency_ms=200]
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "qdrift/bench.h"
#include "qdrift/http_pool.h"
#include "qdrift/openai.h"
#include "qdrift/sim.h"

using namespace qdrift;

int main(int argc, char** argv) {
  const int concurrency = argc > 1 ? std::atoi(argv[1]) : 64;
  const int requests = argc > 2 ? std::atoi(argv[2]) : 1280;
  const int latency_ms = argc > 3 ? std::atoi(argv[3]) : 200;
  SimOptions sim;
  sim.latency_ms = latency_ms;
  auto server = SimServer::start(sim);
  if (!server.ok()) {
    std::fprintf(stderr, "%s\n", server.status().message().c_str());
    return 1;
  }
  auto items = *find_bench("arith")->items({Tier::kFull, 0, {}});
  PoolOptions options;
  options.concurrency = concurrency;
  HttpPool pool(options);
  int next = 0, ok = 0;
  const std::string url = (*server)->base_url() + "/chat/completions";
  const auto start = std::chrono::steady_clock::now();
  pool.run(
      [&]() -> std::optional<HttpRequest> {
        if (next >= requests) return std::nullopt;
        const Item& item = items[static_cast<std::size_t>(next) % items.size()];
        ChatRequest chat{"qdrift-sim", {{"user", item.prompt}}, sampling_preset(false), next};
        return HttpRequest{"POST", url, chat_request_body(chat), {}, static_cast<std::uint64_t>(next++)};
      },
      [&](HttpRequest&&, HttpResponse&& response) { ok += response.ok(); });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  HttpResponse stats = http_fetch({"GET", "http://127.0.0.1:" + std::to_string((*server)->port()) + "/sim/stats", "", {}, 0}, {});
  const auto server_view = nlohmann::json::parse(stats.body);
  const double ideal = concurrency * 1000.0 / latency_ms;
  std::printf("concurrency %d, %d requests, latency %d ms\n", concurrency, requests, latency_ms);
  std::printf("  ok responses          %d\n", ok);
  std::printf("  pool max in flight    %zu\n", pool.stats().max_in_flight);
  std::printf("  server max in flight  %d\n", server_view["max_in_flight"].get<int>());
  std::printf("  wall time             %.2f s\n", seconds);
  std::printf("  throughput            %.0f req/s (ideal c/latency = %.0f req/s, %.0f%%)\n", requests / seconds, ideal,
              100 * requests / seconds / ideal);
  return ok == requests ? 0 : 1;
}
