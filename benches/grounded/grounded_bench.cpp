// The agent bench: items are a question bank's questions; each (item, sample)
// is an agent episode (grounded_episode.h) in its own sandbox session.
#include "grounded/grounded_bench.h"

#include <mutex>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "grounded/grounded_episode.h"
#include "grounded/scenarios.h"

namespace qdrift {

namespace grounded {

namespace {

class AgentBench final : public Bench {
 public:
  AgentBench(AgentBenchInfo info, std::shared_ptr<const QuestionBank> bank)
      : info_(std::move(info)), bank_(std::move(bank)) {}

  std::string name() const override { return info_.name; }
  std::string version() const override { return info_.version; }
  std::string summary() const override { return info_.summary; }
  BenchDefaults defaults() const override { return {false, 1, 2048}; }
  const QuestionBank& bank() const { return *bank_; }

  Result<std::vector<Item>> items(const ItemQuery& query) const override {
    std::vector<const Question*> chosen;
    if (query.tier == Tier::kSmoke) {
      chosen = bank_->smoke_questions();
    } else {
      for (const Question& question : bank_->questions()) chosen.push_back(&question);
    }
    std::vector<Item> items;
    for (const Question* question : chosen) items.push_back({question->id, question->text, question->gold, "", 1, ""});
    return items;
  }

  // The first request of an episode, for anything that asks a bench for one.
  std::vector<ChatMessage> chat(const Item& item) const override {
    return {{"system", system_prompt(bank_->data_description(), false, {"bash"})}, {"user", item.prompt}};
  }

  // A one-turn grade: the reply's FINAL ANSWER line against the gold answer.
  Score score(const Item& item, const ChatResponse& response) const override {
    const Question* question = bank_->find(item.id);
    if (!question) return {false, "", "not a question of " + info_.name + ": " + item.id};
    const std::optional<std::string> answer = final_answer_line(response.content);
    if (!answer) return {false, "", "no FINAL ANSWER line"};
    std::string why;
    const bool correct = answer_matches(*question, *answer, &why);
    return {correct, *answer, why};
  }

  Result<ScoringSetup> prepare_scoring(const ScoringOptions& options) const override {
    const std::optional<ToolProtocol> protocol =
        options.tool_protocol.empty() ? ToolProtocol::kText : parse_tool_protocol(options.tool_protocol);
    if (!protocol) return Status::Usage(fmt::format("--tool-protocol '{}': expected text or native", options.tool_protocol));
    EpisodeContext context;
    context.protocol = *protocol;
    context.session.read_only_binds = bank_->extra_binds();
    for (const std::string& dir : bank_->extra_path()) context.session.path = dir + ":" + context.session.path;
    if (Status probed = probe_bash_sandbox(context.session); !probed.ok())
      return Status::Usage(fmt::format("{}: {}; the agent's commands run only inside the sandbox", info_.name,
                                       probed.message()));
    std::set<std::string> checked;
    for (const Question& question : bank_->questions()) {
      auto dir = bank_->data_dir(question);
      if (!dir.ok()) return dir.status();
      if (!checked.insert(*dir).second) continue;
      // Opening a session checks the binds (readable by the uid commands run as) now, not mid-run.
      BashSessionOptions with_data = context.session;
      with_data.read_only_binds.push_back({*dir, "/data"});
      if (auto session = BashSession::Open(with_data); !session.ok())
        return Status::Usage(fmt::format("{}: {}", info_.name, session.status().message()));
    }
    auto tools = available_tools(context.session);
    if (!tools.ok()) return tools.status();
    context.system_prompt = system_prompt(bank_->data_description(), *protocol == ToolProtocol::kNative, *tools);
    std::lock_guard lock(mutex_);
    context_ = std::make_shared<const EpisodeContext>(std::move(context));
    return ScoringSetup{"sandboxed", tool_protocol_name(*protocol)};
  }

  std::unique_ptr<Episode> start_episode(const Item& item, const SamplingParams& sampling) const override {
    const Question* question = bank_->find(item.id);
    if (!question) return make_failed_episode("not a question of " + info_.name + ": " + item.id);
    std::lock_guard lock(mutex_);
    if (!context_) return make_failed_episode(info_.name + ": the sandbox was not prepared (prepare_scoring) before the run");
    auto dir = bank_->data_dir(*question);
    if (!dir.ok()) return make_failed_episode(dir.status().message());
    return make_grounded_episode(context_, *question, *dir, sampling);
  }

 private:
  const AgentBenchInfo info_;
  const std::shared_ptr<const QuestionBank> bank_;
  // Set by prepare_scoring, before any episode starts (the protocol is a run
  // setting, and Bench::start_episode takes none); each episode shares the
  // context it started with, so a second run in one process cannot change it.
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const EpisodeContext> context_;
};

}  // namespace

std::unique_ptr<Bench> make_agent_bench(AgentBenchInfo info, std::shared_ptr<const QuestionBank> bank) {
  return std::make_unique<AgentBench>(std::move(info), std::move(bank));
}

const QuestionBank* bank_of(const Bench& bench) {
  const auto* agent = dynamic_cast<const AgentBench*>(&bench);
  return agent ? &agent->bank() : nullptr;
}

}  // namespace grounded

std::unique_ptr<Bench> make_grounded_bench() {
  // The built-in scenarios live for the process; the bench does not own them.
  std::shared_ptr<const grounded::QuestionBank> built_in(&grounded::Scenarios::get(), [](const auto*) {});
  return grounded::make_agent_bench(
      {"grounded", "1", "agent: 90 questions over a generated price table, answered by running bash in a sandbox (30 turns)"},
      std::move(built_in));
}

}  // namespace qdrift
