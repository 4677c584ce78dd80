// Benchmark: one tripwire pass of 64 texts x 512 tokens against an in-process
// sim (vLLM echo + top-20 logprobs), then the comparison with a second pass.
//
//   build/tripwire_speed [texts=64] [tokens=512]
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "qdrift/sim.h"
#include "tripwire/probe.h"
#include "util/hash.h"

using namespace qdrift;
using namespace qdrift::tripwire;

int main(int argc, char** argv) {
  const int texts = argc > 1 ? std::atoi(argv[1]) : 64;
  const int tokens = argc > 2 ? std::atoi(argv[2]) : 512;
  std::vector<std::string> corpus;
  for (int s = 0; s < texts; ++s) {
    std::string text = "Begin";
    for (int w = 1; w < tokens; ++w) text += fmt::format(" c{}", mix64(static_cast<std::uint64_t>(s * 7919 + w)) % 4000);
    corpus.push_back(text);
  }
  SimOptions a, b;
  b.seed = 2;
  auto first = SimServer::start(a), second = SimServer::start(b);
  ProbeOptions probe;
  probe.endpoint.model = "qdrift-sim";
  const auto start = std::chrono::steady_clock::now();
  probe.endpoint.base_url = (*first)->base_url();
  auto pass1 = fetch_pass(corpus, probe);
  const auto fetched = std::chrono::steady_clock::now();
  probe.endpoint.base_url = (*second)->base_url();
  auto pass2 = fetch_pass(corpus, probe);
  if (!pass1.ok() || !pass2.ok()) {
    std::fprintf(stderr, "tripwire failed\n");
    return 1;
  }
  Summary summary;
  auto scores = compare_passes(pass1->sequences, pass2->sequences, true, &summary);
  const auto end = std::chrono::steady_clock::now();
  if (!scores.ok()) {
    std::fprintf(stderr, "tripwire failed\n");
    return 1;
  }
  std::printf("%d texts x %d tokens, top-20 logprobs, sim on loopback\n", texts, tokens);
  std::printf("  one pass (fetch + parse)     %.2f s\n", std::chrono::duration<double>(fetched - start).count());
  std::printf("  two passes + comparison      %.2f s\n", std::chrono::duration<double>(end - start).count());
  std::printf("  repeat top-1 agreement %.4f, mean KL %.5f over %zu positions\n", summary.top1_agreement,
              summary.mean_kl, summary.positions);
  return 0;
}
