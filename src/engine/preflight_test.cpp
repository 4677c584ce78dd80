#include "engine/preflight.h"

#include <catch2/catch.hpp>

#include "qdrift/sim.h"
#include "process.h"

namespace qdrift {
namespace {

TEST_CASE("preflight: the served model, a missing key, a wrong model and no server, each in one line", "[preflight]") {
  SimOptions sim;
  sim.api_key = "sk-right";
  auto server = SimServer::start(sim);
  REQUIRE(server.ok());
  PoolOptions pool;
  pool.retry.initial_backoff_s = 0.01;
  Endpoint endpoint{(*server)->base_url(), "", "sk-right", "auto"};
  CHECK(*preflight_model(endpoint, pool) == "qdrift-sim");  // the only model served
  endpoint.model = "other";
  CHECK_THAT(preflight_model(endpoint, pool).status().message(),
             Catch::Contains("model 'other' is not served at") && Catch::Contains("it serves: qdrift-sim"));
  endpoint.model = "qdrift-sim";
  endpoint.api_key = "sk-wrong";
  const std::string refused = preflight_model(endpoint, pool).status().message();
  CHECK_THAT(refused, Catch::Contains("HTTP 401") && Catch::Contains("--api-key"));
  CHECK(refused.find("sk-wrong") == std::string::npos);
  endpoint.base_url = "http://127.0.0.1:" + std::to_string(testing::closed_port()) + "/v1";
  CHECK_THAT(preflight_model(endpoint, pool).status().message(), Catch::StartsWith("cannot reach http://127.0.0.1:"));
  endpoint.server = "sglang";
  CHECK(resolve_server_kind(endpoint, pool) == "sglang");  // given, not probed
}

}  // namespace
}  // namespace qdrift
