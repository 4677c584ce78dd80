// fetch_pass, compare_passes and the trip rule.
#include "tripwire/probe.h"

#include <fmt/format.h>

#include "qdrift/openai.h"
#include "qdrift/stats.h"
#include "tripwire/sglang_dialect.h"
#include "tripwire/vllm_dialect.h"

namespace qdrift::tripwire {

Result<std::vector<Sequence>> fetch_pass(const std::vector<std::string>& corpus, const ProbeOptions& options) {
  std::vector<Sequence> sequences(corpus.size());
  std::vector<std::string> headers;
  if (!options.api_key.empty()) headers.push_back("Authorization: Bearer " + options.api_key);
  std::string base = options.endpoint;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const bool sglang = options.dialect == "sglang";
  // SGLang's native API sits at the server root, beside /v1.
  std::string root = base;
  if (root.size() >= 3 && root.compare(root.size() - 3, 3, "/v1") == 0) root.resize(root.size() - 3);
  const std::string url = sglang ? root + "/generate" : base + "/completions";
  const std::string where = sglang ? "/generate" : "/completions";
  HttpPool pool(options.pool);
  std::size_t next = 0;
  Status failure;
  pool.run(
      [&]() -> std::optional<HttpRequest> {
        if (next >= corpus.size()) return std::nullopt;
        std::string body = sglang ? sglang_generate_request(corpus[next], options.top_k, options.pass)
                                  : vllm_echo_request(options.model, corpus[next], options.top_k, options.pass);
        return HttpRequest{"POST", url, std::move(body), headers, next++};
      },
      [&](HttpRequest&& request, HttpResponse&& response) {
        if (!response.ok()) {
          const std::string why = response.status == 0
                                      ? response.transport_error
                                      : fmt::format("HTTP {}: {}", response.status, server_error_message(response.body));
          failure = Status::Endpoint(fmt::format("{}{} (tripwire): {}", redact_url(sglang ? root : base), where, why));
          pool.abort();
          return;
        }
        auto parsed = sglang ? parse_sglang_generate(response.body) : parse_vllm_echo(response.body);
        if (!parsed.ok()) {
          failure = Status::Endpoint(
              fmt::format("{}{} (tripwire): {}", redact_url(sglang ? root : base), where, parsed.status().message()));
          pool.abort();
          return;
        }
        sequences[request.tag] = std::move(parsed).value();
      });
  if (!failure.ok()) return failure;
  return sequences;
}

Result<std::vector<SequenceScore>> compare_passes(const std::vector<Sequence>& base, const std::vector<Sequence>& cand,
                                                  Summary* overall) {
  if (base.size() != cand.size())
    return Status::BadInput(fmt::format("tripwire passes cover {} and {} texts", base.size(), cand.size()));
  std::vector<SequenceScore> scores;
  std::vector<PositionComparison> all;
  for (std::size_t s = 0; s < base.size(); ++s) {
    if (base[s].size() != cand[s].size())
      return Status::BadInput(fmt::format("tripwire text {} has {} tokens in one pass and {} in the other: the "
                                          "tokenizers differ, so the passes cannot be compared",
                                          s, base[s].size(), cand[s].size()));
    std::vector<PositionComparison> positions;
    for (std::size_t i = 0; i < base[s].size(); ++i) positions.push_back(compare_position(base[s][i], cand[s][i]));
    scores.push_back(score_sequence(positions));
    all.insert(all.end(), positions.begin(), positions.end());
  }
  if (overall) *overall = summarize(all);
  return scores;
}

TripDecision decide(const std::vector<SequenceScore>& floor, const std::vector<SequenceScore>& candidate, double alpha) {
  TripDecision d;
  const std::size_t n = std::min(floor.size(), candidate.size());
  if (n == 0) return d;
  stats::PairedDifferences excess;
  for (std::size_t s = 0; s < n; ++s) {
    d.mean_kl += candidate[s].mean_kl;
    d.floor_mean_kl += floor[s].mean_kl;
    d.top1_agreement += candidate[s].top1_agreement;
    d.floor_top1_agreement += floor[s].top1_agreement;
    // sign_flip_p tests "negative": feed floor - candidate, negative when the candidate drifts more.
    excess.differences.push_back(floor[s].mean_kl - candidate[s].mean_kl);
  }
  const double count = static_cast<double>(n);
  d.mean_kl /= count;
  d.floor_mean_kl /= count;
  d.top1_agreement /= count;
  d.floor_top1_agreement /= count;
  d.p_value = stats::sign_flip_p(excess);
  const bool large = d.mean_kl > std::max(2 * d.floor_mean_kl, d.floor_mean_kl + kMinKlExcess);
  d.tripped = d.p_value < alpha && large;
  return d;
}

}  // namespace qdrift::tripwire
