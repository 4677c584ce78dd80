// The exam bench and its episode; see exam_bench.h.
#include "exam/exam_bench.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <numeric>
#include <random>
#include <set>

#include <fmt/format.h>

#include "exam/judge_cache.h"
#include "exam/judge_prompt.h"
#include "util/files.h"
#include "util/hash.h"

namespace qdrift {

namespace exam {

namespace {

// What every episode of one run shares: set by prepare_scoring.
struct JudgeContext {
  std::string judge_model;
  JudgeCache cache;
  std::set<std::string> repeated;  // scenarios whose transcripts are judged twice (self-agreement)
};

// The rubric's criteria in another fixed order, for the second judgement.
std::vector<std::size_t> reordered(const Scenario& scenario) {
  std::vector<std::size_t> order(scenario.rubric.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 random(hash_parts({"rubric order", scenario.id}));
  std::shuffle(order.begin(), order.end(), random);
  if (std::is_sorted(order.begin(), order.end())) std::rotate(order.begin(), order.begin() + 1, order.end());
  return order;
}

// One (scenario, seed): the scripted user turns, each answered by the model,
// then the judge (a cached verdict when it has seen this request before); for a
// scenario in the self-agreement share, the judge again with the rubric
// reordered. A judge reply without a verdict line is asked once to finish.
class ExamEpisode final : public Episode {
 public:
  ExamEpisode(std::shared_ptr<const JudgeContext> context, const Scenario& scenario, const SamplingParams& sampling)
      : context_(std::move(context)), scenario_(scenario), sampling_(sampling) {}

  EpisodeStep start() override {
    if (!scenario_.system.empty()) messages_.push_back({"system", scenario_.system});
    messages_.push_back({"user", scenario_.turns.front()});
    return AskModel{messages_, sampling_, 0, ""};
  }

  EpisodeStep on_model_reply(const Result<ChatResponse>& reply) override {
    if (!reply.ok()) return end_with_error(reply.status().message());
    ++turns_;
    completion_tokens_ += reply->completion_tokens;
    reasoning_tokens_ += reply->reasoning_tokens;
    finish_reason_ = reply->finish_reason;
    ChatMessage said{"assistant", reply->content};
    said.reasoning = reply->reasoning;
    messages_.push_back(std::move(said));
    if (corpus_text_.empty()) corpus_text_ = scenario_.turns.front() + "\n" + reply->content;
    if (static_cast<std::size_t>(turns_) < scenario_.turns.size()) {
      messages_.push_back({"user", scenario_.turns[static_cast<std::size_t>(turns_)]});
      return AskModel{messages_, sampling_, turns_, ""};
    }
    return judge(judge_messages(scenario_.rubric, messages_));
  }

  EpisodeStep on_judge_reply(const Result<ChatResponse>& reply) override {
    if (!reply.ok()) {
      if (verdict_) return result();  // the repeat is a measurement of the judge: without it the sample stands
      return end_with_error("judge: " + reply.status().message());
    }
    if (std::optional<JudgeVerdict> verdict = read_verdict(reply->content)) {
      context_->cache.store(key_, *verdict);
      return on_verdict(*verdict);
    }
    if (!asked_to_finish_) {
      asked_to_finish_ = true;
      request_.push_back({"assistant", reply->content});
      request_.push_back(finish_verdict_message());
      return AskJudge{request_, judge_sampling(), kJudgeSeed};
    }
    if (verdict_) return result();
    return end_with_error("judge: no VERDICT line, even when asked to finish");
  }

 private:
  // Asks the judge `request`, unless the cache holds its verdict.
  EpisodeStep judge(std::vector<ChatMessage> request) {
    request_ = std::move(request);
    key_ = judge_cache_key(context_->judge_model, request_);
    asked_to_finish_ = false;
    if (std::optional<JudgeVerdict> cached = context_->cache.find(key_)) return on_verdict(*cached);
    return AskJudge{request_, judge_sampling(), kJudgeSeed};
  }

  EpisodeStep on_verdict(const JudgeVerdict& verdict) {
    if (verdict_) {
      repeat_ = verdict.pass;
      return result();
    }
    verdict_ = verdict;
    first_key_ = key_;
    if (context_->repeated.count(scenario_.id))
      return judge(judge_messages(scenario_.rubric, messages_, reordered(scenario_)));
    return result();
  }

  EpisodeResult result() {
    EpisodeResult r = finish();
    r.correct = verdict_->pass;
    r.answer = verdict_->pass ? "pass" : "fail";
    r.judge_pass = verdict_->pass;
    r.judge_key = first_key_;
    r.judge_repeat = repeat_;
    r.explanation = fmt::format("judge: {}", verdict_->reason.empty() ? r.answer : verdict_->reason);
    return r;
  }

  EpisodeResult end_with_error(std::string error) {
    EpisodeResult r = finish();
    r.error = std::move(error);
    return r;
  }

  EpisodeResult finish() {
    EpisodeResult r;
    r.finish = finish_reason_;
    r.completion_tokens = completion_tokens_;
    r.reasoning_tokens = reasoning_tokens_;
    r.turns = turns_;
    r.corpus_text = corpus_text_;
    r.transcript = std::move(messages_);
    return r;
  }

  const std::shared_ptr<const JudgeContext> context_;
  const Scenario& scenario_;
  const SamplingParams sampling_;
  std::vector<ChatMessage> messages_;
  std::vector<ChatMessage> request_;  // the judge request being asked
  std::string key_, first_key_;
  bool asked_to_finish_ = false;
  std::optional<JudgeVerdict> verdict_;
  std::optional<bool> repeat_;
  std::string finish_reason_;
  std::string corpus_text_;
  int turns_ = 0;
  std::int64_t completion_tokens_ = 0;
  std::int64_t reasoning_tokens_ = 0;
};

// The scenarios judged twice: the first by sha256 of their ids, enough that at
// least 10% of the transcripts, and at least 10, get a second verdict.
std::set<std::string> repeated_scenarios(const Exam& exam) {
  std::vector<std::pair<std::string, std::string>> ranked;
  for (const Scenario& scenario : exam.scenarios) ranked.emplace_back(sha256_hex("repeat " + scenario.id), scenario.id);
  std::sort(ranked.begin(), ranked.end());
  const double transcripts = static_cast<double>(exam.scenarios.size()) * exam.seeds;
  const auto wanted = static_cast<std::size_t>(std::ceil(std::max(10.0, 0.1 * transcripts) / exam.seeds));
  std::set<std::string> chosen;
  for (std::size_t i = 0; i < std::min(wanted, ranked.size()); ++i) chosen.insert(ranked[i].second);
  return chosen;
}

class ExamBench final : public Bench {
 public:
  explicit ExamBench(std::shared_ptr<const Exam> exam) : exam_(std::move(exam)) {}

  std::string name() const override { return exam_->name; }
  // The spec's sha256 joins its version: a changed scenario or rubric is a different exam.
  std::string version() const override { return fmt::format("{}+exam.{}", exam_->version, exam_->sha256.substr(0, 16)); }
  std::string summary() const override { return exam_->summary; }
  BenchDefaults defaults() const override { return {false, exam_->seeds, 2048}; }
  bool needs_judge() const override { return true; }
  const Exam& exam() const { return *exam_; }

  Result<std::vector<Item>> items(const ItemQuery&) const override {
    std::vector<Item> items;
    // The trait is the item's stratum: the grader scores each trait against its gate.
    for (const Scenario& scenario : exam_->scenarios)
      items.push_back({scenario.id, scenario.turns.front(), "pass", scenario.trait, 1, ""});
    return items;
  }

  std::vector<ChatMessage> chat(const Item& item) const override {
    std::vector<ChatMessage> messages;
    if (const Scenario* scenario = exam_->find(item.id); scenario && !scenario->system.empty())
      messages.push_back({"system", scenario->system});
    messages.push_back({"user", item.prompt});
    return messages;
  }

  // The exam has no answer key: only its judge grades (start_episode).
  Score score(const Item&, const ChatResponse&) const override {
    return {false, "", "an exam is graded by its judge, not by an answer key"};
  }

  Result<ScoringSetup> prepare_scoring(const ScoringOptions& options) const override {
    if (options.judge_model.empty())
      return Status::Usage(fmt::format(
          "{}: a judged exam needs a judge: pass --judge-endpoint URL and --judge-model NAME (a second model "
          "that grades the transcripts)",
          exam_->name));
    ScoringSetup setup;
    setup.judge = fmt::format("{} ({})", options.judge_model, kJudgePromptVersion);
    for (const Trait& trait : exam_->traits) setup.traits.push_back({trait.id, trait.name, trait.gate});
    auto context = std::make_shared<JudgeContext>(JudgeContext{options.judge_model, JudgeCache(options.cache_dir), {}});
    context->repeated = repeated_scenarios(*exam_);
    std::lock_guard lock(mutex_);
    context_ = std::move(context);
    return setup;
  }

  std::unique_ptr<Episode> start_episode(const Item& item, const SamplingParams& sampling) const override {
    const Scenario* scenario = exam_->find(item.id);
    if (!scenario) return make_failed_episode(fmt::format("not a scenario of {}: {}", exam_->name, item.id));
    std::shared_ptr<const JudgeContext> context;
    {
      std::lock_guard lock(mutex_);
      context = context_;
    }
    if (!context) return make_failed_episode("the judge was not set up (prepare_scoring) before the run");
    return std::make_unique<ExamEpisode>(std::move(context), *scenario, sampling);
  }

 private:
  const std::shared_ptr<const Exam> exam_;
  // Set by prepare_scoring before any episode starts; each episode keeps the context it began with.
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const JudgeContext> context_;
};

}  // namespace

std::unique_ptr<Bench> make_exam_bench(std::shared_ptr<const Exam> exam) {
  return std::make_unique<ExamBench>(std::move(exam));
}

const Exam* exam_of(const Bench& bench) {
  const auto* exam = dynamic_cast<const ExamBench*>(&bench);
  return exam ? &exam->exam() : nullptr;
}

Result<std::unique_ptr<Bench>> load_exam_bench(const std::string& path) {
  auto text = read_file(path);
  if (!text.ok()) return text.status();
  auto exam = parse_exam(*text, path);
  if (!exam.ok()) return exam.status();
  return make_exam_bench(std::make_shared<const Exam>(std::move(exam).value()));
}

}  // namespace exam

std::unique_ptr<Bench> make_exam_bench() {
  // The built-in exam lives for the process; the bench does not own it.
  return exam::make_exam_bench(std::shared_ptr<const exam::Exam>(&exam::built_in_exam(), [](const auto*) {}));
}

}  // namespace qdrift
