// Signals during the tripwire stage, end to end: the first SIGINT/SIGTERM stops new
// requests, lets those in flight finish (bounded), keeps the bench checkpoint and
// exits 3 with the resume command; a resumed run redoes the tripwire from its start
// and ends with the file an uninterrupted run writes. A second signal exits at once.
// Each signal is timed by what the sim has seen (its logprob request counter).
#include <signal.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "process.h"

using namespace qdrift::testing;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<std::string> command(const std::string& verb, const SimProcess& sim, const std::string& out,
                                 std::vector<std::string> extra = {}) {
  std::vector<std::string> args{verb,      "--bench",    "arith", "--tier", "smoke", "--endpoint", sim.endpoint(),
                                "--model", "qdrift-sim", "--out", out,      "-c",    "4",          "-q"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// A smoke-tier arith baseline (with its tripwire reference) from a fresh fp16 sim.
std::string fp16_baseline(const TempDir& dir) {
  const std::string baseline = dir.file("base.json");
  SimProcess fp16({"--seed", "1"});
  REQUIRE(run_qdrift(command("collect-baseline", fp16, baseline)).exit_code == 0);
  return baseline;
}

// What a resumed and an uninterrupted run must share (timing and request counts aside).
void check_same_file(const std::string& a_path, const std::string& b_path) {
  const json a = json::parse(read_text(a_path)), b = json::parse(read_text(b_path));
  CHECK(a["kind"] == b["kind"]);
  CHECK(a["config"] == b["config"]);
  CHECK(a["benches"] == b["benches"]);
  CHECK(a["tripwire"] == b["tripwire"]);
}

// Sends `signal` once the sim has answered `after` logprob requests.
std::function<void(int)> signal_in_tripwire(const SimProcess& sim, int signal, long after) {
  return [&sim, signal, after](int pid) {
    REQUIRE(wait_for_sim_counter(sim, "logprob_requests", after));
    kill(pid, signal);
  };
}

}  // namespace

TEST_CASE("SIGINT in a baseline's tripwire stage keeps every sample and the resume redoes only the tripwire",
          "[e2e][interrupt][tripwire]") {
  TempDir dir;
  const std::string out = dir.file("base.json"), checkpoint = out + ".checkpoint.jsonl";
  {
    SimProcess slow({"--seed", "6", "--latency", "100"});
    CommandResult stopped =
        run_qdrift(command("collect-baseline", slow, out), {}, "", signal_in_tripwire(slow, SIGINT, 5));
    INFO(stopped.err);
    CHECK(stopped.exit_code == 3);
    CHECK(stopped.err.find("stopped by a signal during the tripwire stage: 50 of 50 samples kept in " + checkpoint) !=
          std::string::npos);
    CHECK(stopped.err.find("run the same command with --resume to continue (the tripwire stage starts again") !=
          std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out));
    CHECK(checkpoint_samples(checkpoint) == 50);
    CHECK(sim_counter(slow, "requests") == 50);
    // No new logprob requests after the signal: the two passes (100+ requests) were cut short.
    CHECK(sim_counter(slow, "logprob_requests") <= 5 + 4);
  }
  SimProcess fast({"--seed", "6"});
  CommandResult resumed = run_qdrift(command("collect-baseline", fast, out, {"--resume"}));
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK(sim_counter(fast, "requests") == 0);               // no chat request asked again
  CHECK(sim_counter(fast, "logprob_requests") >= 2 * 50);  // both passes from their first text
  CHECK_FALSE(std::filesystem::exists(checkpoint));
  CommandResult fresh = run_qdrift(command("collect-baseline", fast, dir.file("fresh.json")));
  REQUIRE(fresh.exit_code == 0);
  check_same_file(out, dir.file("fresh.json"));
}

TEST_CASE("SIGTERM in a run's tripwire probe exits 3 before any bench request and resumes to the same file",
          "[e2e][interrupt][tripwire]") {
  TempDir dir;
  const std::string baseline = fp16_baseline(dir);
  const std::string out = dir.file("r.json"), checkpoint = out + ".checkpoint.jsonl";
  {
    SimProcess slow({"--seed", "6", "--latency", "100"});
    CommandResult stopped =
        run_qdrift(command("run", slow, out, {"--baseline", baseline}), {}, "", signal_in_tripwire(slow, SIGTERM, 3));
    INFO(stopped.err);
    CHECK(stopped.exit_code == 3);
    CHECK(stopped.err.find("qdrift: terminated: no new requests") != std::string::npos);
    CHECK(stopped.err.find("during the tripwire stage: 0 of 50 samples kept") != std::string::npos);
    CHECK(stopped.err.find("--resume") != std::string::npos);
    CHECK(sim_counter(slow, "requests") == 0);  // the benches never started
    CHECK(checkpoint_samples(checkpoint) == 0);
  }
  SimProcess fast({"--seed", "6"});
  CommandResult resumed = run_qdrift(command("run", fast, out, {"--baseline", baseline, "--resume"}));
  INFO(resumed.err);
  REQUIRE(resumed.exit_code <= 1);
  CommandResult fresh = run_qdrift(command("run", fast, dir.file("fresh.json"), {"--baseline", baseline}));
  REQUIRE(fresh.exit_code == resumed.exit_code);
  check_same_file(out, dir.file("fresh.json"));
}

TEST_CASE("qdrift tripwire stops on a signal - in-flight requests finish - a second signal exits at once",
          "[e2e][interrupt][tripwire]") {
  TempDir dir;
  const std::string baseline = fp16_baseline(dir);
  const std::vector<std::string> args = {"tripwire", "--baseline", baseline, "--model", "qdrift-sim", "-c", "4"};
  SECTION("one signal: the requests in flight are answered then exit 3") {
    SimProcess slow({"--seed", "6", "--latency", "300"});
    std::vector<std::string> with_endpoint = args;
    with_endpoint.insert(with_endpoint.end(), {"--endpoint", slow.endpoint()});
    long at_signal = 0;
    CommandResult stopped = run_qdrift(with_endpoint, {}, "", [&](int pid) {
      REQUIRE(wait_for_sim_counter(slow, "logprob_requests", 6));
      at_signal = sim_counter(slow, "logprob_requests");
      kill(pid, SIGINT);
    });
    INFO(stopped.err);
    CHECK(stopped.exit_code == 3);
    CHECK(stopped.err.find("stopped by a signal during the tripwire probe") != std::string::npos);
    CHECK(stopped.out.empty());  // no verdict from half a pass
    CHECK(sim_counter(slow, "logprob_requests") <= at_signal + 4);
    CHECK(sim_counter(slow, "logprob_requests") < 50);
  }
  SECTION("a second signal abandons requests held for 6 s") {
    SimProcess stuck({"--seed", "6", "--latency", "6000"});
    std::vector<std::string> with_endpoint = args;
    with_endpoint.insert(with_endpoint.end(), {"--endpoint", stuck.endpoint()});
    Clock::time_point first_signal;
    CommandResult stopped = run_qdrift(with_endpoint, {}, "", [&](int pid) {
      REQUIRE(wait_for_sim_counter(stuck, "logprob_requests", 1));
      first_signal = Clock::now();
      kill(pid, SIGTERM);
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      kill(pid, SIGTERM);
    });
    const double seconds = std::chrono::duration<double>(Clock::now() - first_signal).count();
    INFO(stopped.err);
    CHECK(stopped.exit_code == 3);
    CHECK(seconds < 3);  // not the 6 s the server holds each request, nor the 10 s grace
    CHECK(stopped.err.find("stopped by a signal during the tripwire probe") != std::string::npos);
  }
}
