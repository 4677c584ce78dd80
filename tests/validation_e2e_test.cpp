// End to end: unusable chat bodies of every kind, injected by a real `qdrift sim`,
// go through the real pool, parser and runner. Each sample is either recovered by
// asking again (and then equals the clean run's) or fails with its reason; the run
// never crashes and loses no item.
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include "process.h"

using namespace qdrift::testing;
using nlohmann::json;

namespace {

constexpr int kItems = 24;

CommandResult run_limited(const SimProcess& sim, const std::string& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"run",  "--bench", "arith", "--endpoint", sim.endpoint(), "--model", "qdrift-sim",
                                "--out", out,      "--limit", std::to_string(kItems), "-c", "8"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_qdrift(args);
}

std::string reason_kind(const std::string& error) { return error.substr(0, error.find(" (")); }

}  // namespace

TEST_CASE("each unusable body kind is asked again or fails its sample with its reason", "[e2e][validation]") {
  // The sim's garbage kind and the reason qdrift records for it.
  const std::map<std::string, std::string> reasons = {
      {"html", "response is not JSON"},
      {"cut", "response is not JSON"},
      {"no-choices", "response has no choices"},
      {"null-content", "choices[0].message.content is null or empty"},
      {"empty-content", "choices[0].message.content is null or empty"},
      {"number-content", "choices[0].message.content is a number, not a string"},
      {"object-choices", "response's choices is an object, not an array"},
      {"bad-utf8", "response is not valid UTF-8"},
      {"oversize", "response body larger than 4194304 bytes"},  // arith's 512 tokens: the 4 MiB floor
  };
  TempDir dir;
  SimProcess clean({"--seed", "6"});
  REQUIRE(run_limited(clean, dir.file("clean.json"), {"-q"}).exit_code == 0);
  const json reference = json::parse(read_text(dir.file("clean.json")))["benches"]["arith"]["items"];
  REQUIRE(reference.size() == kItems);

  for (const auto& [kind, reason] : reasons) {
    DYNAMIC_SECTION(kind) {
      // 80% of answers unusable: 0.8^5 = 33% of samples fail after four more tries, the rest recover.
      SimProcess faulty({"--seed", "6", "--garbage-rate", "0.8", "--garbage-kinds", kind});
      const std::string out = dir.file(kind + ".json");
      CommandResult r = run_limited(faulty, out);
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
      CHECK(r.err.find("terminate") == std::string::npos);
      const json run = json::parse(read_text(out));
      const json& items = run["benches"]["arith"]["items"];
      REQUIRE(items.size() == kItems);  // nothing lost
      int failed = 0, recovered = 0;
      for (std::size_t i = 0; i < items.size(); ++i) {
        const json& sample = items[i]["samples"][0];
        if (sample.contains("error")) {
          ++failed;
          CHECK(reason_kind(sample["error"]) == reason);
          CHECK(sample["correct"] == false);
        } else {
          ++recovered;
          CHECK(items[i] == reference[i]);  // the answer the clean server gave
        }
      }
      CHECK(failed > 0);
      CHECK(recovered > 0);
      CHECK(run["benches"]["arith"]["summary"]["failed_samples"] == failed);
      // Every unusable body is counted by its reason, those asked again and those that failed.
      const json& requests = run["requests"];
      CHECK(requests["unusable_reasons"].size() == 1);
      CHECK(requests["unusable_reasons"][reason].get<int>() == requests["unusable_bodies"].get<int>() + failed);
      // The summary says how many failed and why.
      CHECK(r.out.find("arith: failed samples: " + std::to_string(failed) + " × " + reason) != std::string::npos);
      CHECK(r.out.find("unusable bodies: ") != std::string::npos);
    }
  }
}

TEST_CASE("failed samples over --max-failed make a run NOT COMPARABLE and the report names their reason", "[e2e][validation]") {
  TempDir dir;
  SimProcess fp16({"--seed", "1"});
  const std::string baseline = dir.file("baseline.json");
  CommandResult collected = run_qdrift({"collect-baseline", "--bench", "arith", "--endpoint", fp16.endpoint(), "--model",
                                        "qdrift-sim", "--out", baseline, "--limit", std::to_string(kItems), "-q",
                                        "--no-tripwire"});
  REQUIRE(collected.exit_code == 0);
  SimProcess faulty({"--seed", "6", "--garbage-rate", "0.8", "--garbage-kinds", "bad-utf8"});
  CommandResult r = run_limited(faulty, dir.file("run.json"), {"--baseline", baseline, "-q", "--no-tripwire"});
  INFO(r.out + r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("failed_samples") != std::string::npos);
  CHECK(r.out.find("arith: candidate samples failed: ") != std::string::npos);
  CHECK(r.out.find(" × response is not valid UTF-8") != std::string::npos);
  // The same files graded offline say the same.
  CommandResult diff = run_qdrift({"diff", baseline, dir.file("run.json"), "--format", "json"});
  CHECK(diff.exit_code == 2);
  const json report = json::parse(diff.out);
  CHECK(report["verdict"] == "not_comparable");
  CHECK(report["notes"][0].get<std::string>().find("response is not valid UTF-8") != std::string::npos);
}
