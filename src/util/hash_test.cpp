#include "util/hash.h"

#include <catch2/catch.hpp>

using namespace qdrift;

TEST_CASE("sha256_hex matches the FIPS 180-2 test vector", "[hash]") {
  // FIPS 180-2 appendix B.1: sha256("abc").
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("hash_parts separates its parts", "[hash]") {
  CHECK(hash_parts({"ab", "c"}) != hash_parts({"a", "bc"}));
  CHECK(hash_parts({"a", "b"}) == hash_parts({"a", "b"}));
  CHECK(hash64("x") != hash64("y"));
}

TEST_CASE("unit_interval stays in 0 to 1 and spreads", "[hash]") {
  double sum = 0;
  for (int i = 0; i < 10000; ++i) {
    double u = unit_interval(mix64(static_cast<std::uint64_t>(i)));
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    sum += u;
  }
  CHECK(sum / 10000 == Approx(0.5).margin(0.02));
}
