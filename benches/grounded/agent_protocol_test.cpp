#include "grounded/agent_protocol.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace qdrift;
using namespace qdrift::grounded;
using Kind = AgentAction::Kind;

TEST_CASE("text protocol: one bash block runs, a FINAL ANSWER line submits", "[grounded]") {
  AgentAction run = read_text_reply("Let me look.\n```bash\nhead -3 /data/prices.csv\n```\n");
  REQUIRE(run.kind == Kind::kRun);
  REQUIRE(run.commands.size() == 1);
  CHECK(run.commands[0].command == "head -3 /data/prices.csv\n");

  AgentAction done = read_text_reply("The close was 12.5.\nFINAL ANSWER: 12.50");
  REQUIRE(done.kind == Kind::kSubmit);
  CHECK(done.answer == "12.50");
  CHECK(read_text_reply("**FINAL ANSWER:** ABCD\n").answer == "ABCD");
  CHECK(read_text_reply("Final Answer: 3\nFINAL ANSWER: 4").answer == "4");  // the last line counts
  CHECK(read_text_reply("```sh\nls\n```").kind == Kind::kRun);
}

TEST_CASE("text protocol: a command beats an answer written before its evidence", "[grounded]") {
  AgentAction action = read_text_reply("```bash\nwc -l /data/prices.csv\n```\nFINAL ANSWER: 100");
  CHECK(action.kind == Kind::kRun);
}

TEST_CASE("text protocol: format problems are named", "[grounded]") {
  AgentAction two = read_text_reply("```bash\nls\n```\n```bash\npwd\n```");
  CHECK(two.kind == Kind::kNeither);
  CHECK(two.problem.find("2 bash blocks") != std::string::npos);
  CHECK(read_text_reply("```bash\nls /data").problem.find("not closed") != std::string::npos);
  CHECK(read_text_reply("```bash\n\n```").problem.find("empty") != std::string::npos);
  AgentAction chat = read_text_reply("I think the answer is probably 12.");
  CHECK(chat.kind == Kind::kNeither);
  CHECK(chat.problem.find("neither") != std::string::npos);
  CHECK(read_text_reply("FINAL ANSWER:").kind == Kind::kNeither);  // no value
  CHECK(read_text_reply("```python\nprint(1)\n```").kind == Kind::kNeither);
}

TEST_CASE("native protocol: arguments as a string, an object dump or double-encoded", "[grounded]") {
  ChatResponse reply;
  reply.tool_calls = {{"c1", "bash", R"({"command": "ls /data"})"}};
  AgentAction run = read_native_reply(reply);
  REQUIRE(run.kind == Kind::kRun);
  CHECK(run.commands[0].id == "c1");
  CHECK(run.commands[0].command == "ls /data");

  reply.tool_calls = {{"c2", "bash", nlohmann::json(R"({"command": "pwd"})").dump()}};
  REQUIRE(read_native_reply(reply).kind == Kind::kRun);
  CHECK(read_native_reply(reply).commands[0].command == "pwd");

  reply.tool_calls = {{"c3", "submit", R"({"answer": 12.5})"}};
  AgentAction done = read_native_reply(reply);
  REQUIRE(done.kind == Kind::kSubmit);
  CHECK(done.answer == "12.5");
}

TEST_CASE("native protocol: refused calls keep their ids so each gets a tool message", "[grounded]") {
  ChatResponse reply;
  reply.tool_calls = {
      {"a", "python", R"({"code": "1"})"}, {"b", "bash", "not json"}, {"c", "bash", R"({"command": "ls"})"}};
  AgentAction action = read_native_reply(reply);
  REQUIRE(action.kind == Kind::kRun);
  REQUIRE(action.refused.size() == 2);
  CHECK(action.refused[0].id == "a");
  CHECK(action.refused[0].command.find("unknown tool") != std::string::npos);
  CHECK(action.refused[1].command.find("not a JSON object") != std::string::npos);

  reply.tool_calls.assign(6, {"x", "bash", R"({"command": "true"})"});
  action = read_native_reply(reply);
  CHECK(action.commands.size() == static_cast<std::size_t>(kMaxCommandsPerTurn));
  CHECK(action.refused.size() == 2);

  reply.tool_calls = {{"z", "bash", R"({"cmd": "ls"})"}};
  action = read_native_reply(reply);
  CHECK(action.kind == Kind::kNeither);
  CHECK(action.problem.find("\"command\"") != std::string::npos);
}

TEST_CASE("native protocol: <tool_call> left in the content, and a lenient FINAL ANSWER", "[grounded]") {
  ChatResponse reply;
  reply.content = "<tool_call>\n{\"name\": \"bash\", \"arguments\": {\"command\": \"ls\"}}\n</tool_call>";
  AgentAction run = read_native_reply(reply);
  REQUIRE(run.kind == Kind::kRun);
  CHECK(run.commands[0].command == "ls");
  CHECK_FALSE(run.commands[0].id.empty());

  reply.content = "FINAL ANSWER: XYZ";
  CHECK(read_native_reply(reply).kind == Kind::kSubmit);
  reply.content = "hmm";
  CHECK(read_native_reply(reply).kind == Kind::kNeither);
}

TEST_CASE("the tools array offers bash and submit", "[grounded]") {
  const nlohmann::json tools = nlohmann::json::parse(native_tools_json());
  REQUIRE(tools.size() == 2);
  CHECK(tools[0]["function"]["name"] == "bash");
  CHECK(tools[1]["function"]["parameters"]["required"][0] == "answer");
  CHECK(parse_tool_protocol("native") == ToolProtocol::kNative);
  CHECK_FALSE(parse_tool_protocol("json").has_value());
}
