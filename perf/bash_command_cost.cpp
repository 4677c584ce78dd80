// Benchmark: what one agent command costs in the grounded bench's sandbox. Opens
// a session over scenario 1's files and runs each kind of command the agent
// sends (`true`, a sqlite3 query, an awk pass over prices.csv, python3), one at
// a time and then from several sessions at once, printing p50 / p95 wall time.
//
//   build/bash_command_cost [runs per kind] [parallel sessions]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "grounded/scenarios.h"
#include "qdrift/bash_session.h"

using namespace qdrift;

namespace {

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
}

// Wall times in ms of `runs` commands in one session; empty on failure.
std::vector<double> time_commands(const BashSessionOptions& options, const std::string& command, int runs) {
  auto session = BashSession::Open(options);
  if (!session.ok()) {
    std::fprintf(stderr, "bash_command_cost: %s\n", session.status().message().c_str());
    return {};
  }
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    auto run = session->run(command);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    if (!run.ok() || run->failed()) {
      std::fprintf(stderr, "bash_command_cost: `%s` failed: %s\n", command.c_str(),
                   run.ok() ? run->output.c_str() : run.status().message().c_str());
      return {};
    }
  }
  return ms;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::atoi(argv[1]) : 40;
  const int parallel = argc > 2 ? std::atoi(argv[2]) : 8;
  auto dir = grounded::Scenarios::get().data_dir(1);
  if (!dir.ok()) {
    std::fprintf(stderr, "bash_command_cost: %s\n", dir.status().message().c_str());
    return 3;
  }
  BashSessionOptions options;
  options.read_only_binds.push_back({*dir, "/data"});
  if (Status probed = probe_bash_sandbox(options); !probed.ok()) {
    std::fprintf(stderr, "bash_command_cost: %s\n", probed.message().c_str());
    return 3;
  }
  const std::pair<const char*, std::string> kinds[] = {
      {"true", "true"},
      {"sqlite3 query", "sqlite3 /data/market.db \"SELECT AVG(close) FROM prices WHERE ticker = (SELECT MIN(ticker) FROM prices)\""},
      {"awk over prices.csv", "awk -F, 'NR > 1 { s += $6 } END { print s }' /data/prices.csv"},
      {"python3 -c", "python3 -c 'print(1 + 1)'"},
  };
  std::printf("%d runs of each kind, one session at a time:\n", runs);
  for (const auto& [name, command] : kinds) {
    const std::vector<double> ms = time_commands(options, command, runs);
    if (ms.empty()) return 1;
    std::printf("  %-22s p50 %6.1f ms  p95 %6.1f ms\n", name, percentile(ms, 0.5), percentile(ms, 0.95));
  }
  std::vector<std::vector<double>> per_thread(static_cast<std::size_t>(parallel));
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < parallel; ++t)
    threads.emplace_back([&, t] { per_thread[static_cast<std::size_t>(t)] = time_commands(options, kinds[1].second, runs); });
  for (std::thread& thread : threads) thread.join();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<double> all;
  for (const auto& ms : per_thread) all.insert(all.end(), ms.begin(), ms.end());
  if (all.size() != static_cast<std::size_t>(runs * parallel)) return 1;
  std::printf("%d sessions at once, sqlite3 query: p50 %.1f ms  p95 %.1f ms, %.0f commands/s\n", parallel,
              percentile(all, 0.5), percentile(all, 0.95), static_cast<double>(all.size()) / wall);
  return 0;
}
