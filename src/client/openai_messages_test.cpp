// Multi-turn messages: tool calls in replies and requests, tool results, the
// per-turn seed, and the one-shot body that must not change.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "qdrift/openai.h"

using namespace qdrift;
using nlohmann::json;

namespace {

ChatResponse parsed(const std::string& body) {
  auto r = parse_chat_response(body);
  INFO(body);
  REQUIRE(r.ok());
  return std::move(r).value();
}

}  // namespace

TEST_CASE("a one-shot request body is byte for byte what it always was", "[openai]") {
  // Computed with the code before messages had tool fields: one-shot runs must
  // send exactly this, or their results are not comparable with old baselines.
  ChatRequest request{"Qwen/Qwen3-8B",
                      {{"system", "Answer with a number."}, {"user", "What is 2+2?\n\"quoted\" caf\xC3\xA9"}},
                      sampling_preset(false),
                      1000113310};
  request.sampling.max_tokens = 512;
  CHECK(chat_request_body(request) ==
        R"({"chat_template_kwargs":{"enable_thinking":false},"max_tokens":512,"messages":[{"content":"Answer with a number.","role":"system"},{"content":"What is 2+2?\n\"quoted\" caf)"
        "\xC3\xA9"
        R"(","role":"user"}],"min_p":0.0,"model":"Qwen/Qwen3-8B","presence_penalty":1.5,"seed":1000113310,"stream":false,"temperature":0.7,"top_k":20,"top_p":0.8})");
}

TEST_CASE("request seeds at turn 0 are the seeds one-shot runs always used", "[openai]") {
  // Values from the code before turns existed.
  CHECK(request_seed(0, "arith", "arith-0001", 0) == 1000113310);
  CHECK(request_seed(1, "gsm8k", "gsm8k-0042", 3) == 1416823775);
  CHECK(request_seed(18446744073709551615ULL, "humaneval", "HumanEval/7", 9) == 374965871);
  CHECK(request_seed(20240601, "ifeval", "", 0, 0) == 2055363879);
  // Later turns get their own seeds, still in [0, 2^31).
  const auto turn0 = request_seed(0, "arith", "arith-0001", 0);
  const auto turn1 = request_seed(0, "arith", "arith-0001", 0, 1), turn2 = request_seed(0, "arith", "arith-0001", 0, 2);
  CHECK(turn1 != turn0);
  CHECK(turn2 != turn1);
  CHECK(turn2 != turn0);
  CHECK(turn1 == request_seed(0, "arith", "arith-0001", 0, 1));
  CHECK(turn1 != request_seed(0, "arith", "arith-0001", 1, 1));
  for (int turn = 0; turn < 30; ++turn) {
    const auto seed = request_seed(5, "agent", "q-1", 2, turn);
    CHECK(seed >= 0);
    CHECK(seed < (1LL << 31));
  }
}

TEST_CASE("a conversation with tool calls is sent in OpenAI's shape", "[openai]") {
  ChatRequest request{"m", {}, sampling_preset(false), 1};
  request.messages.push_back({"system", "You have a shell."});
  request.messages.push_back({"user", "How many rows?"});
  ChatMessage call{"assistant", ""};
  call.tool_calls = {{"call_1", "bash", R"({"command":"wc -l data.csv"})"}};
  call.reasoning = "I should count the lines.";
  request.messages.push_back(call);
  ChatMessage result{"tool", "101 data.csv"};
  result.tool_call_id = "call_1";
  request.messages.push_back(result);
  ChatMessage both{"assistant", "Checking once more."};
  both.tool_calls = {{"call_2", "bash", "{}"}};
  request.messages.push_back(both);
  request.tools_json = R"([{"type":"function","function":{"name":"bash","parameters":{"type":"object"}}}])";

  const json body = json::parse(chat_request_body(request));
  const json& messages = body["messages"];
  REQUIRE(messages.size() == 5);
  CHECK(messages[1] == json{{"role", "user"}, {"content", "How many rows?"}});
  // An assistant turn that only calls a tool: content null, arguments as a string, no reasoning.
  CHECK(messages[2]["content"].is_null());
  CHECK(messages[2]["tool_calls"] ==
        json::parse(R"([{"id":"call_1","type":"function","function":{"name":"bash","arguments":"{\"command\":\"wc -l data.csv\"}"}}])"));
  CHECK_FALSE(messages[2].contains("reasoning"));
  CHECK_FALSE(messages[2].contains("tool_call_id"));
  CHECK(messages[3] == json{{"role", "tool"}, {"content", "101 data.csv"}, {"tool_call_id", "call_1"}});
  CHECK(messages[4]["content"] == "Checking once more.");
  CHECK(messages[4]["tool_calls"][0]["function"]["arguments"] == "{}");
  CHECK(body["tools"][0]["function"]["name"] == "bash");

  // tools_json that is not JSON is sent as a string: the server's 400 names it.
  request.tools_json = "[not json";
  CHECK(json::parse(chat_request_body(request))["tools"] == "[not json");
  // No tools_json: no "tools" key at all.
  request.tools_json.clear();
  CHECK_FALSE(json::parse(chat_request_body(request)).contains("tools"));
}

TEST_CASE("replies with tool calls parse in every server's shape", "[openai]") {
  SECTION("vLLM / OpenAI: null content, arguments as a JSON string") {
    const ChatResponse r = parsed(R"({"choices":[{"message":{"role":"assistant","content":null,
      "tool_calls":[{"id":"chatcmpl-tool-1","type":"function","function":{"name":"bash",
      "arguments":"{\"command\": \"ls\"}"}}]},"finish_reason":"tool_calls"}],
      "usage":{"prompt_tokens":5,"completion_tokens":12}})");
    REQUIRE(r.tool_calls.size() == 1);
    CHECK(r.tool_calls[0].id == "chatcmpl-tool-1");
    CHECK(r.tool_calls[0].name == "bash");
    CHECK(r.tool_calls[0].arguments == R"({"command": "ls"})");
    CHECK(r.content.empty());
    CHECK(r.finish_reason == "tool_calls");
    CHECK(r.completion_tokens == 12);
  }
  SECTION("TGI / llama.cpp: arguments as an object, kept as its text") {
    const ChatResponse r = parsed(R"({"choices":[{"message":{"role":"assistant","tool_calls":[
      {"id":"0","type":"function","function":{"description":null,"name":"bash","arguments":{"command":"ls -l","n":2}}},
      {"id":"1","type":"function","function":{"name":"finish","arguments":{}}}]},"finish_reason":"stop"}]})");
    REQUIRE(r.tool_calls.size() == 2);
    CHECK(json::parse(r.tool_calls[0].arguments) == json{{"command", "ls -l"}, {"n", 2}});
    CHECK(r.tool_calls[1].name == "finish");
    CHECK(r.tool_calls[1].arguments == "{}");
  }
  SECTION("tool calls beside text and reasoning; no id or arguments is lenient") {
    const ChatResponse r = parsed(R"({"choices":[{"message":{"content":"Let me look.","reasoning":"hmm",
      "tool_calls":[{"function":{"name":"bash"}}]},"finish_reason":"tool_calls"}]})");
    CHECK(r.content == "Let me look.");
    CHECK(r.reasoning == "hmm");
    REQUIRE(r.tool_calls.size() == 1);
    CHECK(r.tool_calls[0].id.empty());
    CHECK(r.tool_calls[0].arguments.empty());
  }
  SECTION("an empty or null tool_calls is no tool call") {
    CHECK(parsed(R"({"choices":[{"message":{"content":"4","tool_calls":[]}}]})").tool_calls.empty());
    CHECK(parsed(R"({"choices":[{"message":{"content":"4","tool_calls":null}}]})").tool_calls.empty());
  }
}

TEST_CASE("a reply with nothing in it is still unusable, tool_calls or not", "[openai]") {
  for (const char* body : {R"({"choices":[{"message":{"content":null,"tool_calls":[]},"finish_reason":"tool_calls"}]})",
                           R"({"choices":[{"message":{"content":null,"tool_calls":null},"finish_reason":"stop"}]})"}) {
    INFO(body);
    CHECK(parse_chat_response(body).status().message() == "choices[0].message.content is null or empty");
  }
}

TEST_CASE("malformed tool calls say why", "[openai]") {
  const std::pair<std::string, std::string> cases[] = {
      {R"({"choices":[{"message":{"tool_calls":{"id":"x"}}}]})",
       "choices[0].message.tool_calls is an object, not an array"},
      {R"({"choices":[{"message":{"tool_calls":"bash"}}]})", "choices[0].message.tool_calls is a string, not an array"},
      {R"({"choices":[{"message":{"tool_calls":[7]}}]})", "choices[0].message.tool_calls[0] is a number, not an object"},
      {R"({"choices":[{"message":{"tool_calls":[{"function":{"name":"a"}},{"id":"2"}]}}]})",
       "choices[0].message.tool_calls[1] has no function"},
      {R"({"choices":[{"message":{"tool_calls":[{"id":3,"function":{"name":"a"}}]}}]})",
       "choices[0].message.tool_calls[0].id is a number, not a string"},
      {R"({"choices":[{"message":{"tool_calls":[{"function":"bash"}]}}]})",
       "choices[0].message.tool_calls[0].function is a string, not an object"},
      {R"({"choices":[{"message":{"tool_calls":[{"function":{"arguments":"{}"}}]}}]})",
       "choices[0].message.tool_calls[0].function has no name"},
      {R"({"choices":[{"message":{"tool_calls":[{"function":{"name":["bash"]}}]}}]})",
       "choices[0].message.tool_calls[0].function.name is an array, not a string"},
      {R"({"choices":[{"message":{"tool_calls":[{"function":{"name":"bash","arguments":["ls"]}}]}}]})",
       "choices[0].message.tool_calls[0].function.arguments is an array, not a string or an object"},
      {R"({"choices":[{"message":{"tool_calls":[{"function":{"name":"bash","arguments":42}}]}}]})",
       "choices[0].message.tool_calls[0].function.arguments is a number, not a string or an object"},
  };
  for (const auto& [body, reason] : cases) {
    INFO(body);
    auto result = parse_chat_response(body);
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().message() == reason);
  }
}

namespace {

// The body as nlohmann writes it from a json tree: what chat_request_body wrote
// before it was written by hand, and must still write byte for byte.
std::string nlohmann_body(const ChatRequest& request) {
  json messages = json::array();
  for (const ChatMessage& m : request.messages) {
    json message = {{"role", m.role}, {"content", m.content}};
    if (!m.tool_calls.empty()) {
      if (m.content.empty()) message["content"] = nullptr;
      json calls = json::array();
      for (const ToolCall& call : m.tool_calls)
        calls.push_back({{"id", call.id}, {"type", "function"}, {"function", {{"name", call.name}, {"arguments", call.arguments}}}});
      message["tool_calls"] = std::move(calls);
    }
    if (!m.tool_call_id.empty()) message["tool_call_id"] = m.tool_call_id;
    messages.push_back(std::move(message));
  }
  const SamplingParams& s = request.sampling;
  json body = {{"model", request.model}, {"messages", std::move(messages)}, {"temperature", s.temperature},
               {"top_p", s.top_p}, {"top_k", s.top_k}, {"min_p", s.min_p}, {"presence_penalty", s.presence_penalty},
               {"max_tokens", s.max_tokens}, {"seed", request.seed}, {"stream", false},
               {"chat_template_kwargs", {{"enable_thinking", s.think}}}};
  if (!request.tools_json.empty()) body["tools"] = json::parse(request.tools_json);
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

TEST_CASE("the hand-written request body is nlohmann's, byte for byte", "[openai]") {
  SamplingParams odd = sampling_preset(true);
  odd.temperature = 1e-05;
  odd.top_p = 1.0;
  odd.min_p = 0.05;
  odd.presence_penalty = 2.0;
  odd.max_tokens = 32768;
  ChatMessage asked{"user", "Quote \"this\", a tab\there, a back\\slash, \x01\x1f control, é ü 漢字 🙂, </think>"};
  ChatMessage call{"assistant", ""};
  call.tool_calls = {{"call_1", "bash", R"({"command": "ls -l\n"})"}, {"", "submit", ""}};
  ChatMessage result{"tool", "out\r\n\b\f"};
  result.tool_call_id = "call_1";
  ChatMessage broken{"user", "not UTF-8: \xC3\x28 \xFF"};
  const std::vector<ChatRequest> requests = {
      {"Qwen/Qwen3-8B", {asked}, sampling_preset(false), 0},
      {"m", {asked, call, result}, odd, 2147483647},
      {"m\xFF", {broken}, sampling_preset(false), 17},
  };
  for (const ChatRequest& r : requests) CHECK(chat_request_body(r) == nlohmann_body(r));
  ChatRequest with_tools{"m", {asked}, sampling_preset(false), 3};
  with_tools.tools_json = R"([{"type":"function","function":{"name":"bash","parameters":{"type":"object"}}}])";
  CHECK(chat_request_body(with_tools) == nlohmann_body(with_tools));
}
