// The simulator's logprobs through the real vLLM parser and the real metrics.
#include <catch2/catch.hpp>
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "qdrift/sim.h"
#include "qdrift/tripwire.h"
#include "tripwire/vllm_dialect.h"
#include "util/hash.h"

using namespace qdrift;
using namespace qdrift::tripwire;

namespace {

SimModel model(const std::string& variant, std::uint64_t seed) {
  SimOptions o;
  o.variant = variant;
  o.seed = seed;
  return SimModel(o, *sim_damage(o));
}

std::string text(int sequence, int words) {
  std::string out = "Start";
  for (int w = 0; w < words; ++w) out += fmt::format(" t{}", mix64(static_cast<std::uint64_t>(sequence * 1000 + w)) % 3000);
  return out;
}

Sequence fetch(const SimModel& m, const std::string& prompt, int top_k) {
  SimReply reply = m.completions(vllm_echo_request("qdrift-sim", prompt, top_k));
  REQUIRE(reply.status == 200);
  auto parsed = parse_vllm_echo(reply.body);
  REQUIRE(parsed.ok());
  return parsed->sequence;
}

// Top-1 agreement and mean KL of `cand` against `base` over 32 sequences of 100 tokens.
Summary compare_models(const SimModel& base, const SimModel& cand) {
  std::vector<PositionComparison> all;
  for (int s = 0; s < 32; ++s) {
    Sequence a = fetch(base, text(s, 100), 20), b = fetch(cand, text(s, 100), 20);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) all.push_back(compare_position(a[i], b[i]));
  }
  return summarize(all);
}

}  // namespace

TEST_CASE("sim logprobs: fp16 repeats agree, int4 drifts, broken collapses", "[sim][tripwire]") {
  Summary repeat = compare_models(model("fp16", 1), model("fp16", 2));
  Summary int4 = compare_models(model("fp16", 1), model("int4", 2));
  Summary broken = compare_models(model("fp16", 1), model("broken", 2));
  INFO("top-1 repeat " << repeat.top1_agreement << " int4 " << int4.top1_agreement << " broken "
                       << broken.top1_agreement << "; KL " << repeat.mean_kl << " " << int4.mean_kl << " "
                       << broken.mean_kl);
  CHECK(repeat.top1_agreement > 0.975);
  CHECK(repeat.top1_agreement < 0.995);
  CHECK(int4.top1_agreement < repeat.top1_agreement);
  CHECK(int4.mean_kl > 2 * repeat.mean_kl);
  CHECK(broken.top1_agreement < 0.7);
  CHECK(broken.mean_kl > 10 * int4.mean_kl);
}

TEST_CASE("the top-20 KL estimate stays close below the exact KL on the sim", "[sim][tripwire]") {
  SimModel base = model("fp16", 1), cand = model("int4", 2);
  double estimated = 0, exact = 0;
  for (int s = 0; s < 16; ++s) {
    const std::string prompt = text(s, 100);
    Sequence a = fetch(base, prompt, 20), b = fetch(cand, prompt, 20);
    auto full_a = base.prompt_distributions(prompt), full_b = cand.prompt_distributions(prompt);
    for (std::size_t i = 0; i < a.size(); ++i) {
      estimated += top_k_kl(a[i], b[i]);
      std::map<std::string, double> q;
      for (auto& [token, logprob] : full_b[i].logprobs) q[token] = logprob;
      for (auto& [token, logprob] : full_a[i].logprobs) exact += std::exp(logprob) * (logprob - q.at(token));
    }
  }
  INFO("estimated " << estimated << " exact " << exact << " ratio " << estimated / exact);
  CHECK(estimated <= exact * (1 + 1e-9));
  CHECK(estimated >= 0.8 * exact);
}

TEST_CASE("sim completions refuse what vLLM refuses", "[sim][tripwire]") {
  SimModel m = model("fp16", 1);
  SimReply too_many = m.completions(vllm_echo_request("qdrift-sim", "a b c", 21));
  CHECK(too_many.status == 400);
  CHECK(too_many.body.find("greater than max allowed: 20") != std::string::npos);
  CHECK(m.completions(vllm_echo_request("other", "a b", 5)).status == 404);
}
