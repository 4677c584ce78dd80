// Repeated --endpoint end to end: a run over two `qdrift sim` replicas, one of
// them killed mid-run, finishes with every sample and records the same samples
// as a run against one server; preflight refuses a replica serving another model.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "process.h"

using namespace qdrift::testing;
using nlohmann::json;

namespace {

// bench -> item id -> [(correct, answer)] per sample.
std::map<std::string, std::map<std::string, std::vector<std::pair<bool, std::string>>>> samples_of(const json& run) {
  std::map<std::string, std::map<std::string, std::vector<std::pair<bool, std::string>>>> out;
  for (const auto& [bench, record] : run["benches"].items())
    for (const json& item : record["items"])
      for (const json& sample : item["samples"])
        out[bench][item["id"].get<std::string>()].emplace_back(sample["correct"].get<bool>(),
                                                              sample["answer"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("a run over two replicas, one killed mid-run, loses nothing and matches a run on one server",
          "[e2e][replicas]") {
  TempDir dir;
  const std::vector<std::string> common = {"--bench", "arith", "--tier", "smoke", "--samples", "4", "--model", "qdrift-sim",
                                           "-q", "--no-tripwire"};
  SimProcess alone({"--seed", "1"});
  std::vector<std::string> single = {"run", "--endpoint", alone.endpoint(), "--out", dir.file("one.json")};
  single.insert(single.end(), common.begin(), common.end());
  const CommandResult reference = run_qdrift(single);
  INFO(reference.err);
  REQUIRE(reference.exit_code == 0);

  // Same seed: the replicas answer every request as `alone` did, whichever gets it.
  SimProcess a({"--seed", "1", "--latency", "20"}), b({"--seed", "1", "--latency", "20"});
  std::vector<std::string> spread = {"run", "--endpoint", a.endpoint() + "@3", "--endpoint", b.endpoint() + "@3",
                                     "--out", dir.file("two.json")};
  spread.insert(spread.end(), common.begin(), common.end());
  const CommandResult survived = run_qdrift(spread, {}, "", [&](int) {
    REQUIRE(wait_for_sim_counter(b, "requests", 15));
    b.kill_now();
  });
  INFO(survived.err);
  REQUIRE(survived.exit_code == 0);
  const long served_by_a = sim_counter(a, "requests");

  const json one = json::parse(read_text(dir.file("one.json")));
  const json two = json::parse(read_text(dir.file("two.json")));
  CHECK(samples_of(two) == samples_of(one));  // every item, every sample, the same answers
  const json& replicas = two["requests"]["replicas"];
  REQUIRE(replicas.size() == 2);
  CHECK(replicas[0]["endpoint"] == a.endpoint());
  CHECK_FALSE(replicas[0]["down"].get<bool>());
  CHECK(replicas[1]["down"].get<bool>());
  CHECK(replicas[1]["failed_tries"].get<long>() >= 3);
  CHECK(replicas[1]["answered"].get<long>() >= 15 - 3);  // the sim counts on arrival; its 3 in flight died with it
  CHECK(replicas[0]["answered"].get<long>() == served_by_a);
  CHECK(replicas[0]["answered"].get<long>() + replicas[1]["answered"].get<long>() ==
        two["requests"]["answered"].get<long>());

  const CommandResult shown = run_qdrift({"show", dir.file("two.json")});
  CHECK(shown.out.find("replicas: " + a.endpoint()) != std::string::npos);
  CHECK(shown.out.find("(down: ") != std::string::npos);
}

TEST_CASE("a baseline over two replicas whose first dies mid-run still gets its tripwire reference",
          "[e2e][replicas]") {
  TempDir dir;
  SimProcess a({"--seed", "1", "--latency", "20"}), b({"--seed", "1", "--latency", "20"});
  const CommandResult collected = run_qdrift(
      {"collect-baseline", "--bench", "arith", "--tier", "smoke", "--samples", "4", "--model", "qdrift-sim",
       "--endpoint", a.endpoint() + "@3", "--endpoint", b.endpoint() + "@3", "--out", dir.file("base.json"), "-q"},
      {}, "", [&](int) {
        REQUIRE(wait_for_sim_counter(a, "requests", 15));
        a.kill_now();  // the first replica: preflight's, and the tripwire's before this change
      });
  INFO(collected.err);
  REQUIRE(collected.exit_code == 0);
  const json file = json::parse(read_text(dir.file("base.json")));
  CHECK(file["tripwire"]["status"] == "reference");
  CHECK(file["requests"]["replicas"][0]["down"].get<bool>());
  long samples = 0;
  for (const json& item : file["benches"]["arith"]["items"]) samples += static_cast<long>(item["samples"].size());
  CHECK(samples == 50 * 4);
  CHECK(sim_counter(b, "logprob_requests") > 0);  // the reference pass went to the replica left
}

TEST_CASE("replicas are checked before the first sample", "[e2e][replicas]") {
  TempDir dir;
  SimProcess a({"--seed", "1"}), other({"--model-name", "another-model"});
  const CommandResult mixed = run_qdrift({"run", "--bench", "arith", "--tier", "smoke", "--model", "qdrift-sim",
                                          "--endpoint", a.endpoint(), "--endpoint", other.endpoint(), "--out",
                                          dir.file("x.json"), "-q", "--no-tripwire"});
  CHECK(mixed.exit_code == 3);
  CHECK(mixed.err.find("replica 2 of 2") != std::string::npos);
  CHECK(mixed.err.find("another-model") != std::string::npos);
  CHECK(sim_counter(a, "requests") == 0);  // refused before any chat request

  const CommandResult twice = run_qdrift({"run", "--bench", "arith", "--tier", "smoke", "--endpoint", a.endpoint(),
                                          "--endpoint", a.endpoint() + "/", "--out", dir.file("y.json"), "-q"});
  CHECK(twice.exit_code == 3);
  CHECK(twice.err.find("is given twice") != std::string::npos);

  const CommandResult no_share = run_qdrift({"run", "--bench", "arith", "--endpoint", a.endpoint() + "@0", "--out",
                                             dir.file("z.json"), "-q"});
  CHECK(no_share.exit_code == 3);
  CHECK(no_share.err.find("must be 1 to 100000") != std::string::npos);
}
