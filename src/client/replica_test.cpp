#include "qdrift/replica.h"

#include <catch2/catch.hpp>

using qdrift::parse_replica;

TEST_CASE("a replica is a URL with an optional @concurrency", "[replica]") {
  auto plain = parse_replica("http://10.0.0.2:8000/v1/");
  REQUIRE(plain.ok());
  CHECK(plain->base_url == "http://10.0.0.2:8000/v1");
  CHECK(plain->concurrency == 0);

  auto shared = parse_replica("http://10.0.0.3:8000/v1@32");
  REQUIRE(shared.ok());
  CHECK(shared->base_url == "http://10.0.0.3:8000/v1");
  CHECK(shared->concurrency == 32);

  // The '@' of user:password@host is part of the URL; only a trailing @digits is a share.
  auto credentials = parse_replica("http://user:pw@host:8000/v1");
  REQUIRE(credentials.ok());
  CHECK(credentials->base_url == "http://user:pw@host:8000/v1");
  CHECK(credentials->concurrency == 0);
  auto both = parse_replica("http://user:pw@host:8000/v1@8");
  REQUIRE(both.ok());
  CHECK(both->base_url == "http://user:pw@host:8000/v1");
  CHECK(both->concurrency == 8);
}

TEST_CASE("a replica's concurrency must be 1 to 100000, and its URL not empty", "[replica]") {
  for (const char* bad : {"http://h/v1@0", "http://h/v1@100001", "http://h/v1@99999999999999", "@4", ""}) {
    auto parsed = parse_replica(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().kind() == qdrift::ErrorKind::kUsage);
  }
  // The message never shows a password.
  auto secret = parse_replica("http://user:hunter2@h/v1@0");
  REQUIRE_FALSE(secret.ok());
  CHECK(secret.status().message().find("hunter2") == std::string::npos);
}

TEST_CASE("each replica keeps its own share in flight, or the run's -c", "[replica]") {
  CHECK(qdrift::replica_share({"http://a/v1", 8}, 64) == 8);
  CHECK(qdrift::replica_share({"http://a/v1", 0}, 64) == 64);
  CHECK(qdrift::total_concurrency({{"http://a/v1", 8}, {"http://b/v1", 0}}, 64) == 72);
  CHECK(qdrift::total_concurrency({}, 64) == 64);
}
