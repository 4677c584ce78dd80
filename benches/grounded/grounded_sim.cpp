// The grounded agent as the simulator plays it; see grounded_sim.h.
#include "grounded/grounded_sim.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "grounded/agent_protocol.h"
#include "grounded/grounded_bench.h"
#include "grounded/scenarios.h"

namespace qdrift {

namespace {

using namespace grounded;

// Said before re-running a command: once a sim agent says it, it is stuck and
// says it every turn after (a damaged model looping until the turn cap).
constexpr std::string_view kRerun = "Let me run that again to be sure.";

// A command the shell or the database rejects: the kind of typo a damaged model makes.
std::string broken_command(std::string command) {
  if (const std::size_t at = command.find("FROM"); at != std::string::npos) return command.replace(at, 4, "FORM");
  return "sqlitee" + command;
}

// The output of the last command, when the conversation ends with one.
std::optional<std::string> last_output(const SimConversation& conversation) {
  if (conversation.messages.empty()) return std::nullopt;
  const ChatMessage& last = conversation.messages.back();
  if (last.role == "tool") return last.content;
  if (last.role == "user" && last.content.rfind("Output:\n", 0) == 0) return last.content.substr(8);
  return std::nullopt;
}

bool is_output(const ChatMessage& message) {
  return message.role == "tool" || (message.role == "user" && message.content.rfind("Output:\n", 0) == 0);
}

// A command of this episode failed already (the sim's broken query).
bool had_failed_command(const SimConversation& conversation) {
  for (const ChatMessage& message : conversation.messages)
    if (is_output(message) && message.content.find("[exit code 0]") == std::string::npos) return true;
  return false;
}

bool stuck(const SimConversation& conversation) {
  for (const ChatMessage& message : conversation.messages)
    if (message.role == "assistant" && message.content.find(kRerun) != std::string::npos) return true;
  return false;
}

// The value a command printed: its first line, or "" when it failed.
std::string printed_value(const std::string& output) {
  if (output.find("[exit code 0]") == std::string::npos) return "";
  std::string line = output.substr(0, output.find('\n'));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
  return line.rfind("[exit code", 0) == 0 ? "" : line;
}

// A plausible misreading: the neighbouring figure, or another ticker.
std::string misread(const std::string& value, std::uint64_t noise) {
  char* end = nullptr;
  const double number = std::strtod(value.c_str(), &end);
  if (end != value.c_str() && *end == '\0') {
    if (value.find('.') == std::string::npos) return std::to_string(static_cast<long long>(number) + 1 + noise % 3);
    return fmt::format("{:.2f}", number * (1.07 + 0.01 * static_cast<double>(noise % 5)) + 0.5);
  }
  return value == "ZZZ" ? "ZZZY" : "ZZZ";
}

SimTurn run(const SimConversation& conversation, const std::string& command, std::string say, int call_index) {
  if (!conversation.tools_offered) return {say + (say.empty() ? "" : "\n") + "```bash\n" + command + "\n```"};
  return {say, {{fmt::format("call_{}", call_index), "bash", nlohmann::json{{"command", command}}.dump()}}};
}

SimTurn submit(const SimConversation& conversation, const std::string& answer, int call_index) {
  if (!conversation.tools_offered) return {"The query printed it.\nFINAL ANSWER: " + answer};
  return {"", {{fmt::format("call_{}", call_index), "submit", nlohmann::json{{"answer", answer}}.dump()}}};
}

class GroundedSim final : public BenchSim {
 public:
  GroundedSim(std::string name, const QuestionBank& bank) : name_(std::move(name)), bank_(bank) {}
  std::string bench_name() const override { return name_; }

  // Later built-in scenarios ask for more steps (adjustments), so they are harder.
  double difficulty(const Item& item) const override {
    const Question* question = bank_.find(item.id);
    return question && question->scenario > 0 ? 0.2 + 0.2 * (question->scenario - 1) : 0.5;
  }

  SimTurn next_turn(const Item& item, const SimConversation& conversation, bool correct,
                    std::uint64_t noise) const override {
    const Question* question = bank_.find(item.id);
    if (!question) return {"I cannot find that question."};
    const std::string command = bank_.reference_command(*question);
    const int call_index = static_cast<int>(conversation.messages.size());
    if (command.empty())  // nothing to run: answer from what the model "knows"
      return submit(conversation, correct ? question->gold : misread(question->gold, noise), call_index);
    const std::optional<std::string> output = last_output(conversation);
    if (!output) {  // the first turn, or after a reminder
      if (!correct && noise % 2 == 0) return run(conversation, broken_command(command), "", call_index);
      return run(conversation, command, "", call_index);
    }
    const std::string value = printed_value(*output);
    if (value.empty()) return run(conversation, command, "That failed; fixing the command.", call_index);
    // A model that is wrong again after a failed command starts looping: two bad
    // draws in one episode, so a damaged model loops far more often than a sound one.
    if (stuck(conversation) || (!correct && had_failed_command(conversation)))
      return run(conversation, command, std::string(kRerun), call_index);
    return submit(conversation, correct ? value : misread(value, noise >> 8), call_index);
  }

  // A one-turn answer, for anything that grades a single reply.
  std::string write_answer(const Item& item, std::string_view, bool correct, std::uint64_t noise) const override {
    return "FINAL ANSWER: " + (correct ? item.answer : misread(item.answer, noise));
  }

 private:
  const std::string name_;
  const QuestionBank& bank_;  // the bench's, which lives for the process
};

}  // namespace

std::unique_ptr<BenchSim> make_grounded_sim() { return std::make_unique<GroundedSim>("grounded", Scenarios::get()); }

std::unique_ptr<BenchSim> make_agent_sim(const Bench& bench) {
  const QuestionBank* bank = bank_of(bench);
  if (!bank) return nullptr;
  return std::make_unique<GroundedSim>(bench.name(), *bank);
}

}  // namespace qdrift
