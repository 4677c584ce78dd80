// Bodies written to match TGI's documented /generate details shape.
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "tripwire/tgi_dialect.h"

using namespace qdrift::tripwire;

TEST_CASE("TGI generate request asks for decoder input details", "[tripwire]") {
  auto body = nlohmann::json::parse(tgi_generate_request("The cat", 2));
  CHECK(body["inputs"] == "The cat");
  CHECK(body["parameters"]["details"] == true);
  CHECK(body["parameters"]["decoder_input_details"] == true);
}

TEST_CASE("TGI response: prefill logprobs without alternatives, object or list", "[tripwire]") {
  const std::string object = R"({"generated_text":" on","details":{"finish_reason":"length","generated_tokens":1,
    "seed":null,"prefill":[{"id":1,"text":"<s>","logprob":null},{"id":415,"text":"The","logprob":-10.53125},
    {"id":5255,"text":" cat","logprob":-4.25}],"tokens":[{"id":356,"text":" on","logprob":-0.5,"special":false}]}})";
  for (const std::string& body : {object, "[" + object + "]"}) {
    auto parsed = parse_tgi_generate(body);
    REQUIRE(parsed.ok());
    REQUIRE(parsed->size() == 2);
    CHECK((*parsed)[0].token == "415");
    CHECK((*parsed)[1].logprob == -4.25);
    CHECK((*parsed)[1].top.empty());  // no alternatives: only delta-p and the PPL ratio apply
  }
  // With no alternatives, the per-position comparison still gives delta-p and NLL.
  auto a = *parse_tgi_generate(object);
  PositionComparison c = compare_position(a[1], a[1]);
  CHECK(c.delta_p == 0.0);
  CHECK(c.base_nll == Approx(4.25));
  CHECK(parse_tgi_generate(R"({"generated_text":"x"})").status().message() ==
        "details is missing: the server did not honour \"details\": true");
  CHECK(parse_tgi_generate(R"({"details":{"prefill":[]}})").status().message() ==
        "details.prefill is missing or empty: pass \"decoder_input_details\": true");
}
