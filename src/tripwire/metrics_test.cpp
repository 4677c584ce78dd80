// Expected values are computed by hand (the formula beside each) or in Python.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "qdrift/tripwire.h"

using namespace qdrift::tripwire;

namespace {
Position position(const std::string& actual, std::vector<std::pair<std::string, double>> probabilities) {
  Position p;
  p.token = actual;
  for (auto& [token, prob] : probabilities) {
    p.top.emplace_back(token, std::log(prob));
    if (token == actual) p.logprob = std::log(prob);
  }
  return p;
}
}  // namespace

TEST_CASE("top-k KL is exact when both passes list the whole support", "[tripwire]") {
  // 0.5 ln(0.5/0.35) + 0.3 ln(0.3/0.45) + 0.2 ln(0.2/0.2) = 0.0566979
  Position base = position("a", {{"a", 0.5}, {"b", 0.3}, {"c", 0.2}});
  Position cand = position("a", {{"a", 0.35}, {"b", 0.45}, {"c", 0.2}});
  CHECK(top_k_kl(base, cand) == Approx(0.0566979));
  CHECK(top_k_kl(base, base) == Approx(0.0).margin(1e-12));
  PositionComparison c = compare_position(base, cand);
  CHECK_FALSE(c.top1_agrees);  // a vs b
  CHECK(c.delta_p == Approx(0.35 - 0.5));
  CHECK(c.base_nll == Approx(-std::log(0.5)));
}

TEST_CASE("top-k KL puts the unlisted mass in a tail bucket", "[tripwire]") {
  // Top-2 of both; tails 0.2 and 0.2: 0.5 ln(0.5/0.4) + 0.3 ln(0.3/0.4) + 0.2 ln(0.2/0.2) = 0.0252672
  Position base = position("a", {{"a", 0.5}, {"b", 0.3}});
  Position cand = position("a", {{"a", 0.4}, {"b", 0.4}});
  CHECK(top_k_kl(base, cand) == Approx(0.0252672));
}

TEST_CASE("a token missing from the candidate's top-k gets the most it could have", "[tripwire]") {
  // q(b) = min(smallest listed 0.2, unlisted 0.1) = 0.1; tails 0.1 vs 1 - 0.8 = 0.2:
  // 0.6 ln(0.6/0.7) + 0.3 ln(0.3/0.1) + 0.1 ln(0.1/0.2) = 0.1677786
  Position base = position("a", {{"a", 0.6}, {"b", 0.3}});
  Position cand = position("a", {{"a", 0.7}, {"c", 0.2}});
  CHECK(top_k_kl(base, cand) == Approx(0.1677786));
}

TEST_CASE("top-k KL never exceeds the exact KL on random distributions", "[tripwire]") {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> unit;
  std::normal_distribution<double> normal;
  for (int trial = 0; trial < 1000; ++trial) {
    const int vocabulary = 50, k = trial % 3 == 0 ? 1 : (trial % 3 == 1 ? 5 : 20);
    const double noise = std::vector<double>{0.05, 0.3, 1.0, 3.0}[static_cast<std::size_t>(trial % 4)];
    std::vector<double> p(vocabulary), q(vocabulary);
    double sp = 0, sq = 0;
    for (int i = 0; i < vocabulary; ++i) {
      p[i] = std::pow(unit(rng), 4) + 1e-9;
      q[i] = p[i] * std::exp(noise * normal(rng));
      sp += p[i];
      sq += q[i];
    }
    double exact = 0;
    for (int i = 0; i < vocabulary; ++i) exact += p[i] / sp * std::log((p[i] / sp) / (q[i] / sq));
    auto top = [&](const std::vector<double>& v, double sum) {
      std::vector<int> order(vocabulary);
      for (int i = 0; i < vocabulary; ++i) order[i] = i;
      std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int a, int b) { return v[a] > v[b]; });
      Position pos;
      for (int j = 0; j < k; ++j) pos.top.emplace_back(std::to_string(order[j]), std::log(v[order[j]] / sum));
      return pos;
    };
    const double estimate = top_k_kl(top(p, sp), top(q, sq));
    CHECK(estimate <= exact + 1e-9);
    if (k == vocabulary) CHECK(estimate == Approx(exact));
  }
}

TEST_CASE("summaries: agreement, KL percentiles, delta-p and PPL ratio", "[tripwire]") {
  std::vector<PositionComparison> positions = {
      {true, true, 0.0, 0.0, 1.0, 1.0}, {true, true, 0.1, -0.1, 1.0, 1.2}, {true, false, 0.3, -0.2, 2.0, 2.4},
      {true, true, 0.0, 0.1, 0.5, 0.4}};
  Summary s = summarize(positions);
  CHECK(s.positions == 4);
  CHECK(s.top1_agreement == Approx(0.75));
  CHECK(s.mean_kl == Approx(0.1));
  CHECK(s.median_kl == Approx(0.05));  // between 0.0 and 0.1
  CHECK(s.max_kl == Approx(0.3));
  CHECK(s.mean_delta_p == Approx(-0.05));
  CHECK(s.rms_delta_p == Approx(std::sqrt((0.01 + 0.04 + 0.01) / 4)));
  CHECK(s.ppl_ratio == Approx(std::exp((0.0 + 0.2 + 0.4 - 0.1) / 4)));
  SequenceScore q = score_sequence(positions);
  CHECK(q.mean_kl == Approx(0.1));
  CHECK(q.mean_nll_difference == Approx(0.125));
  CHECK(q.mean_abs_logprob_difference == Approx((0.0 + 0.2 + 0.4 + 0.1) / 4));
  CHECK(s.mean_abs_logprob_difference == Approx(0.175));
}

TEST_CASE("without comparable alternatives top-1 agreement and KL are unavailable", "[tripwire]") {
  // TGI-like positions: the actual token's logprob only.
  Position base{"7", std::log(0.5), {}}, cand{"7", std::log(0.25), {}};
  PositionComparison c = compare_position(base, cand);
  CHECK_FALSE(c.alternatives);
  CHECK_FALSE(available(c.kl));
  CHECK(c.delta_p == Approx(-0.25));
  // Alternatives present but declared incomparable (tokens keyed differently).
  Position keyed_a{"a", std::log(0.5), {{"a", std::log(0.5)}}}, keyed_b{"a", std::log(0.5), {{"a", std::log(0.5)}}};
  CHECK_FALSE(compare_position(keyed_a, keyed_b, false).alternatives);
  CHECK(compare_position(keyed_a, keyed_b, true).alternatives);
  Summary s = summarize({c, compare_position(keyed_a, keyed_b, true)});
  CHECK_FALSE(available(s.top1_agreement));
  CHECK_FALSE(available(s.mean_kl));
  CHECK(s.mean_abs_logprob_difference == Approx(std::log(2.0) / 2));
  CHECK(s.ppl_ratio == Approx(std::exp(std::log(2.0) / 2)));
  SequenceScore q = score_sequence({c});
  CHECK_FALSE(available(q.mean_kl));
  CHECK_FALSE(available(q.top1_agreement));
  CHECK(q.mean_abs_logprob_difference == Approx(std::log(2.0)));
}
