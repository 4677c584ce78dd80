#include "record/shard.h"

#include <catch2/catch.hpp>
#include <string>

#include <fmt/format.h>

#include "util/hash.h"

using namespace qdrift;

TEST_CASE("every item falls in exactly one shard, and shards are near even", "[shard]") {
  const int count = 4;
  int sizes[count] = {};
  for (int i = 0; i < 4000; ++i) {
    const std::string id = "item-" + std::to_string(i);
    int homes = 0;
    for (int index = 0; index < count; ++index) homes += in_shard({index, count}, "gsm8k", id);
    REQUIRE(homes == 1);
    ++sizes[shard_of("gsm8k", id, count)];
  }
  for (int size : sizes) CHECK(size == Approx(1000).margin(100));  // binomial sd ~27
}

TEST_CASE("the shard rule is pinned: it is part of the file format", "[shard]") {
  // Values computed outside qdrift (FNV-1a 64 over "5:shard" "5:gsm8k" "10:gsm8k-0001", then
  // SplitMix64): a change here would split one job differently on old and new qdrift.
  CHECK(hash_parts({"shard", "gsm8k", "gsm8k-0001"}) == 0x4f52a98bb88b68e8ULL);
  const int expected[] = {4, 1, 4, 4, 0, 4};
  for (int i = 0; i < 6; ++i) CHECK(shard_of("arith", fmt::format("arith-{:04d}", i), 5) == expected[i]);
  CHECK(shard_of("arith", "x", 1) == 0);
  // The bench is part of the key: the same id can land in different shards.
  bool differs = false;
  for (int i = 0; i < 50 && !differs; ++i)
    differs = shard_of("gsm8k", std::to_string(i), 5) != shard_of("arith", std::to_string(i), 5);
  CHECK(differs);
}

TEST_CASE("the shard flag's I/N parses strictly", "[shard]") {
  CHECK(*parse_shard("0/1") == Shard{0, 1});
  CHECK(*parse_shard("2/3") == Shard{2, 3});
  CHECK(shard_name(*parse_shard("12/40")) == "12/40");
  for (const char* bad :
       {"", "1", "/3", "1/", "a/3", "1/b", "-1/3", "+1/3", " 1/3", "1/3 ", "1/3/4", "1.0/3", "99999999999/3"}) {
    INFO(bad);
    const auto parsed = parse_shard(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().kind() == ErrorKind::kUsage);
    CHECK(parsed.status().message().find("expected I/N") != std::string::npos);
  }
  CHECK(parse_shard("3/3").status().message() ==
        "--shard '3/3': the index must be 0 to 2 (shards are numbered from 0)");
  CHECK(parse_shard("0/0").status().message() == "--shard '0/0': the count N must be between 1 and 100000");
  CHECK(parse_shard("0/100001").status().kind() == ErrorKind::kUsage);
}
