// The exam bench and its episode; see exam_bench.h.
#include "exam/exam_bench.h"

#include <fmt/format.h>

#include "exam/judge_prompt.h"
#include "util/files.h"

namespace qdrift {

namespace exam {

namespace {

// One (scenario, seed): the scripted user turns, each answered by the model,
// then the judge; a judge reply without a verdict line is asked once to finish.
class ExamEpisode final : public Episode {
 public:
  ExamEpisode(const Scenario& scenario, const SamplingParams& sampling) : scenario_(scenario), sampling_(sampling) {}

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
    judge_request_ = judge_messages(scenario_.rubric, messages_);
    return ask_judge();
  }

  EpisodeStep on_judge_reply(const Result<ChatResponse>& reply) override {
    if (!reply.ok()) return end_with_error("judge: " + reply.status().message());
    if (std::optional<JudgeVerdict> verdict = read_verdict(reply->content)) {
      EpisodeResult result = finish();
      result.correct = verdict->pass;
      result.answer = verdict->pass ? "pass" : "fail";
      result.judge_pass = verdict->pass;
      result.explanation = fmt::format("judge: {}", verdict->reason.empty() ? result.answer : verdict->reason);
      return result;
    }
    if (asked_to_finish_) return end_with_error("judge: no VERDICT line, even when asked to finish");
    asked_to_finish_ = true;
    judge_request_.push_back({"assistant", reply->content});
    judge_request_.push_back(finish_verdict_message());
    return ask_judge();
  }

 private:
  EpisodeStep ask_judge() const {
    AskJudge ask{judge_request_, judge_sampling()};
    ask.seed = kJudgeSeed;
    return ask;
  }

  EpisodeResult end_with_error(std::string error) {
    EpisodeResult result = finish();
    result.error = std::move(error);
    return result;
  }

  EpisodeResult finish() {
    EpisodeResult result;
    result.finish = finish_reason_;
    result.completion_tokens = completion_tokens_;
    result.reasoning_tokens = reasoning_tokens_;
    result.turns = turns_;
    result.corpus_text = corpus_text_;
    result.transcript = std::move(messages_);
    return result;
  }

  const Scenario& scenario_;
  const SamplingParams sampling_;
  std::vector<ChatMessage> messages_;
  std::vector<ChatMessage> judge_request_;
  bool asked_to_finish_ = false;
  std::string finish_reason_;
  std::string corpus_text_;
  int turns_ = 0;
  std::int64_t completion_tokens_ = 0;
  std::int64_t reasoning_tokens_ = 0;
};

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
    for (const Scenario& scenario : exam_->scenarios) items.push_back({scenario.id, scenario.turns.front(), "pass", "", 1, ""});
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
    return setup;
  }

  std::unique_ptr<Episode> start_episode(const Item& item, const SamplingParams& sampling) const override {
    const Scenario* scenario = exam_->find(item.id);
    if (!scenario) {
      struct Unknown final : Episode {
        explicit Unknown(std::string e) : error(std::move(e)) {}
        EpisodeStep start() override { return failed_episode(error); }
        EpisodeStep on_model_reply(const Result<ChatResponse>&) override { return failed_episode(error); }
        std::string error;
      };
      return std::make_unique<Unknown>(fmt::format("not a scenario of {}: {}", exam_->name, item.id));
    }
    return std::make_unique<ExamEpisode>(*scenario, sampling);
  }

 private:
  const std::shared_ptr<const Exam> exam_;
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
