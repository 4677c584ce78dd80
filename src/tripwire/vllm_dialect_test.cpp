// Response bodies written to match vLLM's documented /v1/completions echo shape.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tripwire/vllm_dialect.h"

using namespace qdrift::tripwire;

TEST_CASE("vLLM echo request asks for prompt logprobs", "[tripwire]") {
  auto body = nlohmann::json::parse(vllm_echo_request("m", "The cat sat", 5));
  CHECK(body["echo"] == true);
  CHECK(body["logprobs"] == 5);
  CHECK(body["max_tokens"] == 1);
  CHECK(body["prompt"] == "The cat sat");
}

TEST_CASE("vLLM echo response: null first token, clamp, collapsed keys, generated tail", "[tripwire]") {
  // Four prompt tokens then one generated token; "Ġthe" appears twice in the top list
  // as two token ids with equal text, so the dict holds one key for both.
  const char* body = R"({"id":"cmpl-1","object":"text_completion","model":"m","choices":[{"index":0,
    "text":"The cat sat on the","logprobs":{"text_offset":[0,3,7,11,14],
    "token_logprobs":[null,-2.5,-9999.0,-0.5,-1.0],
    "tokens":["The"," cat"," sat"," on"," the"],
    "top_logprobs":[null,{" cat":-2.5," dog":-1.0},{" is":-0.1," the":-3.0},{" on":-0.5," in":-1.5},{" the":-1.0}]},
    "finish_reason":"length"}],"usage":{"prompt_tokens":4,"total_tokens":5,"completion_tokens":1}})";
  auto parsed = parse_vllm_echo(body);
  REQUIRE(parsed.ok());
  REQUIRE(parsed->sequence.size() == 3);  // first (null) and the generated fifth are dropped
  CHECK(parsed->sequence[0].token == " cat");
  CHECK(parsed->sequence[0].logprob == -2.5);
  CHECK(parsed->sequence[0].top.size() == 2);
  CHECK(parsed->sequence[1].logprob == -9999.0);  // clamp kept: probability 0 for every metric
  CHECK(parsed->sequence[1].top.size() == 2);
  CHECK(parsed->sequence[2].token == " on");
}

TEST_CASE("vLLM echo responses without logprobs say so", "[tripwire]") {
  CHECK(parse_vllm_echo(R"({"choices":[{"text":"x"}]})").status().message() ==
        "choices[0].logprobs is missing: the server did not return logprobs");
  CHECK(parse_vllm_echo("nope").status().message() == "logprobs response is not a JSON object");
  CHECK(parse_vllm_echo(R"({"choices":[{"logprobs":{"tokens":["a"],"token_logprobs":[null,1],"top_logprobs":[null]}}]})")
            .status()
            .message() == "choices[0].logprobs lists have different lengths");
}

// Found by fuzz/logprobs_fuzz.cpp: exp(2420911) made every metric NaN.
TEST_CASE("logprobs above zero are refused and float noise is zeroed", "[tripwire]") {
  const auto body = [](const char* actual, const char* alternative) {
    return fmt::format(R"({{"choices":[{{"logprobs":{{"tokens":["a","b"],"token_logprobs":[null,{}],
      "top_logprobs":[null,{{"b":{},"c":-1.0}}]}}}}],"usage":{{"prompt_tokens":2}}}})", actual, alternative);
  };
  CHECK(parse_vllm_echo(body("2420911", "-0.5")).status().message() ==
        "logprobs: position 0: the actual token's log-probability 2420911 is above 0");
  CHECK(parse_vllm_echo(body("-0.5", "0.3")).status().message() ==
        "logprobs: position 0: an alternative's log-probability 0.3 is above 0");
  auto noise = parse_vllm_echo(body("0.00000002", "0.00000002"));
  REQUIRE(noise.ok());
  CHECK(noise->sequence[0].logprob == 0.0);
}

TEST_CASE("vLLM echo with return_tokens_as_token_ids keys tokens by id", "[tripwire]") {
  auto request = nlohmann::json::parse(vllm_echo_request("m", "x y", 5));
  CHECK(request["return_tokens_as_token_ids"] == true);
  // Two alternatives with the same text " the" stay apart as ids 279 and 1820.
  const char* body = R"({"choices":[{"index":0,"text":"The cat .","logprobs":{"text_offset":[0,3,7],
    "token_logprobs":[null,-2.5,-0.5],"tokens":["token_id:785","token_id:8251","token_id:659"],
    "top_logprobs":[null,{"token_id:8251":-2.5,"token_id:279":-1.0,"token_id:1820":-1.2},{"token_id:659":-0.5}]},
    "finish_reason":"length"}],"usage":{"prompt_tokens":2,"total_tokens":3,"completion_tokens":1}})";
  auto parsed = parse_vllm_echo(body);
  REQUIRE(parsed.ok());
  CHECK(parsed->keyed_by_id);
  REQUIRE(parsed->sequence.size() == 1);
  CHECK(parsed->sequence[0].token == "8251");
  CHECK(parsed->sequence[0].top.size() == 3);
  // An older vLLM ignores the flag and keys by text.
  auto by_text = parse_vllm_echo(R"({"choices":[{"logprobs":{"tokens":["a","b"],"token_logprobs":[null,-1],
    "top_logprobs":[null,{"b":-1}]}}]})");
  REQUIRE(by_text.ok());
  CHECK_FALSE(by_text->keyed_by_id);
}

TEST_CASE("vLLM prompt_logprobs: the actual token is the first key or prompt_token_ids names it", "[tripwire]") {
  auto request = nlohmann::json::parse(vllm_prompt_logprobs_request("m", "x y", 2));
  CHECK(request["prompt_logprobs"] == 2);
  CHECK_FALSE(request.contains("echo"));
  // Position 1: the prompt token 8251 is outside the top 2, so the dict has 3 entries, it first.
  // Position 2: the prompt token 264 is the top-ranked one, so the dict has 2 entries. -9999.0 is vLLM's clamp.
  const char* body = R"({"id":"cmpl-2","object":"text_completion","model":"m","choices":[{"index":0,"text":" .",
    "logprobs":null,"finish_reason":"length","stop_reason":null,"prompt_logprobs":[null,
    {"8251":{"logprob":-4.5,"rank":7,"decoded_token":" cat"},"279":{"logprob":-1.0,"rank":1,"decoded_token":" the"},
     "1820":{"logprob":-1.2,"rank":2,"decoded_token":" the"}},
    {"264":{"logprob":-0.1,"rank":1,"decoded_token":" a"},"3":{"logprob":-9999.0,"rank":2,"decoded_token":"$"}}]}],
    "usage":{"prompt_tokens":3,"total_tokens":4,"completion_tokens":1}})";
  auto parsed = parse_vllm_prompt_logprobs(body);
  REQUIRE(parsed.ok());
  CHECK(parsed->keyed_by_id);
  REQUIRE(parsed->sequence.size() == 2);
  CHECK(parsed->sequence[0].token == "8251");
  CHECK(parsed->sequence[0].logprob == -4.5);
  CHECK(parsed->sequence[0].top.size() == 3);
  CHECK(parsed->sequence[1].token == "264");
  CHECK(parsed->sequence[1].top[1].second == -9999.0);
  // With return_token_ids the server names the prompt tokens; key order no longer matters.
  const char* named = R"({"choices":[{"prompt_token_ids":[785,264],"prompt_logprobs":[null,
    {"279":{"logprob":-1.0,"rank":1},"264":{"logprob":-2.0,"rank":2}}]}]})";
  auto with_ids = parse_vllm_prompt_logprobs(named);
  REQUIRE(with_ids.ok());
  CHECK(with_ids->sequence[0].token == "264");
  CHECK(with_ids->sequence[0].logprob == -2.0);
  CHECK(parse_vllm_prompt_logprobs(R"({"choices":[{"text":"x"}]})").status().message() ==
        "choices[0].prompt_logprobs is missing: the server ignored prompt_logprobs");
  CHECK(parse_vllm_prompt_logprobs(R"({"choices":[{"prompt_token_ids":[1,5],"prompt_logprobs":[null,
    {"279":{"logprob":-1.0}}]}]})").status().message() == "choices[0].prompt_logprobs[1] does not hold the prompt token 5");
}
