// The one-shot adapter and the Episode defaults for steps a bench never asks.
#include "qdrift/episode.h"

#include "qdrift/bench.h"

namespace qdrift {

EpisodeResult failed_episode(std::string error) {
  EpisodeResult result;
  result.error = std::move(error);
  return result;
}

std::unique_ptr<Episode> make_failed_episode(std::string error) {
  struct Failed final : Episode {
    explicit Failed(std::string e) : error(std::move(e)) {}
    EpisodeStep start() override { return failed_episode(error); }
    EpisodeStep on_model_reply(const Result<ChatResponse>&) override { return failed_episode(error); }
    std::string error;
  };
  return std::make_unique<Failed>(std::move(error));
}

ChatMessage tool_message(const ToolResult& result) {
  ChatMessage message{"tool", result.output};
  message.tool_call_id = result.tool_call_id;
  return message;
}

std::vector<ToolResult> Episode::run_tools(const RunTools&) { return {}; }
EpisodeStep Episode::on_tool_results(std::vector<ToolResult>) {
  return failed_episode("the bench asked for tools it cannot run");
}
EpisodeStep Episode::on_judge_reply(const Result<ChatResponse>&) {
  return failed_episode("the bench asked for a judge it cannot use");
}

namespace {

class OneShotEpisode final : public Episode {
 public:
  OneShotEpisode(const Bench& bench, const Item& item, const SamplingParams& sampling)
      : bench_(bench), item_(item), sampling_(sampling) {}

  EpisodeStep start() override { return AskModel{bench_.chat(item_), sampling_, 0, ""}; }

  EpisodeStep on_model_reply(const Result<ChatResponse>& reply) override {
    if (!reply.ok()) return failed_episode(reply.status().message());
    const Score score = bench_.score(item_, *reply);
    EpisodeResult result;
    result.correct = score.correct;
    result.answer = score.answer;
    result.explanation = score.explanation;
    result.finish = reply->finish_reason;
    result.completion_tokens = reply->completion_tokens;
    result.reasoning_tokens = reply->reasoning_tokens;
    if (!reply->content.empty()) result.corpus_text = item_.prompt + "\n" + reply->content;
    return result;
  }

 private:
  const Bench& bench_;
  const Item& item_;  // owned by the run's plan, which outlives every episode
  SamplingParams sampling_;
};

}  // namespace

std::unique_ptr<Episode> make_one_shot_episode(const Bench& bench, const Item& item, const SamplingParams& sampling) {
  return std::make_unique<OneShotEpisode>(bench, item, sampling);
}

}  // namespace qdrift
