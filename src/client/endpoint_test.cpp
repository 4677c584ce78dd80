#include "qdrift/endpoint.h"

#include <catch2/catch.hpp>

namespace qdrift {

TEST_CASE("Endpoint builds URLs and the one Bearer header", "[endpoint]") {
  Endpoint e{"http://user:pw@127.0.0.1:8000/v1/", "m", "sk-secret", "vllm"};
  CHECK(e.url("/chat/completions") == "http://user:pw@127.0.0.1:8000/v1/chat/completions");
  CHECK(e.root_url() == "http://user:pw@127.0.0.1:8000");
  CHECK(e.shown_url().find("pw") == std::string::npos);
  REQUIRE(e.auth_headers().size() == 1);
  CHECK(e.auth_headers()[0] == "Authorization: Bearer sk-secret");
  e.api_key.clear();
  CHECK(e.auth_headers().empty());
}

}  // namespace qdrift
