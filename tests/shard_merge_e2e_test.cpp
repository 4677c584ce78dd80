// --shard and `qdrift merge` end to end: the real binary against a real `qdrift
// sim` on loopback. A run split into three shards (one of them by --shard auto
// as a Kubernetes Indexed Job would start it) and merged is the unsharded run,
// item for item; merge refuses what is not one whole run; a shard resumes only
// as itself; a sharded baseline keeps shard 0's tripwire.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "process.h"

using namespace qdrift::testing;
using nlohmann::json;

namespace {

const std::string kTestData = std::string(QDRIFT_SOURCE_DIR) + "/tests/data";

// No cache and no network: gsm8k's rows come from --data-dir.
std::vector<std::string> offline_env(const TempDir& dir) {
  return {"XDG_CACHE_HOME=" + dir.file("cache"),
          "QDRIFT_HF_ROWS_URL=http://127.0.0.1:" + std::to_string(closed_port())};
}

// arith (50 smoke items) and gsm8k (8 test rows), two samples per item: each
// sample's answer depends on its request seed, so equal answers mean equal seeds.
std::vector<std::string> run_args(const SimProcess& sim, const std::string& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"run",        "--bench",   "arith,gsm8k", "--tier",     "smoke",        "--data-dir",
                                kTestData,    "--samples", "2",           "--endpoint", sim.endpoint(), "--model",
                                "qdrift-sim", "--out",     out,           "-q"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

bool one_line(const std::string& text) { return std::count(text.begin(), text.end(), '\n') == 1; }

}  // namespace

TEST_CASE("three shards merged are the unsharded run item for item, and merge refuses what is not one run",
          "[e2e][shard]") {
  TempDir dir;
  const std::vector<std::string> env = offline_env(dir);
  SimProcess sim({"--seed", "1", "--data-dir", kTestData});
  const std::string whole = dir.file("whole.json");
  CommandResult unsharded = run_qdrift(run_args(sim, whole), env);
  INFO(unsharded.err);
  REQUIRE(unsharded.exit_code == 0);

  std::vector<std::string> shards;
  for (int index = 0; index < 3; ++index) {
    shards.push_back(dir.file("shard" + std::to_string(index) + ".json"));
    // Shard 2 as pod 2 of a Kubernetes Indexed Job of 3 completions would run it.
    std::vector<std::string> shard_env = env;
    if (index == 2) shard_env.insert(shard_env.end(), {"JOB_COMPLETION_INDEX=2", "QDRIFT_SHARD_COUNT=3"});
    const std::string flag = index == 2 ? "auto" : std::to_string(index) + "/3";
    CommandResult r = run_qdrift(run_args(sim, shards.back(), {"--shard", flag}), shard_env);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json file = json::parse(read_text(shards.back()));
    CHECK(file["schema"] == 3);
    CHECK(file["config"]["shard"] == json({{"index", index}, {"count", 3}}));
    CHECK(file["benches"]["arith"]["unsharded_items"] == 50);
    CHECK(file["benches"]["arith"]["items"].size() < 50);
  }
  const json shard1 = json::parse(read_text(shards[1]));

  const std::string merged = dir.file("merged.json");
  CommandResult merge = run_qdrift({"merge", shards[2], shards[0], shards[1], "--out", merged});  // any order
  INFO(merge.err);
  REQUIRE(merge.exit_code == 0);
  CHECK(merge.err.find("58 items (arith, gsm8k) from 3 shards") != std::string::npos);

  const json a = json::parse(read_text(whole)), b = json::parse(read_text(merged));
  CHECK(b["schema"] == 2);  // a whole run again
  CHECK_FALSE(b["config"].contains("shard"));
  CHECK(b["config"] == a["config"]);
  CHECK(b["requests"]["answered"] == a["requests"]["answered"]);  // 116 = the shards' sum
  for (const char* name : {"arith", "gsm8k"}) {
    INFO(name);
    const json& x = a["benches"][name];
    const json& y = b["benches"][name];
    REQUIRE(x["items"].size() == y["items"].size());
    for (std::size_t i = 0; i < x["items"].size(); ++i) {
      const json& left = x["items"][i];
      const json& right = y["items"][i];
      REQUIRE(left["id"] == right["id"]);  // the unsharded run's order
      CHECK_FALSE(right.contains("position"));
      REQUIRE(left["samples"].size() == 2);
      for (std::size_t k = 0; k < 2; ++k) {
        CHECK(left["samples"][k]["correct"] == right["samples"][k]["correct"]);
        CHECK(left["samples"][k]["answer"] == right["samples"][k]["answer"]);
      }
    }
    CHECK(x == y);  // and everything else: settings, sha256, summary, every sample field
  }

  // Graded against each other: the same samples, so no flip and a pass.
  CommandResult diff = run_qdrift({"diff", whole, merged, "--format", "json"});
  INFO(diff.err);
  CHECK(diff.exit_code == 0);
  const json verdict = json::parse(diff.out);
  CHECK(verdict["verdict"] == "pass");
  for (const json& bench : verdict["benches"]) CHECK(bench["flip_rate"] == 0);
  // A shard alone against the whole run is not comparable (exit 2) and says to merge.
  CommandResult alone = run_qdrift({"diff", whole, shards[1]});
  CHECK(alone.exit_code == 2);
  CHECK(alone.out.find("shard: baseline \"whole run\", candidate \"1/3\"") != std::string::npos);
  CHECK(alone.out.find("join its shards with `qdrift merge`") != std::string::npos);

  SECTION("merge refuses a missing shard, naming the files given") {
    CommandResult missing = run_qdrift({"merge", shards[0], shards[1], "--out", dir.file("m.json")});
    CHECK(missing.exit_code == 3);
    CHECK(one_line(missing.err));
    CHECK(missing.err.find("shard 2/3 is missing") != std::string::npos);
    CHECK(missing.err.find(shards[1] + " (1/3)") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.file("m.json")));
  }
  SECTION("merge refuses a shard given twice, naming the second copy") {
    const std::string copy = dir.file("copy-of-shard1.json");
    write_text(copy, read_text(shards[1]));
    CommandResult twice = run_qdrift({"merge", shards[0], shards[1], copy, shards[2], "--out", dir.file("m.json")});
    CHECK(twice.exit_code == 3);
    CHECK(one_line(twice.err));
    CHECK(twice.err.find(copy + ": shard 1/3 again (also " + shards[1] + ")") != std::string::npos);
  }
  SECTION("merge refuses a shard of a run with other settings, naming it and the field") {
    const std::string other = dir.file("other.json");
    CommandResult r = run_qdrift(run_args(sim, other, {"--shard", "1/3", "--max-tokens", "300"}), env);
    REQUIRE(r.exit_code == 0);
    CommandResult mixed = run_qdrift({"merge", shards[0], other, shards[2], "--out", dir.file("m.json")});
    CHECK(mixed.exit_code == 3);
    CHECK(one_line(mixed.err));
    CHECK(mixed.err.find(other + ": arith: settings.max_tokens is 300") != std::string::npos);
  }
  SECTION("merge refuses an unsharded file and a checkpoint, and keeps --out without --force") {
    CommandResult whole_in = run_qdrift({"merge", shards[0], whole, "--out", dir.file("m.json")});
    CHECK(whole_in.exit_code == 3);
    CHECK(whole_in.err.find(whole + ": not a shard") != std::string::npos);
    const std::string checkpoint = dir.file("x.json.checkpoint.jsonl");
    write_text(checkpoint, R"({"checkpoint":1,"kind":"run"})"
                           "\n"
                           R"({"bench":"arith"})"
                           "\n");
    CommandResult unfinished = run_qdrift({"merge", shards[0], checkpoint, "--out", dir.file("m.json")});
    CHECK(unfinished.exit_code == 3);
    CHECK(unfinished.err.find(checkpoint + ": the checkpoint of an unfinished run") != std::string::npos);
    const std::string before = read_text(merged);
    CommandResult again = run_qdrift({"merge", shards[0], shards[1], shards[2], "--out", merged});
    CHECK(again.exit_code == 3);
    CHECK(again.err.find("exists; pass --force") != std::string::npos);
    CHECK(read_text(merged) == before);
    CommandResult onto_input = run_qdrift({"merge", shards[0], shards[1], shards[2], "--out", shards[0], "--force"});
    CHECK(onto_input.exit_code == 3);
    CHECK(onto_input.err.find("is one of the shard files") != std::string::npos);
    CHECK(run_qdrift({"merge", shards[0], shards[1], shards[2], "--out", merged, "--force"}).exit_code == 0);
  }
  SECTION("merge joins the shards' transcripts sidecars into the merged file's") {
    // One-shot benches write none; a multi-turn bench's shards each have one.
    const std::string header = R"({"schema":1,"kind":"transcripts"})";
    const auto episode = [](const std::string& id, const std::string& content) {
      return R"({"bench":"arith","id":")" + id + R"(","sample":0,"messages":[{"role":"user","content":")" + content +
             "\"}]}\n";
    };
    write_text(shards[0] + ".transcripts.jsonl", header + "\n" + episode("a", "one"));
    write_text(shards[2] + ".transcripts.jsonl", header + "\n" + episode("b", "two"));
    const std::string out = dir.file("with-transcripts.json");
    CommandResult joined = run_qdrift({"merge", shards[0], shards[1], shards[2], "--out", out});
    INFO(joined.err);
    REQUIRE(joined.exit_code == 0);
    const std::string sidecar = read_text(out + ".transcripts.jsonl");
    CHECK(sidecar.rfind(header + "\n", 0) == 0);
    CHECK(sidecar.find("\"content\":\"one\"") != std::string::npos);
    CHECK(sidecar.find("\"content\":\"two\"") != std::string::npos);
    CHECK(std::count(sidecar.begin(), sidecar.end(), '\n') == 3);
    // A sidecar beside --out is kept without --force, like the run file.
    std::filesystem::remove(out);
    CommandResult kept = run_qdrift({"merge", shards[0], shards[1], shards[2], "--out", out});
    CHECK(kept.exit_code == 3);
    CHECK(kept.err.find(out + ".transcripts.jsonl exists; pass --force") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out));
  }
  SECTION("a bad --shard is one usage line before any request") {
    for (const std::vector<std::string>& flag : {std::vector<std::string>{"--shard", "3/3"},
                                                 {"--shard", "1of3"},
                                                 {"--shard", "auto"},
                                                 {"--shard", "0/3", "--stop-early"}}) {
      const long asked = sim_counter(sim, "requests");
      CommandResult bad = run_qdrift(run_args(sim, dir.file("bad.json"), flag), env);
      INFO(bad.err);
      CHECK(bad.exit_code == 3);
      CHECK(one_line(bad.err));
      CHECK(bad.err.find("--shard") != std::string::npos);
      CHECK(sim_counter(sim, "requests") == asked);
    }
  }
  SECTION("a shard stopped by a failing server resumes only as the same shard, to the same file") {
    const std::string out = dir.file("resumed.json");
    {
      SimProcess flaky({"--seed", "1", "--data-dir", kTestData, "--fail-rate", "0.5"});
      CommandResult failed = run_qdrift(run_args(flaky, out, {"--shard", "1/3", "--retries", "1", "-c", "1"}), env);
      REQUIRE(failed.exit_code == 3);
    }
    REQUIRE(std::filesystem::exists(out + ".checkpoint.jsonl"));
    CommandResult other = run_qdrift(run_args(sim, out, {"--shard", "2/3", "--resume"}), env);
    CHECK(other.exit_code == 3);
    CHECK(other.err.find("differ from the checkpoint: shard") != std::string::npos);
    CommandResult unsharded_resume = run_qdrift(run_args(sim, out, {"--resume"}), env);
    CHECK(unsharded_resume.exit_code == 3);
    CHECK(unsharded_resume.err.find("differ from the checkpoint: shard") != std::string::npos);
    CommandResult resumed = run_qdrift(run_args(sim, out, {"--shard", "1/3", "--resume"}), env);
    INFO(resumed.err);
    REQUIRE(resumed.exit_code == 0);
    CHECK(json::parse(read_text(out))["benches"] == shard1["benches"]);
  }
}

TEST_CASE("a sharded baseline keeps shard 0's tripwire, and grades a candidate like an unsharded one",
          "[e2e][shard][tripwire]") {
  TempDir dir;
  SimProcess fp16({"--seed", "1"});
  std::vector<std::string> shards;
  for (int index = 0; index < 2; ++index) {
    shards.push_back(dir.file("base" + std::to_string(index) + ".json"));
    // Slurm numbers this array 1-2: task 2 is shard 1.
    CommandResult r =
        run_qdrift({"collect-baseline", "--bench", "arith", "--tier", "smoke", "--endpoint", fp16.endpoint(), "--model",
                    "qdrift-sim", "--out", shards.back(), "-q", "--shard", "auto"},
                   {"SLURM_ARRAY_TASK_ID=" + std::to_string(index + 1), "SLURM_ARRAY_TASK_MIN=1",
                    "SLURM_ARRAY_TASK_MAX=2", "SLURM_ARRAY_TASK_COUNT=2"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  CHECK(json::parse(read_text(shards[0]))["tripwire"]["status"] == "reference");
  CHECK(json::parse(read_text(shards[1]))["tripwire"]["status"] == "absent");  // only shard 0 runs it
  const std::string baseline = dir.file("baseline.json");
  REQUIRE(run_qdrift({"merge", shards[1], shards[0], "--out", baseline}).exit_code == 0);
  const json merged = json::parse(read_text(baseline));
  CHECK(merged["kind"] == "baseline");
  CHECK(merged["tripwire"]["status"] == "reference");
  CHECK(merged["benches"]["arith"]["items"].size() == 50);

  SimProcess again({"--seed", "2"});
  CommandResult graded =
      run_qdrift({"run", "--bench", "arith", "--tier", "smoke", "--endpoint", again.endpoint(), "--model", "qdrift-sim",
                  "--baseline", baseline, "--out", dir.file("run.json"), "-q", "--format", "json"});
  INFO(graded.err);
  CHECK(graded.exit_code == 0);
  CHECK(json::parse(graded.out)["tripwire"]["status"] == "ok");

  // A shard run with --baseline probes the tripwire (shard 0) but is graded only once merged: exit 0.
  CommandResult shard_run =
      run_qdrift({"run", "--bench", "arith", "--tier", "smoke", "--endpoint", again.endpoint(), "--model", "qdrift-sim",
                  "--baseline", baseline, "--out", dir.file("run0.json"), "-q", "--shard", "0/2"});
  INFO(shard_run.err);
  CHECK(shard_run.exit_code == 0);
  CHECK(shard_run.err.find("not graded alone; join all shards with `qdrift merge`") != std::string::npos);
  CHECK(json::parse(read_text(dir.file("run0.json")))["tripwire"]["status"] == "ok");
}
