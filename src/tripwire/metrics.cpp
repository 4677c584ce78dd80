// Tripwire metrics: top-1 agreement, top-k KL with a tail bucket, delta-p, PPL ratio.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include <fmt/format.h>

#include "qdrift/stats.h"
#include "qdrift/tripwire.h"

namespace qdrift::tripwire {

namespace {

// Probabilities below this are treated as this, so log(0) never appears.
constexpr double kFloor = 1e-12;

const std::string* argmax(const Position& p) {
  const std::pair<std::string, double>* best = nullptr;
  for (const auto& entry : p.top)
    if (!best || entry.second > best->second) best = &entry;
  return best ? &best->first : nullptr;
}

}  // namespace

double top_k_kl(const Position& base, const Position& cand) {
  if (base.top.empty()) return 0;
  std::map<std::string, double> cand_prob;
  double cand_listed = 0, cand_smallest = 1;
  for (const auto& [token, logprob] : cand.top) {
    const double p = std::exp(logprob);
    if (cand_prob.emplace(token, p).second) {
      cand_listed += p;
      cand_smallest = std::min(cand_smallest, p);
    }
  }
  const double cand_unlisted = std::max(0.0, 1 - cand_listed);
  double kl = 0, base_listed = 0, cand_on_base_tokens = 0;
  std::map<std::string, bool> seen;
  for (const auto& [token, logprob] : base.top) {
    if (!seen.emplace(token, true).second) continue;  // servers that key by text can repeat a string
    const double p = std::exp(logprob);
    auto it = cand_prob.find(token);
    const double q = it != cand_prob.end() ? it->second : std::min(cand_smallest, cand_unlisted);
    base_listed += p;
    cand_on_base_tokens += q;
    kl += p * std::log(std::max(p, kFloor) / std::max(q, kFloor));
  }
  const double base_tail = std::max(0.0, 1 - base_listed);
  const double cand_tail = std::max(0.0, 1 - cand_on_base_tokens);
  if (base_tail > 0) kl += base_tail * std::log(std::max(base_tail, kFloor) / std::max(cand_tail, kFloor));
  return std::max(0.0, kl);  // rounding can leave a tiny negative
}

Status check_logprobs(Sequence& sequence) {
  constexpr double kFloatNoise = 1e-4;
  const auto check = [&](double& logprob, std::size_t index, const char* what) -> Status {
    if (logprob > kFloatNoise)
      return Status::BadInput(fmt::format("logprobs: position {}: {} log-probability {} is above 0", index, what, logprob));
    logprob = std::min(logprob, 0.0);
    return Status::Ok();
  };
  for (std::size_t i = 0; i < sequence.size(); ++i) {
    QDRIFT_TRY(check(sequence[i].logprob, i, "the actual token's"));
    for (auto& [token, logprob] : sequence[i].top) QDRIFT_TRY(check(logprob, i, "an alternative's"));
  }
  return Status::Ok();
}

PositionComparison compare_position(const Position& base, const Position& cand, bool alternatives) {
  PositionComparison c;
  c.alternatives = alternatives && !base.top.empty() && !cand.top.empty();
  if (c.alternatives) {
    const std::string* a = argmax(base);
    const std::string* b = argmax(cand);
    c.top1_agrees = a && b && *a == *b;
    c.kl = top_k_kl(base, cand);
  } else {
    c.kl = kUnavailable;
  }
  c.delta_p = std::exp(cand.logprob) - std::exp(base.logprob);
  c.base_nll = -base.logprob;
  c.cand_nll = -cand.logprob;
  return c;
}

Summary summarize(const std::vector<PositionComparison>& positions) {
  Summary s;
  s.positions = positions.size();
  if (positions.empty()) return s;
  std::vector<double> kls, delta_ps;
  double agree = 0, nll_difference = 0, squared = 0, abs_difference = 0;
  bool alternatives = true;
  for (const PositionComparison& p : positions) {
    alternatives = alternatives && p.alternatives;
    agree += p.top1_agrees;
    kls.push_back(p.kl);
    delta_ps.push_back(p.delta_p);
    squared += p.delta_p * p.delta_p;
    nll_difference += p.cand_nll - p.base_nll;
    abs_difference += std::abs(p.cand_nll - p.base_nll);
  }
  const double n = static_cast<double>(positions.size());
  if (alternatives) {
    s.top1_agreement = agree / n;
    s.mean_kl = std::accumulate(kls.begin(), kls.end(), 0.0) / n;
    s.median_kl = stats::quantile(kls, 0.5);
    s.p90_kl = stats::quantile(kls, 0.9);
    s.p99_kl = stats::quantile(kls, 0.99);
    s.max_kl = *std::max_element(kls.begin(), kls.end());
  } else {
    s.top1_agreement = s.mean_kl = s.median_kl = s.p90_kl = s.p99_kl = s.max_kl = kUnavailable;
  }
  s.mean_abs_logprob_difference = abs_difference / n;
  s.mean_delta_p = std::accumulate(delta_ps.begin(), delta_ps.end(), 0.0) / n;
  s.rms_delta_p = std::sqrt(squared / n);
  s.p01_delta_p = stats::quantile(delta_ps, 0.01);
  s.p99_delta_p = stats::quantile(delta_ps, 0.99);
  s.ppl_ratio = std::exp(nll_difference / n);
  return s;
}

SequenceScore score_sequence(const std::vector<PositionComparison>& positions) {
  SequenceScore s;
  if (positions.empty()) return s;
  bool alternatives = true;
  for (const PositionComparison& p : positions) {
    alternatives = alternatives && p.alternatives;
    s.mean_kl += p.kl;
    s.top1_agreement += p.top1_agrees;
    s.mean_nll_difference += p.cand_nll - p.base_nll;
    s.mean_abs_logprob_difference += std::abs(p.cand_nll - p.base_nll);
  }
  const double n = static_cast<double>(positions.size());
  s.mean_kl = alternatives ? s.mean_kl / n : kUnavailable;
  s.top1_agreement = alternatives ? s.top1_agreement / n : kUnavailable;
  s.mean_nll_difference /= n;
  s.mean_abs_logprob_difference /= n;
  return s;
}

}  // namespace qdrift::tripwire
