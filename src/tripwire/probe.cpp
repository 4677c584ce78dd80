// fetch_pass and compare_passes.
#include "tripwire/probe.h"

#include <fmt/format.h>

#include "qdrift/openai.h"
#include "tripwire/sglang_dialect.h"
#include "tripwire/tgi_dialect.h"
#include "tripwire/vllm_dialect.h"

namespace qdrift::tripwire {

namespace {

// Where and how one dialect asks for a text's logprobs.
struct Dialect {
  std::string name;
  std::string url;
  std::string where;  // the route, for error messages
  bool alternatives = true;

  std::string request(const std::string& text, const ProbeOptions& o) const {
    if (name == "sglang") return sglang_generate_request(text, o.top_k, o.pass);
    if (name == "tgi") return tgi_generate_request(text, o.pass);
    if (name == "vllm-prompt-logprobs") return vllm_prompt_logprobs_request(o.endpoint.model, text, o.top_k, o.pass);
    return vllm_echo_request(o.endpoint.model, text, o.top_k, o.pass);
  }

  Result<ParsedLogprobs> parse(std::string_view body) const {
    if (name == "vllm") return parse_vllm_echo(body);
    if (name == "vllm-prompt-logprobs") return parse_vllm_prompt_logprobs(body);
    auto sequence = name == "sglang" ? parse_sglang_generate(body) : parse_tgi_generate(body);
    if (!sequence.ok()) return sequence.status();
    return ParsedLogprobs{std::move(sequence).value(), true};
  }
};

Result<Dialect> dialect_for(const ProbeOptions& o) {
  const Endpoint& e = o.endpoint;
  // SGLang's and TGI's native APIs sit at the server root, beside /v1.
  const std::string root = e.root_url();
  if (o.dialect == "sglang") return Dialect{"sglang", root + "/generate", redact_url(root) + "/generate", true};
  if (o.dialect == "tgi") return Dialect{"tgi", root + "/generate", redact_url(root) + "/generate", false};
  if (o.dialect == "vllm" || o.dialect == "vllm-prompt-logprobs")
    return Dialect{o.dialect, e.url("/completions"), e.shown_url() + "/completions", true};
  return Status::Usage(fmt::format("unknown logprobs dialect '{}'", o.dialect));
}

std::string failure_text(const HttpResponse& response) {
  return response.status == 0 ? response.transport_error
                              : fmt::format("HTTP {}: {}", response.status, server_error_message(response.body));
}

// The tag of the one-off request that settles a vLLM's dialect (pool tags are text indices).
constexpr std::uint64_t kSettleTag = ~std::uint64_t{0};

// A vLLM that rejects echo (some versions do with certain features on) may still
// take prompt_logprobs: ask once with the first text and keep whichever works.
Result<Dialect> settle_vllm(Dialect dialect, const std::string& first_text, const ProbeOptions& o,
                            const std::vector<std::string>& headers) {
  HttpResponse echo = http_fetch({"POST", dialect.url, dialect.request(first_text, o), headers, kSettleTag}, o.pool);
  if (echo.status != 400) return dialect;  // success or another failure: the pass reports it
  Dialect fallback = dialect;
  fallback.name = "vllm-prompt-logprobs";
  HttpResponse prompt =
      http_fetch({"POST", fallback.url, fallback.request(first_text, o), headers, kSettleTag}, o.pool);
  if (prompt.ok() && fallback.parse(prompt.body).ok()) return fallback;
  return Status::Endpoint(fmt::format("{} (tripwire): echo: {}; prompt_logprobs: {}", dialect.where,
                                      failure_text(echo), failure_text(prompt)));
}

// A pass cut short by the run's StopSource (a signal) is not a server failure.
bool stopped(const ProbeOptions& o) { return o.pool.stop_source != nullptr && o.pool.stop_source->stopped(); }

Status stopped_status() { return Status::Interrupted("the tripwire pass was stopped by a signal"); }

}  // namespace

Result<Pass> fetch_pass(const std::vector<std::string>& corpus, const ProbeOptions& given) {
  ProbeOptions options = given;
  options.pool.describe = [pass = given.pass](const HttpRequest& request) {
    if (request.tag == kSettleTag) return fmt::format("(tripwire pass {}, does echo work?)", pass);
    return fmt::format("(tripwire pass {}, text {})", pass, request.tag);
  };
  const std::vector<std::string> headers = options.endpoint.auth_headers();
  auto chosen = dialect_for(options);
  if (!chosen.ok()) return chosen.status();
  Dialect dialect = std::move(chosen).value();
  if (dialect.name == "vllm" && !corpus.empty()) {
    auto settled = settle_vllm(dialect, corpus.front(), options, headers);
    if (stopped(options)) return stopped_status();
    if (!settled.ok()) return settled.status();
    dialect = std::move(settled).value();
  }
  Pass pass;
  pass.api = dialect.name;
  pass.alternatives = dialect.alternatives;
  pass.sequences.resize(corpus.size());
  HttpPool pool(options.pool);
  std::size_t next = 0;
  Status failure;
  pool.run(
      [&]() -> std::optional<HttpRequest> {
        if (next >= corpus.size()) return std::nullopt;
        std::string body = dialect.request(corpus[next], options);
        return HttpRequest{"POST", dialect.url, std::move(body), headers, next++};
      },
      [&](HttpRequest&& request, HttpResponse&& response) {
        if (!response.ok()) {
          failure = Status::Endpoint(fmt::format("{} (tripwire): {}", dialect.where, failure_text(response)));
          pool.abort();
          return;
        }
        auto parsed = dialect.parse(response.body);
        if (!parsed.ok()) {
          failure = Status::Endpoint(fmt::format("{} (tripwire): {}", dialect.where, parsed.status().message()));
          pool.abort();
          return;
        }
        pass.keyed_by_id = pass.keyed_by_id && parsed->keyed_by_id;
        pass.sequences[request.tag] = std::move(parsed->sequence);
      });
  if (stopped(options)) return stopped_status();
  if (!failure.ok()) return failure;
  return pass;
}

std::string alternatives_gap(bool base_alternatives, bool base_by_id, bool cand_alternatives, bool cand_by_id) {
  if (!base_alternatives) return "the baseline's reference pass has no top-k alternatives (TGI gives none)";
  if (!cand_alternatives) return "the candidate's server gives no top-k alternatives (TGI gives none)";
  if (base_by_id != cand_by_id)
    return fmt::format("the baseline keyed tokens by {} and the candidate by {}", base_by_id ? "id" : "text",
                       cand_by_id ? "id" : "text");
  return "";
}

Result<std::vector<SequenceScore>> compare_passes(const std::vector<Sequence>& base, const std::vector<Sequence>& cand,
                                                  bool alternatives, Summary* overall) {
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
    for (std::size_t i = 0; i < base[s].size(); ++i)
      positions.push_back(compare_position(base[s][i], cand[s][i], alternatives));
    scores.push_back(score_sequence(positions));
    all.insert(all.end(), positions.begin(), positions.end());
  }
  if (overall) *overall = summarize(all);
  return scores;
}

}  // namespace qdrift::tripwire
