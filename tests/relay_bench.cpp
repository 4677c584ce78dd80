// The relay bench: items are triples of arith items; the episode asks them in
// turn, with a tool step between, and passes when two of three are right.
#include "relay_bench.h"

#include <chrono>
#include <thread>

#include <fmt/format.h>

namespace qdrift::testing {

namespace {

constexpr int kTurns = 3;
constexpr char kSeparator = '\x1e';  // joins the three questions (and answers) of an item

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find(kSeparator, start)) != std::string::npos; start = end + 1)
    parts.push_back(text.substr(start, end - start));
  parts.push_back(text.substr(start));
  return parts;
}

class RelayEpisode final : public Episode {
 public:
  RelayEpisode(const Bench& arith, const Item& item, const SamplingParams& sampling, int tool_ms)
      : arith_(arith), prompts_(split(item.prompt)), answers_(split(item.answer)), sampling_(sampling),
        tool_ms_(tool_ms) {}

  EpisodeStep start() override { return ask(); }

  EpisodeStep on_model_reply(const Result<ChatResponse>& reply) override {
    if (!reply.ok()) return failed_episode(reply.status().message());
    ChatMessage said{"assistant", reply->content};
    said.reasoning = reply->reasoning;
    messages_.push_back(said);
    Item question;
    question.prompt = prompts_[turn_];
    question.answer = answers_[turn_];
    const Score score = arith_.score(question, *reply);
    right_ += score.correct;
    answers_given_ += (turn_ ? "," : "") + (score.answer.empty() ? "-" : score.answer);
    finish_ = reply->finish_reason;
    completion_tokens_ += reply->completion_tokens;
    reasoning_tokens_ += reply->reasoning_tokens;
    if (++turn_ < kTurns) return RunTools{{ToolCall{fmt::format("call-{}", turn_), "wait", "{}"}}};
    EpisodeResult result;
    result.correct = right_ >= 2;
    result.answer = answers_given_;
    result.explanation = fmt::format("{} of {} turns right", right_, kTurns);
    result.finish = finish_;
    result.completion_tokens = completion_tokens_;
    result.reasoning_tokens = reasoning_tokens_;
    result.turns = kTurns;
    result.transcript = messages_;
    return result;
  }

  std::vector<ToolResult> run_tools(const RunTools& request) override { return wait_tool(request, tool_ms_); }

  EpisodeStep on_tool_results(std::vector<ToolResult> results) override {
    messages_.push_back(tool_message(results.at(0)));
    return ask();
  }

 private:
  EpisodeStep ask() {
    messages_.push_back({"user", prompts_[turn_]});
    return AskModel{messages_, sampling_, turn_, ""};
  }

  const Bench& arith_;
  std::vector<std::string> prompts_, answers_;
  SamplingParams sampling_;
  int tool_ms_;
  int turn_ = 0, right_ = 0;
  std::string answers_given_, finish_;
  std::int64_t completion_tokens_ = 0, reasoning_tokens_ = 0;
  std::vector<ChatMessage> messages_;
};

class RelayBench final : public Bench {
 public:
  explicit RelayBench(int tool_ms) : tool_ms_(tool_ms) {}
  std::string name() const override { return "relay"; }
  std::string version() const override { return "1"; }
  std::string summary() const override { return "test only: three arith questions per episode, tool steps between"; }
  BenchDefaults defaults() const override { return arith().defaults(); }

  Result<std::vector<Item>> items(const ItemQuery& query) const override {
    auto questions = arith().items({Tier::kFull, query.seed, query.data});
    if (!questions.ok()) return questions.status();
    const std::size_t count = query.tier == Tier::kSmoke ? 10 : query.tier == Tier::kStandard ? 100 : 1000;
    std::vector<Item> items;
    for (std::size_t i = 0; i < count; ++i) {
      Item item;
      item.id = fmt::format("relay-{:04d}", i + 1);
      for (std::size_t t = 0; t < kTurns; ++t) {
        const Item& question = (*questions)[(i + t) % questions->size()];
        item.prompt += (t ? std::string(1, kSeparator) : "") + question.prompt;
        item.answer += (t ? std::string(1, kSeparator) : "") + question.answer;
      }
      items.push_back(std::move(item));
    }
    return items;
  }

  std::vector<ChatMessage> chat(const Item& item) const override { return {{"user", split(item.prompt)[0]}}; }
  Score score(const Item& item, const ChatResponse& response) const override {
    Item first;
    first.answer = split(item.answer)[0];
    return arith().score(first, response);
  }
  std::unique_ptr<Episode> start_episode(const Item& item, const SamplingParams& sampling) const override {
    return std::make_unique<RelayEpisode>(arith(), item, sampling, tool_ms_);
  }

 private:
  static const Bench& arith() { return *find_bench("arith"); }
  int tool_ms_;
};

}  // namespace

std::vector<ToolResult> wait_tool(const RunTools& request, int tool_ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(tool_ms));
  return {ToolResult{request.calls.at(0).id, "waited", false}};
}

std::unique_ptr<Bench> make_relay_bench(int tool_ms) { return std::make_unique<RelayBench>(tool_ms); }

}  // namespace qdrift::testing
