// The grounded agent's state machine (qdrift/episode.h): ask the model, run
// what it asks for in its session, feed the output back, until it answers.
#include "grounded/grounded_episode.h"

#include <fmt/format.h>

namespace qdrift::grounded {

namespace {

class GroundedEpisode final : public Episode {
 public:
  GroundedEpisode(std::shared_ptr<const EpisodeContext> context, const Question& question, std::string data_dir,
                  const SamplingParams& sampling)
      : context_(std::move(context)), question_(question), data_dir_(std::move(data_dir)), sampling_(sampling) {}

  EpisodeStep start() override {
    messages_ = {{"system", context_->system_prompt}, {"user", question_.text}};
    return ask();
  }

  EpisodeStep on_model_reply(const Result<ChatResponse>& reply) override {
    if (!reply.ok()) return end_with_error(reply.status().message());
    count_turn(*reply);
    const AgentAction action =
        context_->protocol == ToolProtocol::kNative ? read_native_reply(*reply) : read_text_reply(reply->content);
    refused_ = action.refused;
    tool_calls_ += static_cast<int>(action.refused.size());
    tool_errors_ += static_cast<int>(action.refused.size());
    switch (action.kind) {
      case AgentAction::Kind::kSubmit:
        return grade(action.answer);
      case AgentAction::Kind::kRun:
        strikes_ = 0;
        return run_step(action.commands);
      case AgentAction::Kind::kNeither:
        break;
    }
    answer_refused_calls();
    if (++strikes_ >= kStrikesToEnd)
      return end_wrong(fmt::format("{} replies in a row without a command or a final answer (last: {})", kStrikesToEnd,
                                   action.problem));
    messages_.push_back({"user", reminder(context_->protocol, action.problem)});
    return ask();
  }

  std::vector<ToolResult> run_tools(const RunTools& request) override {
    std::vector<ToolResult> results;
    for (const ToolCall& call : request.calls) results.push_back(run_one(call));
    return results;
  }

  EpisodeStep on_tool_results(std::vector<ToolResult> results) override {
    if (!sandbox_error_.empty()) return end_with_error(sandbox_error_);
    if (time_up_)  // a model whose commands take ten minutes has lost, like one that runs out of turns
      return end_wrong(fmt::format("the episode's {:.0f} s of sandbox time ran out",
                                   context_->session.session_wall_seconds));
    for (const ToolResult& result : results) {
      ++tool_calls_;
      if (result.failed) ++tool_errors_;
      if (context_->protocol == ToolProtocol::kNative) {
        messages_.push_back(tool_message(result));
      } else {
        messages_.push_back({"user", "Output:\n" + result.output});
      }
    }
    answer_refused_calls();
    return ask();
  }

 private:
  // The next model turn, unless the turn cap is reached.
  EpisodeStep ask() {
    if (turns_ >= kTurnCap) {
      EpisodeResult result = finish(false, "", fmt::format("no final answer within {} turns", kTurnCap));
      result.turn_cap_hit = true;
      return result;
    }
    AskModel step{messages_, sampling_, turns_, ""};
    if (context_->protocol == ToolProtocol::kNative) step.tools_json = native_tools_json();
    return step;
  }

  void count_turn(const ChatResponse& reply) {
    ++turns_;
    completion_tokens_ += reply.completion_tokens;
    reasoning_tokens_ += reply.reasoning_tokens;
    finish_reason_ = reply.finish_reason;
    ChatMessage said{"assistant", reply.content};
    said.tool_calls = reply.tool_calls;
    said.reasoning = reply.reasoning;
    messages_.push_back(std::move(said));
    if (first_reply_.empty()) first_reply_ = reply.content;
  }

  EpisodeStep run_step(const std::vector<CommandCall>& commands) {
    RunTools step;
    for (const CommandCall& command : commands) step.calls.push_back({command.id, "bash", command.command});
    return step;
  }

  // Runs one command in the episode's session, opened on first use. The
  // arguments of a RunTools call are the command itself (see run_step).
  ToolResult run_one(const ToolCall& call) {
    if (!sandbox_error_.empty()) return {call.id, "not run", true};
    if (!session_) {
      BashSessionOptions options = context_->session;
      options.read_only_binds.push_back({data_dir_, "/data"});
      Result<BashSession> opened = BashSession::Open(options);
      if (!opened.ok()) {
        sandbox_error_ = opened.status().message();
        return {call.id, "not run", true};
      }
      session_.emplace(std::move(opened).value());
    }
    if (session_->expired()) {
      time_up_ = true;
      return {call.id, "not run: the episode's sandbox time is up", true};
    }
    Result<CommandRun> run = session_->run(call.arguments);
    if (!run.ok()) {
      // The session itself failed (past its wall limit, or the sandbox broke):
      // the model cannot go on, and that is no fault of its answer.
      sandbox_error_ = run.status().message();
      return {call.id, "not run", true};
    }
    return {call.id, run->output, run->failed()};
  }

  // A native call that was not run still needs a tool message with its id.
  void answer_refused_calls() {
    for (const CommandCall& refused : refused_) messages_.push_back(tool_message({refused.id, refused.command, true}));
    refused_.clear();
  }

  EpisodeResult grade(const std::string& answer) {
    std::string why;
    const bool correct = answer_matches(question_, answer, &why);
    return finish(correct, answer, why);
  }

  EpisodeResult end_wrong(std::string why) { return finish(false, "", std::move(why)); }

  EpisodeResult end_with_error(std::string error) {
    EpisodeResult result = finish(false, "", "");
    result.error = std::move(error);
    return result;
  }

  EpisodeResult finish(bool correct, std::string answer, std::string why) {
    EpisodeResult result;
    result.correct = correct;
    result.answer = std::move(answer);
    result.explanation =
        why.empty() ? why
                    : fmt::format("{}; {} turns, {} commands ({} failed)", why, turns_, tool_calls_, tool_errors_);
    result.finish = finish_reason_;
    result.completion_tokens = completion_tokens_;
    result.reasoning_tokens = reasoning_tokens_;
    result.turns = turns_;
    result.tool_calls = tool_calls_;
    result.tool_errors = tool_errors_;
    result.corpus_text = question_.text + "\n" + first_reply_;
    result.transcript = std::move(messages_);
    session_.reset();  // the scratch directory goes now, not when the engine drops the episode
    return result;
  }

  const std::shared_ptr<const EpisodeContext> context_;
  const Question& question_;
  const std::string data_dir_;
  const SamplingParams sampling_;
  std::vector<ChatMessage> messages_;
  std::optional<BashSession> session_;
  std::vector<CommandCall> refused_;
  std::string sandbox_error_;
  bool time_up_ = false;
  std::string finish_reason_;
  std::string first_reply_;
  int turns_ = 0;
  int strikes_ = 0;
  int tool_calls_ = 0;
  int tool_errors_ = 0;
  std::int64_t completion_tokens_ = 0;
  std::int64_t reasoning_tokens_ = 0;
};

}  // namespace

std::string reminder(ToolProtocol protocol, const std::string& problem) {
  if (protocol == ToolProtocol::kNative)
    return fmt::format(
        "Your reply was not understood: {}. Call the bash tool to run a command, or the submit tool "
        "with your final answer.",
        problem);
  return fmt::format(
      "Your reply was not understood: {}. Reply with exactly one ```bash block to run a command, or "
      "end with a line FINAL ANSWER: <value>.",
      problem);
}

std::unique_ptr<Episode> make_grounded_episode(std::shared_ptr<const EpisodeContext> context, const Question& question,
                                               const std::string& data_dir, const SamplingParams& sampling) {
  return std::make_unique<GroundedEpisode>(std::move(context), question, data_dir, sampling);
}

}  // namespace qdrift::grounded
