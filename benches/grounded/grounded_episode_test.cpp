// The grounded episode driven by hand through the real sandbox: what it asks
// for, what it sends back to the model, and how it ends.
#include "grounded/grounded_episode.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "grounded/scenarios.h"

using namespace qdrift;
using namespace qdrift::grounded;

namespace {

bool sandbox_works() { return probe_bash_sandbox({}).ok(); }

std::shared_ptr<const EpisodeContext> context(ToolProtocol protocol) {
  auto made = std::make_shared<EpisodeContext>();
  made->protocol = protocol;
  made->system_prompt = system_prompt(Scenarios::get().data_description(), protocol == ToolProtocol::kNative, {"bash", "sqlite3"});
  made->session.limits.wall_seconds = 5;
  return made;
}

const Question& first_question() { return Scenarios::get().questions().front(); }

std::string data_dir() { return *Scenarios::get().data_dir(1); }

ChatResponse text_reply(std::string content) {
  ChatResponse reply{std::move(content), "", "stop"};
  reply.completion_tokens = 10;
  return reply;
}

// A copy of the step, which is a temporary in most calls.
template <typename Step>
Step expect(const EpisodeStep& step) {
  REQUIRE(std::holds_alternative<Step>(step));
  return std::get<Step>(step);
}

// Runs the tool step the episode asked for and hands back the results.
EpisodeStep run_tools(Episode& episode, const EpisodeStep& step) {
  return episode.on_tool_results(episode.run_tools(expect<RunTools>(step)));
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

TEST_CASE("grounded episode: a query, its real output, then the right answer", "[grounded][sandbox]") {
  if (!sandbox_works()) { WARN("bubblewrap cannot create a sandbox here: skipped"); return; }
  const Question& question = first_question();
  auto episode = make_grounded_episode(context(ToolProtocol::kText), question, data_dir(), {});
  const AskModel& first = expect<AskModel>(episode->start());
  REQUIRE(first.messages.size() == 2);
  CHECK(first.messages[0].role == "system");
  CHECK(first.messages[1].content == question.text);
  CHECK(first.turn == 0);
  CHECK(first.tools_json.empty());

  const EpisodeStep asked =
      episode->on_model_reply(text_reply("```bash\nsqlite3 /data/market.db \"" + question.sql + "\"\n```"));
  const AskModel& second = expect<AskModel>(run_tools(*episode, asked));
  CHECK(second.turn == 1);
  const ChatMessage& output = second.messages.back();
  CHECK(output.role == "user");
  REQUIRE(output.content.rfind("Output:\n", 0) == 0);
  const std::string value = first_line(output.content.substr(8));
  CHECK(output.content.find("[exit code 0]") != std::string::npos);

  const EpisodeResult& result = expect<EpisodeResult>(episode->on_model_reply(text_reply("FINAL ANSWER: " + value)));
  INFO(result.explanation);
  CHECK(result.correct);
  CHECK(result.turns == 2);
  CHECK(result.tool_calls == 1);
  CHECK(result.tool_errors == 0);
  CHECK(result.completion_tokens == 20);
  CHECK(result.transcript.size() == 5);  // system, user, assistant, output, assistant
  CHECK(result.explanation.find("2 turns, 1 commands (0 failed)") != std::string::npos);
}

TEST_CASE("grounded episode: three replies in a row with neither end it as wrong - a command resets the count",
          "[grounded][sandbox]") {
  if (!sandbox_works()) { WARN("bubblewrap cannot create a sandbox here: skipped"); return; }
  auto episode = make_grounded_episode(context(ToolProtocol::kText), first_question(), data_dir(), {});
  episode->start();
  const AskModel& reminded = expect<AskModel>(episode->on_model_reply(text_reply("Hmm.")));
  CHECK(reminded.messages.back().content.find("exactly one ```bash block") != std::string::npos);
  expect<AskModel>(episode->on_model_reply(text_reply("Still thinking.")));
  // A failing command counts as a command, not a strike.
  run_tools(*episode, episode->on_model_reply(text_reply("```bash\nexit 3\n```")));
  expect<AskModel>(episode->on_model_reply(text_reply("?")));
  expect<AskModel>(episode->on_model_reply(text_reply("??")));
  const EpisodeResult& result = expect<EpisodeResult>(episode->on_model_reply(text_reply("???")));
  CHECK_FALSE(result.correct);
  CHECK_FALSE(result.turn_cap_hit);
  CHECK(result.tool_calls == 1);
  CHECK(result.tool_errors == 1);
  CHECK(result.explanation.find("3 replies in a row") != std::string::npos);
}

TEST_CASE("grounded episode: the 30th turn without an answer is a turn-cap hit", "[grounded][sandbox]") {
  if (!sandbox_works()) { WARN("bubblewrap cannot create a sandbox here: skipped"); return; }
  auto episode = make_grounded_episode(context(ToolProtocol::kText), first_question(), data_dir(), {});
  EpisodeStep step = episode->start();
  int turns = 0;
  while (std::holds_alternative<AskModel>(step)) {
    ++turns;
    step = run_tools(*episode, episode->on_model_reply(
                                   text_reply("```bash\necho again >> /scratch/log; wc -l < /scratch/log\n```")));
  }
  const EpisodeResult& result = expect<EpisodeResult>(step);
  CHECK(turns == kTurnCap);
  CHECK(result.turn_cap_hit);
  CHECK_FALSE(result.correct);
  CHECK(result.turns == kTurnCap);
  // /scratch kept its file across all 30 commands.
  CHECK(result.transcript.back().content.find("\n30\n") != std::string::npos);
}

TEST_CASE("grounded episode: hostile commands fail inside the sandbox and the episode goes on", "[grounded][sandbox]") {
  if (!sandbox_works()) { WARN("bubblewrap cannot create a sandbox here: skipped"); return; }
  auto episode = make_grounded_episode(context(ToolProtocol::kText), first_question(), data_dir(), {});
  episode->start();
  for (const char* hostile : {"rm -rf /data/*; touch /data/x", "kill -9 -1", "kill -9 $PPID", "cat /etc/shadow",
                              ":(){ :|:& };:", "sleep 60"}) {
    const EpisodeStep step =
        run_tools(*episode, episode->on_model_reply(text_reply(std::string("```bash\n") + hostile + "\n```")));
    REQUIRE(std::holds_alternative<AskModel>(step));
  }
  const EpisodeStep step = run_tools(*episode, episode->on_model_reply(text_reply("```bash\nls /data\n```")));
  const AskModel& after = expect<AskModel>(step);
  CHECK(after.messages.back().content.find("prices.csv") != std::string::npos);
  CHECK(after.messages.back().content.find("market.db") != std::string::npos);
}

TEST_CASE("grounded episode: native tool calls, with a tool message per call id, refused ones included",
          "[grounded][sandbox]") {
  if (!sandbox_works()) { WARN("bubblewrap cannot create a sandbox here: skipped"); return; }
  const Question& question = first_question();
  auto episode = make_grounded_episode(context(ToolProtocol::kNative), question, data_dir(), {});
  const AskModel& first = expect<AskModel>(episode->start());
  CHECK(nlohmann::json::parse(first.tools_json).size() == 2);
  ChatResponse reply{"", "", "tool_calls"};
  reply.tool_calls = {
      {"c1", "bash", nlohmann::json{{"command", "sqlite3 /data/market.db \"" + question.sql + "\""}}.dump()},
      {"c2", "python", "{}"}};
  const AskModel& second = expect<AskModel>(run_tools(*episode, episode->on_model_reply(reply)));
  const auto& messages = second.messages;
  REQUIRE(messages.size() == 5);  // system, user, assistant with calls, tool c1, tool c2
  CHECK(messages[2].tool_calls.size() == 2);
  CHECK(messages[3].role == "tool");
  CHECK(messages[3].tool_call_id == "c1");
  CHECK(messages[4].tool_call_id == "c2");
  CHECK(messages[4].content.find("unknown tool") != std::string::npos);
  const std::string value = first_line(messages[3].content);
  ChatResponse submit{"", "", "tool_calls"};
  submit.tool_calls = {{"c3", "submit", nlohmann::json{{"answer", value}}.dump()}};
  const EpisodeResult& result = expect<EpisodeResult>(episode->on_model_reply(submit));
  CHECK(result.correct);
  CHECK(result.tool_calls == 2);
  CHECK(result.tool_errors == 1);
}

TEST_CASE("grounded: every gold answer equals its SQL query's result, run by sqlite3 inside the sandbox",
          "[grounded][sandbox]") {
  if (!sandbox_works()) { WARN("bubblewrap cannot create a sandbox here: skipped"); return; }
  for (int scenario = 1; scenario <= kScenarios; ++scenario) {
    BashSessionOptions options;
    options.read_only_binds.push_back({*Scenarios::get().data_dir(scenario), "/data"});
    auto session = BashSession::Open(options);
    REQUIRE(session.ok());
    for (const Question& question : Scenarios::get().questions()) {
      if (question.scenario != scenario) continue;
      // One command per question, in a file so no quoting stands between the SQL and sqlite3.
      auto written = session->run("cat > /scratch/q.sql <<'QDRIFT_SQL'\n" + question.sql + ";\nQDRIFT_SQL");
      REQUIRE(written.ok());
      auto run = session->run("sqlite3 -batch -noheader /data/market.db < /scratch/q.sql");
      REQUIRE(run.ok());
      INFO(question.id << ": " << question.text << "\n" << run->output);
      CHECK_FALSE(run->failed());
      std::string why;
      CHECK(answer_matches(question, first_line(run->output), &why));
    }
  }
}
