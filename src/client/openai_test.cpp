#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "qdrift/openai.h"

using namespace qdrift;
using nlohmann::json;

TEST_CASE("sampling presets are DESIGN section 3", "[openai]") {
  SamplingParams think = sampling_preset(true);
  CHECK(think.temperature == 0.6);
  CHECK(think.top_p == 0.95);
  CHECK(think.top_k == 20);
  CHECK(think.min_p == 0.0);
  CHECK(think.presence_penalty == 0.0);
  SamplingParams plain = sampling_preset(false);
  CHECK(plain.temperature == 0.7);
  CHECK(plain.top_p == 0.8);
  CHECK(plain.presence_penalty == 1.5);
  SamplingOverrides overrides;
  overrides.temperature = 0.0;
  overrides.max_tokens = 99;
  SamplingParams changed = apply_overrides(plain, overrides);
  CHECK(changed.temperature == 0.0);
  CHECK(changed.max_tokens == 99);
  CHECK(changed.top_p == 0.8);
}

TEST_CASE("chat request body carries sampling - seed and enable_thinking", "[openai]") {
  ChatRequest request{"m", {{"user", "hi"}}, sampling_preset(true), 1234};
  request.sampling.max_tokens = 4096;
  json body = json::parse(chat_request_body(request));
  CHECK(body["model"] == "m");
  CHECK(body["messages"][0]["content"] == "hi");
  CHECK(body["temperature"] == 0.6);
  CHECK(body["top_k"] == 20);
  CHECK(body["seed"] == 1234);
  CHECK(body["max_tokens"] == 4096);
  CHECK(body["chat_template_kwargs"]["enable_thinking"] == true);
}

TEST_CASE("request seeds depend on every part and fit in int32", "[openai]") {
  auto s = request_seed(0, "arith", "arith-0001", 0);
  CHECK(s == request_seed(0, "arith", "arith-0001", 0));
  CHECK(s != request_seed(1, "arith", "arith-0001", 0));
  CHECK(s != request_seed(0, "gsm8k", "arith-0001", 0));
  CHECK(s != request_seed(0, "arith", "arith-0002", 0));
  CHECK(s != request_seed(0, "arith", "arith-0001", 1));
  CHECK(s >= 0);
  CHECK(s < (1LL << 31));
}

TEST_CASE("chat responses parse in every reasoning shape", "[openai]") {
  SECTION("new vLLM: message.reasoning, usage") {
    auto r = parse_chat_response(R"({"choices":[{"index":0,"message":{"role":"assistant",
      "content":"42","reasoning":"think think"},"finish_reason":"stop"}],
      "usage":{"prompt_tokens":10,"completion_tokens":30,"total_tokens":40}})");
    REQUIRE(r.ok());
    CHECK(r->content == "42");
    CHECK(r->reasoning == "think think");
    CHECK(r->finish_reason == "stop");
    CHECK(r->completion_tokens == 30);
    CHECK(r->reasoning_tokens == 25);  // 11 of 13 characters are reasoning
  }
  SECTION("older vLLM / SGLang: reasoning_content, reported reasoning tokens") {
    auto r = parse_chat_response(R"({"choices":[{"message":{"content":"7","reasoning_content":"r"},
      "finish_reason":"length"}],"usage":{"completion_tokens":9,
      "completion_tokens_details":{"reasoning_tokens":8}}})");
    REQUIRE(r.ok());
    CHECK(r->reasoning == "r");
    CHECK(r->finish_reason == "length");
    CHECK(r->reasoning_tokens == 8);
  }
  SECTION("inline <think> block") {
    auto r = parse_chat_response(
        R"({"choices":[{"message":{"content":"<think>hmm</think>\n\nThe answer is 3"},"finish_reason":"stop"}]})");
    REQUIRE(r.ok());
    CHECK(r->reasoning == "hmm");
    CHECK(r->content == "The answer is 3");
  }
  SECTION("cut off inside <think>") {
    auto r = parse_chat_response(
        R"({"choices":[{"message":{"content":"<think>going on and on"},"finish_reason":"length"}]})");
    REQUIRE(r.ok());
    CHECK(r->reasoning == "going on and on");
    CHECK(r->content.empty());
  }
  SECTION("null content after reasoning or at the cap is an empty answer") {
    auto r = parse_chat_response(R"({"choices":[{"message":{"content":null,"reasoning":"hmm"},"finish_reason":"stop"}]})");
    REQUIRE(r.ok());
    CHECK(r->content.empty());
    CHECK(parse_chat_response(R"({"choices":[{"message":{"content":null},"finish_reason":"length"}]})").ok());
  }
  SECTION("null or empty content with nothing else is an unusable body") {
    for (const char* body : {R"({"choices":[{"message":{"content":null},"finish_reason":"stop"}]})",
                             R"({"choices":[{"message":{"content":""},"finish_reason":"stop"}]})"})
      CHECK(parse_chat_response(body).status().message() == "choices[0].message.content is null or empty");
  }
}

TEST_CASE("malformed chat responses say why", "[openai]") {
  // Each shape a broken server or proxy has been seen to send, and its reason.
  const std::pair<std::string, std::string> cases[] = {
      {"not json", "response is not JSON"},
      {"", "response is not JSON"},
      {R"({"choices":[{"message":{"content":"4)", "response is not JSON"},  // cut
      {"<html><body>502 Bad Gateway</body></html>", "response is not JSON"},
      {"[]", "response is not a JSON object"},
      {"42", "response is not a JSON object"},
      {R"({"id":"x"})", "response has no choices"},
      {R"({"choices":null})", "response has no choices"},
      {R"({"choices":[]})", "response has no choices"},
      {R"({"choices":{"0":{"message":{"content":"4"}}}})", "response's choices is an object, not an array"},
      {R"({"choices":"4"})", "response's choices is a string, not an array"},
      {R"({"choices":[7]})", "choices[0] is a number, not an object"},
      {R"({"choices":[{"text":"x"}]})", "choices[0] has no message"},
      {R"({"choices":[{"message":null}]})", "choices[0] has no message"},
      {R"({"choices":[{"message":"4"}]})", "choices[0].message is a string, not an object"},
      {R"({"choices":[{"message":{"content":5}}]})", "choices[0].message.content is a number, not a string"},
      {R"({"choices":[{"message":{"content":true}}]})", "choices[0].message.content is a boolean, not a string"},
      {R"({"choices":[{"message":{"content":["4"]}}]})", "choices[0].message.content is an array, not a string"},
      {R"({"choices":[{"message":{"content":{"text":"4"}}}]})", "choices[0].message.content is an object, not a string"},
      {R"({"choices":[{"message":{"content":null},"finish_reason":"stop"}]})", "choices[0].message.content is null or empty"},
      {R"({"choices":[{"message":{},"finish_reason":"stop"}]})", "choices[0].message.content is null or empty"},
      // JSON must be UTF-8: a raw 0xFF, a cut two-byte sequence, an encoded surrogate.
      {"{\"choices\":[{\"message\":{\"content\":\"4 \xFF\"}}]}", "response is not valid UTF-8 (byte 37 of 43)"},
      {"{\"choices\":[{\"message\":{\"content\":\"\xC3\"}}]}", "response is not valid UTF-8 (byte 35 of 41)"},
      {"{\"choices\":[{\"message\":{\"content\":\"\xED\xA0\x80\"}}]}", "response is not valid UTF-8 (byte 35 of 43)"},
      // An escaped lone surrogate is valid UTF-8 on the wire but no character.
      {R"({"choices":[{"message":{"content":"\ud800"}}]})", "response is not JSON"},
  };
  for (const auto& [body, reason] : cases) {
    INFO(body);
    auto parsed = parse_chat_response(body);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().message() == reason);
  }
}

TEST_CASE("wrong types outside the answer are read leniently", "[openai]") {
  // The answer is there: odd usage, finish or reasoning fields do not fail the sample.
  auto r = parse_chat_response(R"({"choices":[{"message":{"content":"4","reasoning":7},"finish_reason":3}],
    "usage":{"prompt_tokens":"10","completion_tokens":1e300,"completion_tokens_details":[]}})");
  REQUIRE(r.ok());
  CHECK(r->content == "4");
  CHECK(r->reasoning.empty());
  CHECK(r->finish_reason.empty());
  CHECK(r->prompt_tokens == 0);
  CHECK(r->completion_tokens == 0);
  auto negative = parse_chat_response(R"({"choices":[{"message":{"content":"4"}}],"usage":{"completion_tokens":-5}})");
  REQUIRE(negative.ok());
  CHECK(negative->completion_tokens == 0);
}

TEST_CASE("a parsed answer is always valid UTF-8", "[openai]") {
  // Escapes decode to well-formed text, so the answer can be written to any JSON file.
  auto r = parse_chat_response(R"({"choices":[{"message":{"content":"caf\u00e9 \ud83d\ude00 \u0000"}}]})");
  REQUIRE(r.ok());
  CHECK(r->content == std::string("caf\xC3\xA9 \xF0\x9F\x98\x80 \0", 12));
}

TEST_CASE("the chat body cap is 256 bytes a token and never under 4 MiB", "[openai]") {
  CHECK(chat_response_cap(512) == 4u << 20);
  CHECK(chat_response_cap(32768) == 8u << 20);
  CHECK(chat_response_cap(131072) == 32u << 20);
  CHECK(chat_response_cap(0) == 4u << 20);
}

TEST_CASE("server error messages are the server's own words", "[openai]") {
  CHECK(server_error_message(
            R"({"object":"error","message":"The model `x` does not exist.","type":"NotFoundError","param":null,"code":404})") ==
        "The model `x` does not exist.");
  CHECK(server_error_message(R"({"error":{"message":"bad key","type":"auth"}})") == "bad key");
  CHECK(server_error_message(R"({"error":"Unauthorized"})") == "Unauthorized");
  CHECK(server_error_message(R"({"detail":"Not Found"})") == "Not Found");
  CHECK(server_error_message("<html>oops</html>") == "<html>oops</html>");
}

// Found by fuzz/chat_response_fuzz.cpp: the quoted body and the counts go into run files.
TEST_CASE("a body quoted in an error is valid utf8 and token counts stay counts", "[openai]") {
  const std::string quoted = server_error_message("<html>caf\xC3</html>");
  CHECK(quoted == "<html>caf\xEF\xBF\xBD</html>");
  std::string long_body(199, 'x');
  long_body += "\xC3\xA9";
  CHECK(server_error_message(long_body).size() == 199);  // é is not cut in half

  auto lying = parse_chat_response(
      R"({"choices":[{"message":{"content":"5","reasoning_content":"2 plus 3"},"finish_reason":"stop"}],
          "usage":{"prompt_tokens":-4,"completion_tokens":20,"completion_tokens_details":{"reasoning_tokens":24}}})");
  REQUIRE(lying.ok());
  CHECK(lying->prompt_tokens == 0);
  CHECK(lying->reasoning_tokens == 20);  // never more than were generated
  auto huge = parse_chat_response(
      R"({"choices":[{"message":{"content":"5"},"finish_reason":"stop"}],"usage":{"completion_tokens":1e300}})");
  REQUIRE(huge.ok());
  CHECK(huge->completion_tokens == 0);
}

TEST_CASE("URLs lose their credentials", "[openai]") {
  CHECK(redact_url("http://user:pw@host:8000/v1") == "http://host:8000/v1");
  CHECK(redact_url("http://127.0.0.1:8000/v1") == "http://127.0.0.1:8000/v1");
  CHECK(redact_url("https://h/v1?q=a@b") == "https://h/v1?q=a@b");
}
