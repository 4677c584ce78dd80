// Comparing probe rounds, and what their differences mean.
#include "engine/serving_noise.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <fmt/format.h>


namespace qdrift {

namespace {

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

double share(int part, int whole) { return whole > 0 ? static_cast<double>(part) / whole : 0.0; }

}  // namespace

double RoundComparison::identical_share() const { return share(identical, compared); }
double RoundComparison::flip_share() const { return share(flipped, compared); }

RoundComparison compare_rounds(const std::vector<ProbeAnswer>& a, const std::vector<ProbeAnswer>& b) {
  RoundComparison c;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (a[i].failed || b[i].failed) continue;
    ++c.compared;
    c.flipped += a[i].correct != b[i].correct;
    if (a[i].text == b[i].text) {
      ++c.identical;
      continue;
    }
    const bool by_tokens = !a[i].tokens.empty() && !b[i].tokens.empty();
    const std::vector<std::string> x = by_tokens ? a[i].tokens : words(a[i].text);
    const std::vector<std::string> y = by_tokens ? b[i].tokens : words(b[i].text);
    std::size_t at = 0;
    while (at < x.size() && at < y.size() && x[at] == y[at]) ++at;
    c.first_divergence.push_back(static_cast<double>(at));
    if (by_tokens && at < a[i].logprobs.size() && at < b[i].logprobs.size())
      c.logprob_gaps.push_back(std::abs(a[i].logprobs[at] - b[i].logprobs[at]));
  }
  return c;
}

std::string noise_diagnosis(const NoiseFindings& f) {
  const bool alone_exact = f.alone.identical == f.alone.compared;
  const bool batched_exact = f.batched.identical == f.batched.compared;
  const bool across_exact = f.across.identical == f.across.compared;
  // Two real runs differ in what else shares their batches: the larger of the
  // batched repeats' and the alone-against-batched flip shares is the floor to expect.
  const double flips = std::max({f.alone.flip_share(), f.batched.flip_share(), f.across.flip_share()});
  const std::string expect =
      fmt::format("expect about {:.1f}% of items to flip between two runs at temperature 0 from the server alone; "
                  "at sampling temperatures more flip, from sampling itself",
                  100 * flips);
  if (alone_exact && batched_exact && across_exact)
    return "deterministic: repeats are exact alone and inside a batch, so at temperature 0 two runs agree and every "
           "flip at sampling temperatures comes from sampling, not from serving.\n"
           "expect no flips between two runs at temperature 0";
  if (!alone_exact)
    return "not deterministic even alone: the same request at temperature 0 with a fixed seed answered twice "
           "differs. The server may ignore the seed or use nondeterministic kernels; check its sampling and "
           "kernel settings before trusting a small flip count.\n" +
           expect;
  if (batched_exact)
    return "batch-dependent but repeatable: repeats in the same kind of batch agree, but alone and batched answers "
           "differ — the answer depends on what shares the batch. vLLM's batch-invariant mode "
           "(VLLM_BATCH_INVARIANT=1) or disabling chunked prefill with batch size 1 makes repeats exact.\n" +
           expect;
  return "not batch invariant: repeats agree alone and differ in a batch. vLLM's batch-invariant mode "
         "(VLLM_BATCH_INVARIANT=1) or disabling chunked prefill with batch size 1 makes repeats exact; qdrift's "
         "paired tests already treat these flips as noise.\n" +
         expect;
}

}  // namespace qdrift
