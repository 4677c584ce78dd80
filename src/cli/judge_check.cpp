// `qdrift judge-check`: how well a judge agrees with human labels on an exam's
// transcripts (percent agreement and Cohen's kappa), before its verdicts are trusted.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <mutex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "engine/preflight.h"
#include "exam/judge_labels.h"
#include "exam/judge_prompt.h"
#include "qdrift/stats.h"
#include "util/files.h"
#include "util/json_text.h"

namespace qdrift::cli {

using nlohmann::json;

namespace {

// The judge's verdict on each labelled transcript (nullopt: none, even when asked to finish).
using Verdicts = std::vector<std::optional<exam::JudgeVerdict>>;

Result<Verdicts> ask_judge(const JudgeCheckOptions& o, const exam::Exam& spec,
                           const std::vector<exam::LabelledTranscript>& labels) {
  PoolOptions pool = o.pool;
  pool.verbose = o.verbose;
  std::vector<std::vector<ChatMessage>> requests;
  std::deque<std::size_t> pending;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    requests.push_back(exam::judge_messages(spec.find(labels[i].scenario)->rubric, labels[i].messages));
    pending.push_back(i);
  }
  const auto body_of = [&](std::size_t i) {
    return chat_request_body({o.judge.model, requests[i], exam::judge_sampling(), exam::kJudgeSeed});
  };
  Verdicts verdicts(labels.size());
  std::vector<bool> asked_to_finish(labels.size(), false);
  std::string failure;
  HttpPool judge(pool);
  judge.run(
      [&]() -> std::optional<HttpRequest> {
        if (pending.empty() || !failure.empty()) return std::nullopt;
        const std::size_t i = pending.front();
        pending.pop_front();
        return HttpRequest{"POST", o.judge.url("/chat/completions"), body_of(i), o.judge.auth_headers(), i};
      },
      [&](HttpRequest&& request, HttpResponse&& response) {
        const std::size_t i = request.tag;
        if (!response.ok()) {
          if (failure.empty())
            failure = fmt::format("judge: {}/chat/completions: {}", o.judge.shown_url(),
                                  response.status == 0 ? response.transport_error : fmt::format("HTTP {}", response.status));
          return;
        }
        auto reply = parse_chat_response(response.body);
        if (reply.ok()) verdicts[i] = exam::read_verdict(reply->content);
        if (!verdicts[i] && !asked_to_finish[i]) {  // once more, as a run does
          asked_to_finish[i] = true;
          requests[i].push_back({"assistant", reply.ok() ? reply->content : ""});
          requests[i].push_back(exam::finish_verdict_message());
          pending.push_back(i);
        }
      });
  if (!failure.empty()) return Status::Endpoint(failure);
  return verdicts;
}

struct CheckResult {
  stats::RaterCounts counts;  // first rater: the human label; second: the judge
  std::int64_t no_verdict = 0;
  std::vector<std::string> disagreements;  // "T1-01: labelled pass, judged fail (note)"
};

CheckResult tally(const std::vector<exam::LabelledTranscript>& labels, const Verdicts& verdicts) {
  CheckResult r;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (!verdicts[i]) {
      ++r.no_verdict;
      continue;
    }
    const bool human = labels[i].pass, judge = verdicts[i]->pass;
    (human ? (judge ? r.counts.both_pass : r.counts.first_pass_only) : (judge ? r.counts.second_pass_only : r.counts.both_fail))++;
    if (human != judge)
      r.disagreements.push_back(fmt::format("{}: labelled {}, judged {}{}", labels[i].scenario, human ? "pass" : "fail",
                                            judge ? "pass" : "fail", labels[i].note.empty() ? "" : " (" + labels[i].note + ")"));
  }
  return r;
}

std::string render(const JudgeCheckOptions& o, const CheckResult& r) {
  const double kappa = stats::cohen_kappa(r.counts);
  if (o.format == "json") {
    const json out = {{"judge_model", o.judge.model},
                      {"judge_prompt", exam::kJudgePromptVersion},
                      {"transcripts", r.counts.n() + r.no_verdict},
                      {"no_verdict", r.no_verdict},
                      {"agreement", r.counts.agreement()},
                      {"kappa", std::isnan(kappa) ? json(nullptr) : json(kappa)},
                      {"counts",
                       {{"both_pass", r.counts.both_pass},
                        {"label_pass_judge_fail", r.counts.first_pass_only},
                        {"label_fail_judge_pass", r.counts.second_pass_only},
                        {"both_fail", r.counts.both_fail}}},
                      {"disagreements", r.disagreements}};
    return json_text(out, 2) + "\n";
  }
  std::string out = fmt::format("judge {} ({}) against {} labelled transcripts\n", o.judge.model,
                                exam::kJudgePromptVersion, r.counts.n() + r.no_verdict);
  out += fmt::format("agreement {:.1f}% · Cohen's kappa {} · labelled pass/judged fail {} · labelled fail/judged pass {}{}\n",
                     100 * r.counts.agreement(), std::isnan(kappa) ? "undefined (one label throughout)" : fmt::format("{:.3f}", kappa),
                     r.counts.first_pass_only, r.counts.second_pass_only,
                     r.no_verdict ? fmt::format(" · {} without a verdict", r.no_verdict) : "");
  for (const std::string& line : r.disagreements) out += "  " + line + "\n";
  return out;
}

}  // namespace

void setup_judge_check(CLI::App* cmd, JudgeCheckOptions& o) {
  const char* key = std::getenv("QDRIFT_JUDGE_API_KEY");
  o.judge.api_key = key ? key : "";
  o.pool.concurrency = 8;
  cmd->add_option("--labels", o.labels, "labelled transcripts (JSON Lines; the built-in exam's: benches/exam/labels_v1.jsonl)")
      ->required();
  cmd->add_option("--exam", o.exam, "the exam spec the labels are for (default: the built-in exam)");
  cmd->add_option("--judge-endpoint", o.judge.base_url, "the judge's base URL including /v1")->required();
  cmd->add_option("--judge-model", o.judge.model, "the judge model's name as its server lists it")->required();
  // No default shown: the key must never be echoed anywhere.
  cmd->add_option("--judge-api-key", o.judge.api_key, "the judge's Bearer token (default: $QDRIFT_JUDGE_API_KEY); never stored or logged");
  cmd->add_option("-c,--concurrency", o.pool.concurrency, "judge requests kept in flight")->capture_default_str();
  cmd->add_option("--format", o.format, "text or json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  cmd->add_flag("-v,--verbose", o.verbose, "print each request and its answer on stderr (the key is redacted)");
  cmd->footer(
      "Asks the judge about each labelled transcript exactly as a run does (the same blind prompt,\n"
      "temperature 0, a fixed seed; no cache), and reports how often it agrees with the labels.\n"
      "Exit codes: 0 measured, 3 error.");
}

Result<Outcome> run_judge_check(const JudgeCheckOptions& o) {
  exam::Exam loaded;
  if (!o.exam.empty()) {
    auto text = read_file(o.exam);
    if (!text.ok()) return text.status();
    auto parsed = exam::parse_exam(*text, o.exam);
    if (!parsed.ok()) return parsed.status();
    loaded = std::move(parsed).value();
  }
  const exam::Exam& spec = o.exam.empty() ? exam::built_in_exam() : loaded;
  auto labels = exam::load_judge_labels(o.labels, spec);
  if (!labels.ok()) return labels.status();
  JudgeCheckOptions options = o;
  options.judge.base_url = Endpoint::trim_base_url(options.judge.base_url);
  if (auto served = preflight_model(options.judge, options.pool); !served.ok())
    return Status::Endpoint("judge: " + served.status().message());
  auto verdicts = ask_judge(options, spec, *labels);
  if (!verdicts.ok()) return verdicts.status();
  std::fputs(render(options, tally(*labels, *verdicts)).c_str(), stdout);
  return Outcome::kOk;
}

}  // namespace qdrift::cli
