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

TEST_CASE("every dialect reads the same logprobs and token ids from one sim", "[tripwire][sim]") {
  SimOptions o;
  auto server = SimServer::start(o);
  REQUIRE(server.ok());
  SimOptions no_echo;
  no_echo.echo_logprobs = false;
  auto refusing = SimServer::start(no_echo);
  REQUIRE(refusing.ok());
  const std::vector<std::string> corpus = {"Alpha beta gamma delta epsilon zeta", "One two three four five"};
  auto fetch = [&](const std::string& dialect, const std::string& endpoint) {
    ProbeOptions probe;
    probe.endpoint.base_url = endpoint;
    probe.endpoint.model = "qdrift-sim";
    probe.dialect = dialect;
    auto pass = fetch_pass(corpus, probe);
    REQUIRE(pass.ok());
    return *pass;
  };
  const Pass echo = fetch("vllm", (*server)->base_url());
  CHECK(echo.api == "vllm");
  CHECK(echo.keyed_by_id);  // the sim honours return_tokens_as_token_ids
  const Pass fallback = fetch("vllm", (*refusing)->base_url());
  CHECK(fallback.api == "vllm-prompt-logprobs");  // echo refused with 400: prompt_logprobs instead
  for (const Pass& other : {fallback, fetch("vllm-prompt-logprobs", (*server)->base_url()),
                            fetch("sglang", (*server)->base_url()), fetch("tgi", (*server)->base_url())}) {
    INFO("dialect " << other.api);
    CHECK(other.keyed_by_id);
    REQUIRE(other.sequences.size() == echo.sequences.size());
    for (std::size_t s = 0; s < echo.sequences.size(); ++s) {
      REQUIRE(other.sequences[s].size() == echo.sequences[s].size());
      for (std::size_t i = 0; i < echo.sequences[s].size(); ++i) {
        CHECK(other.sequences[s][i].token == echo.sequences[s][i].token);
        CHECK(other.sequences[s][i].logprob == Approx(echo.sequences[s][i].logprob));
        // Same ids, same values: every dialect with alternatives gives KL 0 against echo.
        if (other.alternatives) CHECK(top_k_kl(echo.sequences[s][i], other.sequences[s][i]) == Approx(0).margin(1e-9));
      }
    }
  }
  CHECK_FALSE(fetch("tgi", (*server)->base_url()).alternatives);
}
