// The tripwire's parsers read logprob bodies from four server dialects (vLLM echo,
// vLLM prompt_logprobs, SGLang /generate, TGI /generate). A server that sends
// positive log-probabilities, 1e308 or a thousand alternatives must not produce
// a NaN that silently passes the trip rule.
#include <algorithm>
#include <cmath>

#include "fuzz_target.h"
#include "qdrift/tripwire.h"
#include "tripwire/sglang_dialect.h"
#include "tripwire/tgi_dialect.h"
#include "tripwire/vllm_dialect.h"

namespace {

// A pass compared with itself has no drift: every figure the report prints is
// defined, KL is zero and the top-1 token always agrees. Positions without
// alternatives (TGI) are compared as the tripwire compares them: actual tokens only.
void check_against_itself(const qdrift::tripwire::Sequence& sequence) {
  std::vector<qdrift::tripwire::PositionComparison> positions;
  for (const auto& position : sequence) {
    const bool alternatives = !position.top.empty();
    const auto comparison = qdrift::tripwire::compare_position(position, position, alternatives);
    if (alternatives) QDRIFT_REQUIRE(std::isfinite(comparison.kl) && std::abs(comparison.kl) < 1e-9);
    QDRIFT_REQUIRE(comparison.delta_p == 0);
    positions.push_back(comparison);
  }
  const auto summary = qdrift::tripwire::summarize(positions);
  QDRIFT_REQUIRE(summary.positions == sequence.size());
  QDRIFT_REQUIRE(std::isfinite(summary.mean_abs_logprob_difference) && summary.mean_abs_logprob_difference == 0);
  const bool all_alternatives = std::all_of(sequence.begin(), sequence.end(), [](const auto& p) { return !p.top.empty(); });
  if (!sequence.empty() && all_alternatives)
    QDRIFT_REQUIRE(summary.top1_agreement == 1.0 && std::isfinite(summary.mean_kl));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace tw = qdrift::tripwire;
  const auto body = qdrift::fuzz::as_text(data, size);
  if (const auto echo = tw::parse_vllm_echo(body); echo.ok()) check_against_itself(echo->sequence);
  if (const auto prompt = tw::parse_vllm_prompt_logprobs(body); prompt.ok()) check_against_itself(prompt->sequence);
  if (const auto sglang = tw::parse_sglang_generate(body); sglang.ok()) check_against_itself(sglang.value());
  if (const auto tgi = tw::parse_tgi_generate(body); tgi.ok()) check_against_itself(tgi.value());
  return 0;
}
