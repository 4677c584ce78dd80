// Reproduces the IFEval conformance figures: our strict and loose verdicts on
// GPT-4's 541 responses against a recorded run of the reference checker, per
// instruction id, with prompt- and instruction-level accuracy, and every
// disagreement (prompt key, id, mode, ours vs reference).
//
//   cmake -B build -DQDRIFT_BUILD_PERF=ON && ninja -C build ifeval_conformance
//   build/ifeval_conformance [path/to/shared/data/ifeval]
#include <chrono>
#include <cstdio>
#include <string>

#include "ifeval/conformance.h"

int main(int argc, char** argv) {
  const std::string data_dir = argc > 1 ? argv[1] : std::string(QDRIFT_SHARED_DATA) + "/ifeval";
  const auto start = std::chrono::steady_clock::now();
  qdrift::Result<qdrift::ifeval::ConformanceReport> report = qdrift::ifeval::run_conformance(data_dir);
  if (!report.ok()) {
    std::fprintf(stderr, "ifeval_conformance: %s\n", report.status().message().c_str());
    return 1;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fputs(qdrift::ifeval::format_report(*report, /*list_disagreements=*/true).c_str(), stdout);
  std::printf("\n%d prompts checked in %.2f s\n", report->prompts, seconds);
  return 0;
}
