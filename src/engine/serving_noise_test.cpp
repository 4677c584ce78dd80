#include "engine/serving_noise.h"

#include <catch2/catch.hpp>

using namespace qdrift;

namespace {
ProbeAnswer answer(const std::string& text, bool correct) { return {text, {}, {}, correct, false}; }
}  // namespace

TEST_CASE("noise: rounds compare prompt by prompt, by tokens when there are logprobs", "[noise]") {
  const std::vector<ProbeAnswer> a = {answer("the answer is 4", true), answer("so x = 7", true),
                                      {"a b c", {"a", " b", " c"}, {-0.1, -0.7, -0.2}, true, false},
                                      {"", {}, {}, false, true}};
  const std::vector<ProbeAnswer> b = {answer("the answer is 4", true), answer("so x = 9", false),
                                      {"a b d", {"a", " b", " d"}, {-0.1, -0.7, -0.9}, true, false},
                                      answer("late", true)};
  const RoundComparison c = compare_rounds(a, b);
  CHECK(c.compared == 3);  // the failed one is left out
  CHECK(c.identical == 1);
  CHECK(c.flipped == 1);
  CHECK(c.first_divergence == std::vector<double>{3, 2});  // word 3 ("7" vs "9"); token 2
  REQUIRE(c.logprob_gaps.size() == 1);
  CHECK(c.logprob_gaps[0] == Approx(0.7));
  CHECK(c.identical_share() == Approx(1.0 / 3));
}

TEST_CASE("noise: the diagnosis names the case and the flips to expect", "[noise]") {
  RoundComparison exact;
  exact.compared = exact.identical = 10;
  RoundComparison varied = exact;
  varied.identical = 7;
  varied.flipped = 1;
  CHECK(noise_diagnosis({exact, exact, exact}).rfind("deterministic:", 0) == 0);
  const std::string batch = noise_diagnosis({exact, varied, varied});
  CHECK(batch.rfind("not batch invariant: repeats agree alone and differ in a batch", 0) == 0);
  CHECK(batch.find("VLLM_BATCH_INVARIANT=1") != std::string::npos);
  CHECK(batch.find("expect about 10.0% of items to flip") != std::string::npos);
  CHECK(noise_diagnosis({varied, varied, varied}).rfind("not deterministic even alone", 0) == 0);
  CHECK(noise_diagnosis({exact, exact, varied}).rfind("batch-dependent but repeatable", 0) == 0);
}
