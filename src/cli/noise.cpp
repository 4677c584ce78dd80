// `qdrift noise`: is the server itself deterministic? The same prompts at
// temperature 0 with fixed seeds, twice alone (c=1) and twice inside a full batch
// (c=64, mixed with filler requests); the rounds compared, and what that means.
#include <algorithm>
#include <cstdio>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "engine/serving_noise.h"
#include "qdrift/bench.h"
#include "qdrift/http_pool.h"
#include "qdrift/openai.h"
#include "qdrift/stats.h"

namespace qdrift::cli {

namespace {

using nlohmann::json;

// The probe's prompts: arithmetic items (generated, no download), graded by the arith bench.
constexpr const char* kProbeBench = "arith";
constexpr int kMaxPrompts = 300;  // probes plus twice as many fillers fit the bench's 1,000 items

struct Probe {
  const Bench* bench = nullptr;
  std::vector<Item> prompts, fillers;
};

Result<Probe> probe_items(int prompts) {
  Probe probe;
  probe.bench = find_bench(kProbeBench);
  if (!probe.bench) return Status::Internal("the arith bench is missing");
  auto items = probe.bench->items(ItemQuery{Tier::kFull, 0, {}});
  if (!items.ok()) return items.status();
  const auto n = static_cast<std::size_t>(prompts);
  probe.prompts.assign(items->begin(), items->begin() + static_cast<std::ptrdiff_t>(n));
  probe.fillers.assign(items->begin() + static_cast<std::ptrdiff_t>(n), items->begin() + static_cast<std::ptrdiff_t>(3 * n));
  return probe;
}

std::string request_body(const NoiseOptions& o, const Bench& bench, const Item& item, bool logprobs) {
  SamplingParams sampling = sampling_preset(false);
  sampling.temperature = 0;
  sampling.presence_penalty = 0;
  sampling.max_tokens = o.max_tokens;
  json body = json::parse(
      chat_request_body({o.endpoint.model, bench.chat(item), sampling, request_seed(0, "noise", item.id, 0)}));
  if (logprobs) body["logprobs"] = true;
  return body.dump();
}

// The answer of one probe request; a failed request or unusable body is marked failed.
ProbeAnswer answer_of(const Bench& bench, const Item& item, const HttpResponse& response) {
  ProbeAnswer answer;
  auto parsed = response.ok() ? parse_chat_response(response.body) : Result<ChatResponse>(Status::Endpoint("http"));
  if (!parsed.ok()) {
    answer.failed = true;
    return answer;
  }
  answer.text = parsed->reasoning.empty() ? parsed->content : parsed->reasoning + "\n" + parsed->content;
  answer.correct = bench.score(item, *parsed).correct;
  const json body = json::parse(response.body, nullptr, false);
  if (body.is_object() && body.contains("choices") && body["choices"].is_array() && !body["choices"].empty()) {
    const json& logprobs = body["choices"][0].value("logprobs", json());
    if (logprobs.is_object() && logprobs.contains("content") && logprobs["content"].is_array())
      for (const json& token : logprobs["content"]) {
        if (!token.is_object() || !token.contains("token") || !token["token"].is_string()) continue;
        answer.tokens.push_back(token["token"].get<std::string>());
        answer.logprobs.push_back(token.value("logprob", 0.0));
      }
  }
  return answer;
}

// One round: every request in `order` (probes and fillers) at `concurrency`; the probes' answers.
struct RoundPlan {
  std::vector<const Item*> order;  // what is sent, in this order
  std::vector<int> probe_index;    // per entry: the probe it is, or -1 for a filler
};

Result<std::vector<ProbeAnswer>> run_round(const NoiseOptions& o, const Probe& probe, const RoundPlan& plan,
                                           int concurrency, bool logprobs) {
  PoolOptions pool = o.pool;
  pool.concurrency = concurrency;
  HttpPool http(pool);
  std::vector<ProbeAnswer> answers(probe.prompts.size());
  std::size_t next = 0, failed = 0;
  long last_status = 0;
  http.run(
      [&]() -> std::optional<HttpRequest> {
        if (next == plan.order.size()) return std::nullopt;
        const std::size_t at = next++;
        return HttpRequest{"POST", o.endpoint.url("/chat/completions"),
                           request_body(o, *probe.bench, *plan.order[at], logprobs), o.endpoint.auth_headers(), at};
      },
      [&](HttpRequest&& request, HttpResponse&& response) {
        const int index = plan.probe_index[request.tag];
        if (!response.ok()) {
          ++failed;
          last_status = response.status;
        }
        if (index >= 0)
          answers[static_cast<std::size_t>(index)] =
              answer_of(*probe.bench, probe.prompts[static_cast<std::size_t>(index)], response);
      });
  if (failed * 2 > plan.order.size())
    return Status::Endpoint(fmt::format("{}: {} of {} requests failed (last HTTP status {})",
                                        o.endpoint.shown_url(), failed, plan.order.size(), last_status));
  return answers;
}

RoundPlan alone_plan(const Probe& probe) {
  RoundPlan plan;
  for (std::size_t i = 0; i < probe.prompts.size(); ++i) {
    plan.order.push_back(&probe.prompts[i]);
    plan.probe_index.push_back(static_cast<int>(i));
  }
  return plan;
}

// Each probe between two fillers, so the batch around it is always full.
RoundPlan batched_plan(const Probe& probe) {
  RoundPlan plan;
  for (std::size_t i = 0; i < probe.prompts.size(); ++i) {
    plan.order.push_back(&probe.fillers[2 * i]);
    plan.probe_index.push_back(-1);
    plan.order.push_back(&probe.prompts[i]);
    plan.probe_index.push_back(static_cast<int>(i));
    plan.order.push_back(&probe.fillers[2 * i + 1]);
    plan.probe_index.push_back(-1);
  }
  return plan;
}

// One probe request first, asking for logprobs: an endpoint that cannot answer
// stops here in one line; one that refuses logprobs (HTTP 400) is probed without.
Result<bool> check_endpoint(const NoiseOptions& o, const Probe& probe) {
  PoolOptions pool = o.pool;
  pool.retry.max_attempts = 2;
  for (const bool logprobs : {true, false}) {
    const HttpResponse response = http_fetch({"POST", o.endpoint.url("/chat/completions"),
                                              request_body(o, *probe.bench, probe.prompts.front(), logprobs),
                                              o.endpoint.auth_headers(), 0},
                                             pool);
    if (response.ok()) return logprobs;
    if (response.status == 0)
      return Status::Endpoint(fmt::format("{}: cannot connect: {}", o.endpoint.shown_url(), response.transport_error));
    if (response.status != 400 || !logprobs)
      return Status::Endpoint(fmt::format("{}: HTTP {}: {}", o.endpoint.url("/chat/completions"), response.status,
                                          server_error_message(response.body)));
  }
  return false;
}

std::string comparison_line(const char* label, const RoundComparison& c) {
  std::string line = fmt::format("  {:<26} {}/{} identical ({:.1f}%), {} answer{} flipped", label, c.identical,
                                 c.compared, 100 * c.identical_share(), c.flipped, c.flipped == 1 ? "" : "s");
  if (!c.first_divergence.empty())
    line += fmt::format("; they first differ at token {:.0f} (median)", stats::quantile(c.first_divergence, 0.5));
  if (!c.logprob_gaps.empty())
    line += fmt::format(", |Δ logprob| there {:.3f} (median)", stats::quantile(c.logprob_gaps, 0.5));
  return line + "\n";
}

}  // namespace

void setup_noise(CLI::App* cmd, NoiseOptions& o) {
  add_endpoint_flags(cmd, o.endpoint, /*model_required=*/true);
  cmd->add_option("--prompts", o.prompts, "prompts to probe (each asked four times, plus two fillers in the batch rounds)")
      ->check(CLI::Range(1, kMaxPrompts))
      ->capture_default_str();
  cmd->add_option("--batch", o.batch, "requests in flight in the batch rounds")->check(CLI::Range(2, 4096))->capture_default_str();
  cmd->add_option("--max-tokens", o.max_tokens, "cap per answer")->check(CLI::Range(1, 32768))->capture_default_str();
  cmd->add_flag("-v,--verbose", o.pool.verbose, "print each request and its answer on stderr (the API key is redacted)");
  cmd->footer(
      "Asks arithmetic prompts at temperature 0 with fixed seeds: twice alone (one request at a time) and twice\n"
      "inside a full batch, then says whether repeats are exact, where they first differ, and the flip rate to\n"
      "expect between two runs from serving alone. Alone rounds are sequential: on a GPU server budget a few\n"
      "seconds per prompt. Exit codes: 0 measured, 3 bad flags or an endpoint that failed.");
}

Result<Outcome> run_noise(const NoiseOptions& o) {
  if (Status s = require_base_url(o.endpoint); !s.ok()) return s;
  auto probe = probe_items(o.prompts);
  if (!probe.ok()) return probe.status();
  auto logprobs = check_endpoint(o, *probe);
  if (!logprobs.ok()) return logprobs.status();
  const RoundPlan alone = alone_plan(*probe), batched = batched_plan(*probe);
  std::vector<std::vector<ProbeAnswer>> rounds;
  for (const auto& [plan, concurrency] : {std::pair{&alone, 1}, std::pair{&alone, 1}, std::pair{&batched, o.batch},
                                          std::pair{&batched, o.batch}}) {
    auto round = run_round(o, *probe, *plan, concurrency, *logprobs);
    if (!round.ok()) return round.status();
    rounds.push_back(std::move(round).value());
  }
  const NoiseFindings findings{compare_rounds(rounds[0], rounds[1]), compare_rounds(rounds[2], rounds[3]),
                               compare_rounds(rounds[0], rounds[2])};
  std::printf("qdrift noise: %d prompts at temperature 0 with fixed seeds, up to %d tokens; %s at %s%s\n", o.prompts,
              o.max_tokens, o.endpoint.model.c_str(), o.endpoint.shown_url().c_str(),
              *logprobs ? "" : " (no logprobs: compared by words)");
  std::fputs(comparison_line("alone, twice:", findings.alone).c_str(), stdout);
  std::fputs(comparison_line(fmt::format("in a batch of {}, twice:", o.batch).c_str(), findings.batched).c_str(), stdout);
  std::fputs(comparison_line("alone vs in a batch:", findings.across).c_str(), stdout);
  std::printf("%s\n", noise_diagnosis(findings).c_str());
  return Outcome::kOk;
}

}  // namespace qdrift::cli
