// An episode: one (item, sample) of a bench played to its end. It is a small
// state machine whose steps are values: each says what the episode needs next
// — the model's next turn, tool calls run in its own session, a judge's verdict —
// or that it has finished, with its grade and transcript. The engine
// (src/engine/request_loop.h) runs thousands at once: model and judge requests on
// their HTTP lanes, tools on a bounded worker pool, never on a lane's thread.
// A one-shot bench (arith, gsm8k, ...) is an episode of one model turn
// (make_one_shot_episode); multi-turn benches implement Episode themselves.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "qdrift/openai.h"
#include "qdrift/status.h"

namespace qdrift {

class Bench;
struct Item;

// The model's next assistant turn. The request seed derives from (run seed,
// bench, item, sample, turn), so a restarted episode asks exactly the same.
struct AskModel {
  std::vector<ChatMessage> messages;
  SamplingParams sampling;
  int turn = 0;            // 0 for the first model turn
  std::string tools_json;  // the request's `tools` array as JSON text; "" sends none
};

// Tool calls to run in the episode's own session (Episode::run_tools).
struct RunTools {
  std::vector<ToolCall> calls;
};

// A verdict from the judge endpoint (a separate lane with its own concurrency).
struct AskJudge {
  std::vector<ChatMessage> messages;
  SamplingParams sampling;
  std::int64_t seed = 0;  // fixed by the bench: a verdict depends only on what is judged
};

// What a finished episode yields: its grade and what it took to get there.
struct EpisodeResult {
  bool correct = false;
  std::string answer;       // extracted answer ("" when none)
  std::string explanation;  // why it was graded so, one short line
  std::string finish;       // the last model turn's finish_reason
  std::int64_t completion_tokens = 0;  // summed over the model turns
  std::int64_t reasoning_tokens = 0;
  int turns = 1;                // model turns used
  bool turn_cap_hit = false;    // ended by the bench's turn limit
  int tool_calls = 0;           // tool steps the model asked for (commands run, refused ones included)
  int tool_errors = 0;          // of those, how many failed (nonzero exit, timeout, refused)
  std::optional<bool> judge_pass;  // the judge's verdict, when one graded it
  std::string judge_key;           // its cache key (SampleRecord::judge_key)
  std::optional<bool> judge_repeat;  // a second verdict with the criteria reordered, when asked
  std::string error;            // why the sample failed ("" when it did not)
  // The whole conversation, for the transcripts sidecar; empty keeps none
  // (one-shot benches: the run file's answer and explanation say enough).
  std::vector<ChatMessage> transcript;
  // A baseline's tripwire corpus candidate: the prompt and the first answer.
  std::string corpus_text;
};

using EpisodeStep = std::variant<AskModel, RunTools, AskJudge, EpisodeResult>;

struct ToolResult {
  std::string tool_call_id;
  std::string output;  // what goes back to the model (capped by the bench)
  bool failed = false; // counts toward EpisodeResult::tool_errors
};

// Calls come from one thread at a time, in order: start, then one on_* per step
// that asked for something. start() runs on a lane's thread and must be cheap;
// the on_* calls and run_tools run on worker threads and may take time.
class Episode {
 public:
  virtual ~Episode() = default;
  virtual EpisodeStep start() = 0;
  // The model's reply, or why there is none (an unusable body after re-asks).
  virtual EpisodeStep on_model_reply(const Result<ChatResponse>& reply) = 0;
  // Runs the calls in the episode's session; called on a tool worker.
  virtual std::vector<ToolResult> run_tools(const RunTools& request);
  virtual EpisodeStep on_tool_results(std::vector<ToolResult> results);
  virtual EpisodeStep on_judge_reply(const Result<ChatResponse>& reply);
};

// The message that carries a tool's result back to the model.
ChatMessage tool_message(const ToolResult& result);

// The adapter every one-shot bench runs through: bench.chat(item) at
// `sampling`, one model turn, graded by bench.score().
std::unique_ptr<Episode> make_one_shot_episode(const Bench& bench, const Item& item, const SamplingParams& sampling);

// An episode that ends with `error` (a bench that asked for a step it does not handle).
EpisodeResult failed_episode(std::string error);
// An episode that fails at once with `error`: a bench's answer when it cannot
// start one (an unknown item, a run it was not prepared for).
std::unique_ptr<Episode> make_failed_episode(std::string error);

}  // namespace qdrift
