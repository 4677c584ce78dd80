// `qdrift noise` end to end against the sim, both ways: a deterministic server,
// and one whose answers depend on the batch they share (`sim --batch-noise`).
#include <algorithm>

#include <catch2/catch.hpp>

#include "process.h"

using namespace qdrift::testing;

TEST_CASE("noise: a deterministic server repeats exactly alone and in a batch", "[e2e][noise]") {
  SimProcess sim({"--seed", "5"});
  const CommandResult r = run_qdrift({"noise", "--endpoint", sim.endpoint(), "--model", "qdrift-sim", "--prompts", "64"});
  INFO(r.err << r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("alone, twice:              64/64 identical (100.0%), 0 answers flipped") != std::string::npos);
  CHECK(r.out.find("in a batch of 64, twice:   64/64 identical (100.0%)") != std::string::npos);
  CHECK(r.out.find("alone vs in a batch:       64/64 identical (100.0%)") != std::string::npos);
  CHECK(r.out.find("\ndeterministic: repeats are exact alone and inside a batch") != std::string::npos);
  CHECK(r.out.find("expect no flips between two runs at temperature 0") != std::string::npos);
  // Four rounds of 64 probes, the batch rounds with two fillers each, and one logprobs check.
  CHECK(sim_counter(sim, "requests") == 2 * 64 + 2 * 3 * 64 + 1);
}

TEST_CASE("noise: a server that is not batch invariant is named so, with the flips to expect", "[e2e][noise]") {
  SimProcess sim({"--seed", "5", "--batch-noise"});
  const CommandResult r = run_qdrift({"noise", "--endpoint", sim.endpoint(), "--model", "qdrift-sim", "--prompts", "128"});
  INFO(r.err << r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("alone, twice:              128/128 identical (100.0%), 0 answers flipped") != std::string::npos);
  CHECK(r.out.find("in a batch of 64, twice:   128/128") == std::string::npos);  // repeats in a batch differ
  CHECK(r.out.find("they first differ at token") != std::string::npos);
  CHECK(r.out.find("\nnot batch invariant: repeats agree alone and differ in a batch") != std::string::npos);
  CHECK(r.out.find("VLLM_BATCH_INVARIANT=1") != std::string::npos);
  CHECK(r.out.find("expect about ") != std::string::npos);
}

TEST_CASE("noise: an unreachable endpoint is one line - exit 3", "[e2e][noise]") {
  const CommandResult r = run_qdrift({"noise", "--endpoint", "http://127.0.0.1:" + std::to_string(closed_port()) + "/v1",
                                      "--model", "m", "--prompts", "2"});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("cannot connect") != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}
