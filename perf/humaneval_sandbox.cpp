// Benchmark: scores HumanEval's 164 canonical solutions through the sandbox pool and
// prints the wall time and the per-program latency. Target: under 30 s on 2 cores.
//
//   build/humaneval_sandbox [path/to/HumanEval.jsonl] [workers]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "qdrift/sandbox.h"

using namespace qdrift;

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "../shared/data/humaneval/HumanEval.jsonl";
  Result<std::vector<HumanEvalProblem>> problems = load_humaneval(path);
  if (!problems.ok()) {
    std::fprintf(stderr, "humaneval_sandbox: %s\n", problems.status().message().c_str());
    return 3;
  }
  SandboxOptions options;
  if (argc > 2) options.workers = static_cast<unsigned>(std::atoi(argv[2]));
  const auto create_start = std::chrono::steady_clock::now();
  Result<Sandbox> sandbox = Sandbox::Create(options);
  if (!sandbox.ok()) {
    std::fprintf(stderr, "humaneval_sandbox: %s\n", sandbox.status().message().c_str());
    return 3;
  }
  const double create_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - create_start).count();

  std::vector<HumanEvalProgram> programs;
  std::vector<std::string> sources;
  for (const HumanEvalProblem& problem : *problems) {
    programs.push_back(assemble_humaneval_program(problem, problem.canonical_solution));
    sources.push_back(programs.back().source);
  }
  const auto start = std::chrono::steady_clock::now();
  std::vector<Result<SandboxRun>> runs = run_all(*sandbox, sources);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::vector<double> latencies;
  int passed = 0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (!runs[i].ok()) continue;
    latencies.push_back(runs[i]->seconds);
    if (humaneval_passed(programs[i], *runs[i])) ++passed;
  }
  std::sort(latencies.begin(), latencies.end());
  auto quantile = [&](double q) {
    return latencies.empty() ? 0.0 : latencies[static_cast<std::size_t>(q * (latencies.size() - 1))];
  };
  double total = 0;
  for (double latency : latencies) total += latency;
  std::printf("sandbox: %s, %u workers (probe %.3f s)\n", sandbox->sandboxed() ? "bubblewrap" : "UNSANDBOXED",
              sandbox->options().workers, create_seconds);
  std::printf("canonical solutions passed: %d / %zu\n", passed, runs.size());
  std::printf("wall time: %.2f s (%.1f programs/s)\n", wall, runs.size() / wall);
  std::printf("per-program latency: mean %.3f s, p50 %.3f s, p95 %.3f s, max %.3f s\n",
              latencies.empty() ? 0.0 : total / latencies.size(), quantile(0.5), quantile(0.95), quantile(1.0));
  return passed == static_cast<int>(runs.size()) ? 0 : 1;
}
