// Response bodies written to match vLLM's documented /v1/completions echo shape.
#include <catch2/catch.hpp>
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
  REQUIRE(parsed->size() == 3);  // first (null) and the generated fifth are dropped
  CHECK((*parsed)[0].token == " cat");
  CHECK((*parsed)[0].logprob == -2.5);
  CHECK((*parsed)[0].top.size() == 2);
  CHECK((*parsed)[1].logprob == -9999.0);  // clamp kept: probability 0 for every metric
  CHECK((*parsed)[1].top.size() == 2);
  CHECK((*parsed)[2].token == " on");
}

TEST_CASE("vLLM echo responses without logprobs say so", "[tripwire]") {
  CHECK(parse_vllm_echo(R"({"choices":[{"text":"x"}]})").status().message() ==
        "choices[0].logprobs is missing: the server did not return logprobs");
  CHECK(parse_vllm_echo("nope").status().message() == "logprobs response is not a JSON object");
  CHECK(parse_vllm_echo(R"({"choices":[{"logprobs":{"tokens":["a"],"token_logprobs":[null,1],"top_logprobs":[null]}}]})")
            .status()
            .message() == "choices[0].logprobs lists have different lengths");
}
