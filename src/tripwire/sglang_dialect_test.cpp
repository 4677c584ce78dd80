// Bodies written to match SGLang's documented /generate logprob shape.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "qdrift/sim.h"
#include "tripwire/probe.h"
#include "tripwire/sglang_dialect.h"

using namespace qdrift;
using namespace qdrift::tripwire;

TEST_CASE("SGLang generate request asks for input logprobs from position 0", "[tripwire]") {
  auto body = nlohmann::json::parse(sglang_generate_request("The cat", 5));
  CHECK(body["return_logprob"] == true);
  CHECK(body["logprob_start_len"] == 0);
  CHECK(body["top_logprobs_num"] == 5);
  CHECK(body["text"] == "The cat");
}

TEST_CASE("SGLang response: null first logprob and id-keyed alternatives", "[tripwire]") {
  // Two alternatives share the text " the" but not the id: they stay apart.
  const char* body = R"({"text":" on","meta_info":{"id":"x","prompt_tokens":3,
    "input_token_logprobs":[[null,791,"The"],[-2.5,8415," cat"],[-0.5,7731," sat"]],
    "input_top_logprobs":[null,[[-1.0,5679," dog"],[-2.5,8415," cat"]],[[-0.5,7731," sat"],[-1.2,279," the"],[-1.3,1820," the"]]],
    "output_token_logprobs":[[-0.3,389," on"]]}})";
  auto parsed = parse_sglang_generate(body);
  REQUIRE(parsed.ok());
  REQUIRE(parsed->size() == 2);
  CHECK((*parsed)[0].token == "8415");
  CHECK((*parsed)[0].logprob == -2.5);
  CHECK((*parsed)[1].top.size() == 3);
  CHECK(parse_sglang_generate(R"({"text":"x"})").status().message() ==
        "meta_info is missing: the server did not return logprobs");
  CHECK(parse_sglang_generate(R"({"meta_info":{}})").status().message() ==
        "meta_info.input_token_logprobs is missing: pass logprob_start_len 0");
}

TEST_CASE("the SGLang dialect against the sim agrees with the vLLM dialect", "[tripwire][sim]") {
  SimOptions o;
  auto server = SimServer::start(o);
  REQUIRE(server.ok());
  ProbeOptions vllm, sglang;
  vllm.endpoint = sglang.endpoint = (*server)->base_url();
  vllm.model = sglang.model = "qdrift-sim";
  sglang.dialect = "sglang";
  const std::vector<std::string> corpus = {"Alpha beta gamma delta epsilon zeta", "One two three four five"};
  auto a = fetch_pass(corpus, vllm), b = fetch_pass(corpus, sglang);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(a->size() == b->size());
  for (std::size_t s = 0; s < a->size(); ++s) {
    REQUIRE((*a)[s].size() == (*b)[s].size());
    for (std::size_t i = 0; i < (*a)[s].size(); ++i) CHECK((*a)[s][i].logprob == Approx((*b)[s][i].logprob));
  }
}
