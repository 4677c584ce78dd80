// The tripwire against real sim servers on loopback: fetch, compare, decide.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "qdrift/sim.h"
#include "tripwire/probe.h"
#include "tripwire/trip_rule.h"
#include "util/hash.h"

using namespace qdrift;
using namespace qdrift::tripwire;

namespace {

std::vector<std::string> corpus(int texts, int words) {
  std::vector<std::string> out;
  for (int s = 0; s < texts; ++s) {
    std::string text = "Begin";
    for (int w = 0; w < words; ++w) text += fmt::format(" c{}", mix64(static_cast<std::uint64_t>(s * 7919 + w)) % 4000);
    out.push_back(text);
  }
  return out;
}

std::vector<Sequence> pass_from(const std::string& variant, std::uint64_t seed, const std::vector<std::string>& texts,
                                const std::string& dialect = "vllm") {
  SimOptions o;
  o.variant = variant;
  o.seed = seed;
  auto server = SimServer::start(o);
  REQUIRE(server.ok());
  ProbeOptions probe;
  probe.endpoint.base_url = (*server)->base_url();
  probe.endpoint.model = "qdrift-sim";
  probe.dialect = dialect;
  auto pass = fetch_pass(texts, probe);
  REQUIRE(pass.ok());
  CHECK(pass->alternatives == (dialect != "tgi"));
  return pass->sequences;
}

}  // namespace

TEST_CASE("tripwire: a repeat does not trip but broken and int4 do", "[tripwire][e2e]") {
  const auto texts = corpus(64, 128);
  const auto first = pass_from("fp16", 1, texts);
  const auto floor = *compare_passes(first, pass_from("fp16", 2, texts), true);
  const auto repeat = *compare_passes(first, pass_from("fp16", 3, texts), true);
  const auto int4 = *compare_passes(first, pass_from("int4", 4, texts), true);
  const auto broken = *compare_passes(first, pass_from("broken", 5, texts), true);
  TripDecision r = decide(floor, repeat, 0.05), i = decide(floor, int4, 0.05), b = decide(floor, broken, 0.05);
  INFO("floor KL " << r.floor_mean_kl << " repeat " << r.mean_kl << " int4 " << i.mean_kl << " broken " << b.mean_kl
                   << "; top-1 floor " << r.floor_top1_agreement << " int4 " << i.top1_agreement);
  CHECK_FALSE(r.tripped);
  CHECK(b.tripped);
  CHECK(i.tripped);  // the sim's int4 bends logits ~7x the serving noise in KL
}

TEST_CASE("tripwire errors name the server's reason", "[tripwire]") {
  SimOptions o;
  auto server = SimServer::start(o);
  ProbeOptions probe;
  probe.endpoint.base_url = (*server)->base_url();
  probe.endpoint.model = "qdrift-sim";
  probe.top_k = 50;
  auto pass = fetch_pass({"a b c"}, probe);
  REQUIRE_FALSE(pass.ok());
  CHECK(pass.status().message().find("HTTP 400: Requested sample logprobs of 50, which is greater than max allowed: 20") !=
        std::string::npos);
}

TEST_CASE("tripwire passes over different tokenizations cannot be compared", "[tripwire]") {
  std::vector<Sequence> a(1, Sequence(3)), b(1, Sequence(4));
  auto compared = compare_passes(a, b, true);
  REQUIRE_FALSE(compared.ok());
  CHECK(compared.status().message().find("tokenizers differ") != std::string::npos);
}

TEST_CASE("tripwire: fp16 repeats from twenty serve seeds never trip", "[tripwire][e2e]") {
  const auto texts = corpus(64, 64);
  const auto first = pass_from("fp16", 1, texts);
  const auto floor = *compare_passes(first, pass_from("fp16", 2, texts), true);
  int trips = 0;
  for (std::uint64_t seed = 10; seed < 30; ++seed) trips += decide(floor, *compare_passes(first, pass_from("fp16", seed, texts), true), 0.05).tripped;
  CHECK(trips == 0);
}

TEST_CASE("tripwire over TGI: no alternatives so the absolute logprob difference decides", "[tripwire][e2e]") {
  const auto texts = corpus(64, 128);
  auto tgi_pass = [&](const std::string& variant, std::uint64_t seed) { return pass_from(variant, seed, texts, "tgi"); };
  const auto first = tgi_pass("fp16", 1);
  const auto floor = *compare_passes(first, tgi_pass("fp16", 2), false);
  int trips = 0;
  for (std::uint64_t seed = 10; seed < 20; ++seed)
    trips += decide(floor, *compare_passes(first, tgi_pass("fp16", seed), false), 0.05).tripped;
  const TripDecision int4 = decide(floor, *compare_passes(first, tgi_pass("int4", 4), false), 0.05);
  const TripDecision broken = decide(floor, *compare_passes(first, tgi_pass("broken", 5), false), 0.05);
  INFO("TGI |dlogp| floor " << int4.floor_drift << " int4 " << int4.drift << " broken " << broken.drift);
  CHECK(int4.metric == "abs_logprob_diff");
  CHECK_FALSE(available(int4.mean_kl));
  CHECK(trips == 0);
  CHECK(broken.tripped);
  CHECK(int4.tripped);
}
