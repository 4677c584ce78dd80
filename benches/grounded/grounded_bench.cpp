// The grounded bench: items are the scenarios' questions; each (item, sample)
// is an agent episode (grounded_episode.h) in its own sandbox session.
#include "grounded/grounded_bench.h"

#include <fmt/format.h>

#include <mutex>
#include <optional>

#include "grounded/grounded_episode.h"
#include "grounded/scenarios.h"

namespace qdrift {

namespace {

using namespace grounded;

// The smoke tier: the first few questions of each scenario.
constexpr int kSmokeQuestions[kScenarios] = {4, 3, 3};

class GroundedBench final : public Bench {
 public:
  std::string name() const override { return "grounded"; }
  std::string version() const override { return "1"; }
  std::string summary() const override {
    return "agent: 90 questions over a generated price table, answered by running bash in a sandbox (30 turns)";
  }
  BenchDefaults defaults() const override { return {false, 1, 2048}; }

  Result<std::vector<Item>> items(const ItemQuery& query) const override {
    std::vector<Item> items;
    int taken[kScenarios] = {0, 0, 0};
    for (const Question& question : Scenarios::get().questions()) {
      int& count = taken[question.scenario - 1];
      if (query.tier == Tier::kSmoke && count >= kSmokeQuestions[question.scenario - 1]) continue;
      ++count;
      items.push_back({question.id, question.text, question.gold, "", 1, ""});
    }
    return items;
  }

  // The first request of an episode, for anything that asks a bench for one.
  std::vector<ChatMessage> chat(const Item& item) const override {
    return {{"system", system_prompt(false, {"bash"})}, {"user", item.prompt}};
  }

  // A one-turn grade: the reply's FINAL ANSWER line against the gold answer.
  Score score(const Item& item, const ChatResponse& response) const override {
    const Question* question = Scenarios::get().find(item.id);
    if (!question) return {false, "", "not a grounded question: " + item.id};
    const std::optional<std::string> answer = final_answer_line(response.content);
    if (!answer) return {false, "", "no FINAL ANSWER line"};
    std::string why;
    const bool correct = answer_matches(*question, *answer, &why);
    return {correct, *answer, why};
  }

  Result<ScoringSetup> prepare_scoring(const ScoringOptions& options) const override {
    const std::optional<ToolProtocol> protocol =
        options.tool_protocol.empty() ? ToolProtocol::kText : parse_tool_protocol(options.tool_protocol);
    if (!protocol)
      return Status::Usage(fmt::format("--tool-protocol '{}': expected text or native", options.tool_protocol));
    EpisodeContext context;
    context.protocol = *protocol;
    if (Status probed = probe_bash_sandbox(context.session); !probed.ok())
      return Status::Usage(
          fmt::format("grounded: {}; the agent's commands run only inside the sandbox", probed.message()));
    for (int scenario = 1; scenario <= kScenarios; ++scenario)
      if (auto dir = Scenarios::get().data_dir(scenario); !dir.ok()) return dir.status();
    auto tools = available_tools(context.session);
    if (!tools.ok()) return tools.status();
    context.system_prompt = system_prompt(*protocol == ToolProtocol::kNative, *tools);
    std::lock_guard lock(mutex_);
    context_ = std::make_shared<const EpisodeContext>(std::move(context));
    return ScoringSetup{"sandboxed", tool_protocol_name(*protocol)};
  }

  std::unique_ptr<Episode> start_episode(const Item& item, const SamplingParams& sampling) const override {
    const Question* question = Scenarios::get().find(item.id);
    if (!question) return failed_one("not a grounded question: " + item.id);
    std::lock_guard lock(mutex_);
    if (!context_) return failed_one("grounded: the sandbox was not prepared (prepare_scoring) before the run");
    auto dir = Scenarios::get().data_dir(question->scenario);
    if (!dir.ok()) return failed_one(dir.status().message());
    return make_grounded_episode(context_, *question, *dir, sampling);
  }

 private:
  // An episode that ends at once with `error`.
  static std::unique_ptr<Episode> failed_one(std::string error) {
    struct Failed final : Episode {
      explicit Failed(std::string e) : error(std::move(e)) {}
      EpisodeStep start() override { return failed_episode(error); }
      EpisodeStep on_model_reply(const Result<ChatResponse>&) override { return failed_episode(error); }
      std::string error;
    };
    return std::make_unique<Failed>(std::move(error));
  }

  // Set by prepare_scoring, before any episode starts (the protocol is a run
  // setting, and Bench::start_episode takes none); each episode shares the
  // context it started with, so a second run in one process cannot change it.
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const EpisodeContext> context_;
};

}  // namespace

std::unique_ptr<Bench> make_grounded_bench() { return std::make_unique<GroundedBench>(); }

}  // namespace qdrift
