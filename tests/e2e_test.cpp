// End to end: the real qdrift binary against real `qdrift sim` processes on
// loopback, checking exit codes, files and output as a CI script would.
#include <catch2/catch.hpp>
#include <sstream>
#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>
#include <chrono>
#include <csignal>
#include <random>
#include <thread>
#include <nlohmann/json.hpp>

#include "process.h"
#include "qdrift/http_pool.h"

using namespace qdrift::testing;
using nlohmann::json;

namespace {

// Collects an fp16 baseline (sim seed 1) into dir/baseline.json.
std::string collect_baseline(const TempDir& dir, std::vector<std::string> extra = {}) {
  SimProcess fp16({"--seed", "1"});
  const std::string path = dir.file("baseline.json");
  std::vector<std::string> args{"collect-baseline", "--bench", "arith", "--endpoint", fp16.endpoint(), "--model", "qdrift-sim",
                                "--out", path, "-q"};
  args.insert(args.end(), extra.begin(), extra.end());
  CommandResult r = run_qdrift(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return path;
}

CommandResult run_against(const SimProcess& sim, const std::string& baseline, const std::string& out,
                          std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"run", "--bench", "arith", "--endpoint", sim.endpoint(), "--model", "qdrift-sim", "--baseline", baseline,
                                "--out", out, "-q"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_qdrift(args);
}

}  // namespace

TEST_CASE("sim prints exactly its listening line and serves vLLM shapes", "[e2e]") {
  SimProcess sim({"--seed", "3"});
  CHECK(sim.first_line() == "listening on http://127.0.0.1:" + std::to_string(sim.port()));
  CHECK(sim.port() > 0);
}

TEST_CASE("fp16 rerun passes - broken is degraded - run and diff agree", "[e2e]") {
  TempDir dir;
  const std::string baseline = collect_baseline(dir);
  json stored = json::parse(read_text(baseline));
  CHECK(stored["schema"] == 2);
  CHECK(stored["kind"] == "baseline");
  CHECK(stored["benches"]["arith"]["items"].size() == 400);
  CHECK_FALSE(std::filesystem::exists(baseline + ".checkpoint.jsonl"));  // removed once final

  SimProcess fp16_again({"--seed", "2"});
  CommandResult pass = run_against(fp16_again, baseline, dir.file("fp16.json"));
  INFO(pass.out << pass.err);
  CHECK(pass.exit_code == 0);
  CHECK(pass.out.find("PASS") != std::string::npos);

  SimProcess broken({"--variant", "broken", "--seed", "4"});
  CommandResult degraded = run_against(broken, baseline, dir.file("broken.json"));
  INFO(degraded.out << degraded.err);
  CHECK(degraded.exit_code == 1);
  CHECK(degraded.out.find("DEGRADED") != std::string::npos);

  // Without -q and without a terminal (a CI log): one progress line per tenth of the
  // bench, with the running losses and wins, and none with -q (above).
  CHECK(pass.err.find(" items (") == std::string::npos);
  const CommandResult logged = run_qdrift({"run", "--bench", "arith", "--endpoint", broken.endpoint(), "--model",
                                           "qdrift-sim", "--baseline", baseline, "--out", dir.file("logged.json")});
  INFO(logged.err);
  std::vector<std::string> progress;
  std::istringstream lines(logged.err);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("arith ", 0) == 0) progress.push_back(line);
  REQUIRE(progress.size() == 10);
  CHECK(progress.front().rfind("arith 40/400 items (10%) · ", 0) == 0);
  CHECK(progress.back().rfind("arith 400/400 items (100%) · ", 0) == 0);
  CHECK(progress.back().find(" vs baseline · ") != std::string::npos);
  CHECK(progress.back().find(" req/s") != std::string::npos);
  const json graded = json::parse(run_qdrift({"diff", baseline, dir.file("logged.json"), "--format", "json"}).out);
  const json& arith = graded["benches"][0];
  CHECK(progress.back().find(fmt::format("{} losses, {} win", arith["losses"].get<int>(), arith["wins"].get<int>())) !=
        std::string::npos);

  // diff re-grades the stored files offline with the same verdicts.
  CHECK(run_qdrift({"diff", baseline, dir.file("fp16.json")}).exit_code == 0);
  CHECK(run_qdrift({"diff", baseline, dir.file("broken.json")}).exit_code == 1);
}

TEST_CASE("collect-baseline writes under baselines/ by default and run --format json equals diff", "[e2e]") {
  TempDir dir;
  SimProcess fp16({"--seed", "1"});
  CommandResult collect = run_qdrift(
      {"collect-baseline", "--bench", "arith", "--endpoint", fp16.endpoint(), "--model", "qdrift-sim", "--tier", "smoke", "-q"}, {},
      dir.path());
  INFO(collect.err);
  REQUIRE(collect.exit_code == 0);
  const std::string baseline = dir.file("baselines/qdrift-sim/smoke-s0.json");
  REQUIRE(std::filesystem::exists(baseline));
  CHECK(collect.err.find("wrote baselines/qdrift-sim/smoke-s0.json") != std::string::npos);
  // A second collection refuses to replace the committed file.
  CommandResult again = run_qdrift(
      {"collect-baseline", "--bench", "arith", "--endpoint", fp16.endpoint(), "--model", "qdrift-sim", "--tier", "smoke", "-q"}, {},
      dir.path());
  CHECK(again.exit_code == 3);

  SimProcess candidate({"--seed", "2"});
  CommandResult run = run_qdrift({"run", "--bench", "arith", "--endpoint", candidate.endpoint(), "--model", "qdrift-sim", "--tier",
                                  "smoke", "--baseline", baseline, "--out", dir.file("c.json"), "--format", "json"});
  CommandResult diff = run_qdrift({"diff", baseline, dir.file("c.json"), "--format", "json"});
  CHECK(run.exit_code == diff.exit_code);
  CHECK(json::parse(run.out) == json::parse(diff.out));
}

TEST_CASE("a rerun against the same sim reproduces the run exactly", "[e2e]") {
  TempDir dir;
  SimProcess sim({"--seed", "9"});
  auto run_once = [&](const std::string& name) {
    CommandResult r = run_qdrift({"run", "--bench", "arith", "--endpoint", sim.endpoint(), "--model", "qdrift-sim", "--tier", "smoke",
                                  "--out", dir.file(name), "-q"});
    REQUIRE(r.exit_code == 0);
    json j = json::parse(read_text(dir.file(name)));
    return j["benches"]["arith"]["items"].dump();
  };
  CHECK(run_once("a.json") == run_once("b.json"));
}

TEST_CASE("settings that differ are NOT COMPARABLE - exit 2 - naming the fields", "[e2e]") {
  TempDir dir;
  const std::string baseline = collect_baseline(dir);
  SimProcess fp16({"--seed", "2"});

  CommandResult other_seed = run_against(fp16, baseline, dir.file("seed.json"), {"--seed", "5"});
  INFO(other_seed.out << other_seed.err);
  CHECK(other_seed.exit_code == 2);
  CHECK(other_seed.out.find("NOT COMPARABLE") != std::string::npos);
  CHECK(other_seed.out.find("seed: baseline 0, candidate 5") != std::string::npos);

  CommandResult think = run_against(fp16, baseline, dir.file("think.json"), {"--think"});
  INFO(think.out << think.err);
  CHECK(think.exit_code == 2);
  CHECK(think.out.find("arith.think: baseline false, candidate true") != std::string::npos);

  CommandResult json_report = run_qdrift({"diff", baseline, dir.file("think.json"), "--format", "json"});
  CHECK(json_report.exit_code == 2);
  json report = json::parse(json_report.out);
  CHECK(report["verdict"] == "not_comparable");
  CHECK(report["comparable"] == false);
  std::set<std::string> fields;
  for (const json& m : report["mismatches"]) fields.insert(m["field"].get<std::string>());
  // --think also switches the sampling preset, so those fields differ too.
  CHECK(fields == std::set<std::string>{"think", "temperature", "top_p", "presence_penalty"});
  CHECK(report["benches"][0]["delta"].is_null());
}

TEST_CASE("diff --format json has exactly the DESIGN section 8 fields", "[e2e]") {
  TempDir dir;
  const std::string baseline = collect_baseline(dir, {"--tier", "smoke"});
  SimProcess int4({"--variant", "int4", "--seed", "3"});
  CommandResult r = run_qdrift({"run", "--bench", "arith", "--endpoint", int4.endpoint(), "--model", "qdrift-sim", "--tier", "smoke",
                                "--out", dir.file("int4.json"), "-q"});
  REQUIRE(r.exit_code == 0);
  CommandResult diff = run_qdrift({"diff", baseline, dir.file("int4.json"), "--format", "json", "--alpha", "0.1"});
  json report = json::parse(diff.out);
  for (const char* key : {"verdict", "comparable", "mismatches", "alpha", "benches", "tripwire"})
    CHECK(report.contains(key));
  CHECK(report["alpha"] == 0.1);
  CHECK(report["mismatches"].empty());
  REQUIRE(report["benches"].size() == 1);
  const json& bench = report["benches"][0];
  for (const char* key : {"bench", "n", "baseline_acc", "candidate_acc", "delta", "ci95", "losses", "wins",
                          "flip_rate", "p_value", "p_adjusted", "degraded", "trunc_baseline", "trunc_candidate",
                          "trunc_degraded"})
    CHECK(bench.contains(key));
  CHECK(bench["bench"] == "arith");
  CHECK(bench["n"] == 50);
  CHECK(bench["ci95"].size() == 2);
  CHECK(bench["ci95"][0].get<double>() <= bench["delta"].get<double>());
  CHECK(bench["delta"].get<double>() <= bench["ci95"][1].get<double>());
  const int losses = bench["losses"], wins = bench["wins"];
  CHECK(bench["flip_rate"].get<double>() == Approx((losses + wins) / 50.0));
  CHECK(bench["delta"].get<double>() == Approx((wins - losses) / 50.0));
  for (const char* key : {"status", "top1_agreement", "mean_kld", "floor_top1_agreement", "floor_mean_kld"})
    CHECK(report["tripwire"].contains(key));
  CHECK(report["tripwire"]["status"] == "absent");
  CHECK(diff.exit_code == (report["verdict"] == "degraded" ? 1 : 0));
}

TEST_CASE("bad input: one line naming the cause - exit 3 - nothing overwritten", "[e2e]") {
  TempDir dir;
  const std::string out = dir.file("out.json");
  write_text(out, "precious");

  SECTION("endpoint down") {
    const std::string down = "http://127.0.0.1:" + std::to_string(closed_port()) + "/v1";
    CommandResult r = run_qdrift({"run", "--bench", "arith", "--endpoint", down, "--model", "m", "--out", dir.file("new.json"), "-q"});
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("cannot reach " + down) != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  SECTION("wrong model name") {
    SimProcess sim({});
    CommandResult r = run_qdrift({"run", "--bench", "arith", "--endpoint", sim.endpoint(), "--model", "nope", "--out", dir.file("new.json"), "-q"});
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("model 'nope' is not served") != std::string::npos);
    CHECK(r.err.find("qdrift-sim") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  SECTION("HTTP 401") {
    SimProcess sim({"--api-key", "right-key"});
    CommandResult r = run_qdrift(
        {"run", "--bench", "arith", "--endpoint", sim.endpoint(), "--model", "qdrift-sim", "--api-key", "wrong-key", "--out", dir.file("new.json"), "-q"});
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("HTTP 401: Unauthorized") != std::string::npos);
    CHECK(r.err.find("wrong-key") == std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  SECTION("existing output is not replaced without --force") {
    SimProcess sim({});
    CommandResult r = run_qdrift({"run", "--bench", "arith", "--endpoint", sim.endpoint(), "--model", "qdrift-sim", "--out", out, "-q"});
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("exists; pass --force") != std::string::npos);
  }
  SECTION("truncated run file") {
    const std::string baseline = collect_baseline(dir, {"--tier", "smoke"});
    std::string text = read_text(baseline);
    write_text(dir.file("cut.json"), text.substr(0, text.size() / 2));
    CommandResult r = run_qdrift({"diff", baseline, dir.file("cut.json")});
    CHECK(r.exit_code == 3);
    CHECK(r.err.find(dir.file("cut.json") + ": truncated JSON") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  SECTION("non-JSON run file") {
    write_text(dir.file("junk.json"), "hello\nworld\n");
    CommandResult r = run_qdrift({"diff", dir.file("junk.json"), dir.file("junk.json")});
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("junk.json: not valid JSON at line 1") != std::string::npos);
  }
  SECTION("missing run file") {
    CommandResult r = run_qdrift({"diff", dir.file("absent.json"), dir.file("absent.json")});
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("absent.json: cannot open") != std::string::npos);
  }
  SECTION("usage error") {
    CommandResult r = run_qdrift({"diff", "--format", "yaml", "a", "b"});
    CHECK(r.exit_code == 3);
  }
  CHECK(read_text(out) == "precious");
}

TEST_CASE("a run stopped by a failing server resumes to the same file as an uninterrupted run", "[e2e]") {
  TempDir dir;
  const std::string out = dir.file("r.json");
  {
    // Same --seed as the healthy server, so every answer it gives is the one the healthy one gives.
    SimProcess flaky({"--seed", "6", "--fail-rate", "0.2"});
    CommandResult failed = run_qdrift({"run", "--bench", "arith", "--endpoint", flaky.endpoint(), "--model", "qdrift-sim", "--out", out,
                                       "--retries", "1", "-c", "4", "-q"});
    REQUIRE(failed.exit_code == 3);
    CHECK(failed.err.find("HTTP 500") != std::string::npos);
  }
  const std::string checkpoint = out + ".checkpoint.jsonl";
  REQUIRE(std::filesystem::exists(checkpoint));
  CHECK_FALSE(std::filesystem::exists(out));
  const std::string saved_text = read_text(checkpoint);
  const long saved = std::count(saved_text.begin(), saved_text.end(), '\n') - 1;  // minus the header
  CHECK(saved > 0);
  CHECK(saved < 400);
  SimProcess healthy({"--seed", "6"});
  // Without --resume the checkpoint is protected.
  CommandResult refused = run_qdrift({"run", "--bench", "arith", "--endpoint", healthy.endpoint(), "--model", "qdrift-sim", "--out", out, "-q"});
  CHECK(refused.exit_code == 3);
  CHECK(refused.err.find("--resume") != std::string::npos);
  // A resume with other settings is refused, naming them.
  CommandResult other = run_qdrift(
      {"run", "--bench", "arith", "--endpoint", healthy.endpoint(), "--model", "qdrift-sim", "--out", out, "--resume", "--seed", "2", "-q"});
  CHECK(other.exit_code == 3);
  CHECK(other.err.find("differ from the checkpoint: seed") != std::string::npos);

  CommandResult resumed = run_qdrift({"run", "--bench", "arith", "--endpoint", healthy.endpoint(), "--model", "qdrift-sim", "--out", out,
                                      "--resume", "-q"});
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(checkpoint));
  // Nothing already checkpointed was asked again.
  qdrift::HttpResponse stats =
      qdrift::http_fetch({"GET", "http://127.0.0.1:" + std::to_string(healthy.port()) + "/sim/stats", "", {}, 0}, {});
  CHECK(json::parse(stats.body)["requests"].get<long>() == 400 - saved);
  CommandResult fresh = run_qdrift({"run", "--bench", "arith", "--endpoint", healthy.endpoint(), "--model", "qdrift-sim", "--out",
                                    dir.file("fresh.json"), "-q"});
  REQUIRE(fresh.exit_code == 0);
  json a = json::parse(read_text(out)), b = json::parse(read_text(dir.file("fresh.json")));
  CHECK(a["benches"] == b["benches"]);
}

TEST_CASE("a resumed baseline chooses the same tripwire corpus as an uninterrupted one", "[e2e][tripwire]") {
  TempDir dir;
  const std::string out = dir.file("base.json");
  {
    SimProcess flaky({"--seed", "6", "--fail-rate", "0.2"});
    CommandResult failed = run_qdrift({"collect-baseline", "--bench", "arith", "--endpoint", flaky.endpoint(), "--model", "qdrift-sim",
                                       "--out", out, "--retries", "1", "-c", "4", "-q"});
    REQUIRE(failed.exit_code == 3);
  }
  CHECK(read_text(out + ".checkpoint.jsonl").find("\"corpus_text\"") != std::string::npos);
  SimProcess healthy({"--seed", "6"});
  CommandResult resumed = run_qdrift({"collect-baseline", "--bench", "arith", "--endpoint", healthy.endpoint(), "--model", "qdrift-sim",
                                      "--out", out, "--resume", "-q"});
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CommandResult fresh = run_qdrift({"collect-baseline", "--bench", "arith", "--endpoint", healthy.endpoint(), "--model", "qdrift-sim",
                                    "--out", dir.file("fresh.json"), "-q"});
  REQUIRE(fresh.exit_code == 0);
  json a = json::parse(read_text(out)), b = json::parse(read_text(dir.file("fresh.json")));
  CHECK(a["tripwire"]["corpus"].size() == 64);
  CHECK(a["tripwire"]["corpus"] == b["tripwire"]["corpus"]);
}

TEST_CASE("stop-early ends a broken bench after a few items and passes a healthy one", "[e2e]") {
  TempDir dir;
  const std::string baseline = collect_baseline(dir);
  SimProcess broken({"--variant", "broken", "--seed", "4"});
  CommandResult stopped = run_against(broken, baseline, dir.file("broken.json"), {"--stop-early", "-c", "4"});
  INFO(stopped.out << stopped.err);
  CHECK(stopped.exit_code == 1);
  CHECK(stopped.out.find("stopped early after") != std::string::npos);
  json run = json::parse(read_text(dir.file("broken.json")));
  CHECK(run["config"]["stop_early"] == true);
  const json& early = run["benches"]["arith"]["stopped_early"];
  REQUIRE(early.is_object());
  CHECK(early["requests_saved"].get<int>() > 300);
  CHECK(early["e_value"].get<double>() >= early["threshold"].get<double>());
  CHECK(run["benches"]["arith"]["items"].size() == early["items_graded"].get<std::size_t>());
  // diff re-grades the stopped file offline with the same verdict.
  CHECK(run_qdrift({"diff", baseline, dir.file("broken.json")}).exit_code == 1);

  SimProcess healthy({"--seed", "2"});
  CommandResult full = run_against(healthy, baseline, dir.file("healthy.json"), {"--stop-early"});
  CHECK(full.exit_code == 0);
  json healthy_run = json::parse(read_text(dir.file("healthy.json")));
  CHECK(healthy_run["benches"]["arith"]["items"].size() == 400);
  CHECK_FALSE(healthy_run["benches"]["arith"].contains("stopped_early"));
  // --stop-early without a baseline is a usage error.
  CHECK(run_qdrift({"run", "--bench", "arith", "--endpoint", healthy.endpoint(), "--model", "qdrift-sim", "--stop-early", "--out",
                    dir.file("x.json")}).exit_code == 3);
}

TEST_CASE("tripwire: the baseline stores a reference and floor and runs lead with it", "[e2e][tripwire]") {
  TempDir dir;
  const std::string baseline = collect_baseline(dir);
  json stored = json::parse(read_text(baseline));
  CHECK(stored["tripwire"]["status"] == "reference");
  CHECK(stored["tripwire"]["corpus"].size() == 64);
  CHECK(stored["tripwire"]["scores"].size() == 64);
  CHECK(stored["tripwire"]["top1_agreement"].get<double>() > 0.97);  // the noise floor: two passes of one serve

  SimProcess fp16({"--seed", "2"});
  CommandResult pass = run_against(fp16, baseline, dir.file("fp16.json"), {"--format", "json"});
  INFO(pass.out << pass.err);
  CHECK(pass.exit_code == 0);
  json report = json::parse(pass.out);
  CHECK(report["tripwire"]["status"] == "ok");
  CHECK(report["tripwire"]["top1_agreement"].get<double>() > 0.97);
  CHECK(report["tripwire"]["floor_mean_kld"].get<double>() > 0.0);
  // Every figure of the tripwire reaches the JSON report and the run file.
  CHECK(report["tripwire"]["metric"] == "kl");
  CHECK(report["tripwire"]["ppl_ratio"].get<double>() > 0.9);
  CHECK(report["tripwire"]["delta_p_rms"].get<double>() > 0.0);
  CHECK(report["tripwire"]["positions"].get<int>() > 1000);
  CHECK(json::parse(read_text(dir.file("fp16.json")))["tripwire"]["summary"]["p99_kld"].get<double>() > 0.0);

  SimProcess broken({"--variant", "broken", "--seed", "4"});
  CommandResult stopped = run_against(broken, baseline, dir.file("broken.json"), {"--fail-fast"});
  CHECK(stopped.exit_code == 1);
  CHECK(stopped.out.find("tripwire: TRIPPED") != std::string::npos);
  json run = json::parse(read_text(dir.file("broken.json")));
  CHECK(run["tripwire"]["status"] == "tripped");
  CHECK(run["benches"].empty());  // --fail-fast skipped them

  CommandResult alone = run_qdrift({"tripwire", "--baseline", baseline, "--endpoint", broken.endpoint(), "--model",
                                    "qdrift-sim", "--format", "json"});
  CHECK(alone.exit_code == 1);
  CHECK(json::parse(alone.out)["tripwire"]["status"] == "tripped");
  CommandResult fine = run_qdrift({"tripwire", "--baseline", baseline, "--endpoint", fp16.endpoint(), "--model", "qdrift-sim"});
  CHECK(fine.exit_code == 0);
  CHECK(fine.out.rfind("tripwire: ok", 0) == 0);
  CHECK(fine.out.find("PPL ratio") != std::string::npos);
  // A server that cannot do prompt logprobs: the run goes on, saying why.
  CommandResult llamacpp = run_against(fp16, baseline, dir.file("llama.json"), {"--server", "llamacpp", "--format", "json"});
  CHECK(llamacpp.exit_code == 0);
  CHECK(json::parse(llamacpp.out)["tripwire"]["status"] == "unsupported");
  CHECK(json::parse(llamacpp.out)["tripwire"]["reason"] == "llama.cpp's server cannot return prompt logprobs");
}

TEST_CASE("tripwire over SGLang's native /generate", "[e2e][tripwire]") {
  TempDir dir;
  const std::string baseline = collect_baseline(dir, {"--tier", "smoke", "--server", "sglang"});
  CHECK(json::parse(read_text(baseline))["tripwire"]["status"] == "reference");
  SimProcess broken({"--variant", "broken", "--seed", "4"});
  CommandResult r = run_against(broken, baseline, dir.file("b.json"), {"--tier", "smoke", "--server", "sglang"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("tripwire: TRIPPED") != std::string::npos);
}

TEST_CASE("tripwire over TGI: no alternatives so top-1 and KL are reported unavailable", "[e2e][tripwire]") {
  TempDir dir;
  const std::string baseline = collect_baseline(dir, {"--tier", "smoke", "--server", "tgi"});
  json stored = json::parse(read_text(baseline))["tripwire"];
  CHECK(stored["status"] == "reference");
  CHECK(stored["api"] == "tgi");
  CHECK(stored["top1_agreement"].is_null());
  SimProcess fp16({"--seed", "2"});
  CommandResult ok = run_against(fp16, baseline, dir.file("ok.json"), {"--tier", "smoke", "--server", "tgi"});
  INFO(ok.out << ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("top-1 agreement and KL unavailable: the baseline's reference pass has no top-k alternatives") !=
        std::string::npos);
  SimProcess broken({"--variant", "broken", "--seed", "4"});
  CommandResult tripped = run_against(broken, baseline, dir.file("b.json"),
                                      {"--tier", "smoke", "--server", "tgi", "--format", "json"});
  CHECK(tripped.exit_code == 1);
  json t = json::parse(tripped.out)["tripwire"];
  CHECK(t["status"] == "tripped");
  CHECK(t["metric"] == "abs_logprob_diff");
  CHECK(t["mean_kld"].is_null());
  CHECK(t["ppl_ratio"].get<double>() > 2);
}

TEST_CASE("tripwire falls back to prompt_logprobs when a vLLM refuses echo", "[e2e][tripwire]") {
  TempDir dir;
  const std::string baseline = collect_baseline(dir, {"--tier", "smoke"});
  SimProcess refusing({"--seed", "2", "--no-echo"});
  CommandResult r = run_qdrift({"tripwire", "--baseline", baseline, "--endpoint", refusing.endpoint(), "--model",
                                "qdrift-sim", "--format", "json"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  json t = json::parse(r.out)["tripwire"];
  CHECK(t["status"] == "ok");
  CHECK(t["metric"] == "kl");  // ids on both sides: the echo baseline and the prompt_logprobs candidate compare
  CHECK(t["top1_agreement"].get<double>() > 0.97);
}

TEST_CASE("a run through 500s dropped connections garbage bodies and stalls keeps every item", "[e2e][faults]") {
  TempDir dir;
  // The same seed without faults gives the reference answers: faults must change nothing.
  SimProcess clean({"--seed", "6"});
  CommandResult reference = run_qdrift({"run", "--bench", "arith", "--endpoint", clean.endpoint(),
                                        "--model", "qdrift-sim", "--out", dir.file("clean.json"), "-q"});
  REQUIRE(reference.exit_code == 0);
  SimProcess faulty({"--seed", "6", "--fail-rate", "0.10", "--drop-rate", "0.05", "--garbage-rate", "0.05",
                     "--stall-rate", "0.02", "--stall-ms", "300"});
  CommandResult r = run_qdrift({"run", "--bench", "arith", "--endpoint", faulty.endpoint(), "--model",
                                "qdrift-sim", "--out", dir.file("faulty.json"), "--retries", "8", "-c", "16"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json a = json::parse(read_text(dir.file("clean.json"))), b = json::parse(read_text(dir.file("faulty.json")));
  CHECK(b["benches"]["arith"]["items"].size() == 400);
  CHECK(a["benches"] == b["benches"]);  // every item, every answer, nothing failed
  CHECK(b["requests"]["retries"].get<int>() > 0);
  CHECK(b["requests"]["unusable_bodies"].get<int>() > 0);  // asked again, not graded wrong
  CHECK(r.out.find("retried") != std::string::npos);
}

TEST_CASE("the first SIGINT stops cleanly and prints how to resume and the resume completes the run", "[e2e][interrupt]") {
  TempDir dir;
  const std::string out = dir.file("r.json");
  SimProcess slow({"--seed", "6", "--latency", "100"});
  CommandResult stopped = run_qdrift({"run", "--bench", "arith", "--endpoint", slow.endpoint(), "--model", "qdrift-sim",
                                      "--out", out, "-c", "4", "-q", "--no-tripwire"},
                                     {}, "", [](int pid) {
                                       std::this_thread::sleep_for(std::chrono::milliseconds(1500));
                                       kill(pid, SIGINT);
                                     });
  INFO(stopped.err);
  CHECK(stopped.exit_code == 3);
  CHECK(stopped.err.find("--resume") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(out));
  const long kept = checkpoint_samples(out + ".checkpoint.jsonl");
  CHECK(kept > 0);
  CHECK(kept < 400);
  // In-flight requests were let finish: the sim answered no more than was kept.
  qdrift::HttpResponse stats =
      qdrift::http_fetch({"GET", "http://127.0.0.1:" + std::to_string(slow.port()) + "/sim/stats", "", {}, 0}, {});
  CHECK(json::parse(stats.body)["requests"].get<long>() == kept);

  SimProcess fast({"--seed", "6"});
  CommandResult resumed = run_qdrift({"run", "--bench", "arith", "--endpoint", fast.endpoint(), "--model", "qdrift-sim",
                                      "--out", out, "--resume", "-q", "--no-tripwire"});
  REQUIRE(resumed.exit_code == 0);
  CommandResult fresh = run_qdrift({"run", "--bench", "arith", "--endpoint", fast.endpoint(), "--model", "qdrift-sim",
                                    "--out", dir.file("fresh.json"), "-q", "--no-tripwire"});
  REQUIRE(fresh.exit_code == 0);
  CHECK(json::parse(read_text(out))["benches"] == json::parse(read_text(dir.file("fresh.json")))["benches"]);
}

TEST_CASE("a second SIGTERM exits at once with the checkpoint intact", "[e2e][interrupt]") {
  TempDir dir;
  const std::string out = dir.file("r.json");
  SimProcess stuck({"--seed", "6", "--stall-rate", "0.5", "--stall-ms", "6000"});
  const auto start = std::chrono::steady_clock::now();
  CommandResult stopped = run_qdrift({"run", "--bench", "arith", "--endpoint", stuck.endpoint(), "--model", "qdrift-sim",
                                      "--out", out, "-c", "8", "-q", "--no-tripwire"},
                                     {}, "", [](int pid) {
                                       std::this_thread::sleep_for(std::chrono::milliseconds(1000));
                                       kill(pid, SIGTERM);
                                       std::this_thread::sleep_for(std::chrono::milliseconds(300));
                                       kill(pid, SIGTERM);
                                     });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO(stopped.err);
  CHECK(stopped.exit_code == 3);
  CHECK(seconds < 4);  // not the 6 s stall nor the 10 s grace
  const long kept = checkpoint_samples(out + ".checkpoint.jsonl");
  CHECK(kept > 0);
  // Every kept line is whole: a resume accepts the file.
  SimProcess fast({"--seed", "6"});
  CommandResult resumed = run_qdrift({"run", "--bench", "arith", "--endpoint", fast.endpoint(), "--model", "qdrift-sim",
                                      "--out", out, "--resume", "-q", "--no-tripwire"});
  INFO(resumed.err);
  CHECK(resumed.exit_code == 0);
}

TEST_CASE("a run killed with SIGKILL at twenty points resumes to the same file and never re-asks a kept sample", "[e2e][resume]") {
  TempDir dir;
  const std::string out = dir.file("r.json"), checkpoint = out + ".checkpoint.jsonl";
  SimProcess slow({"--seed", "6", "--latency", "100"});
  const std::string stats_url = "http://127.0.0.1:" + std::to_string(slow.port()) + "/sim/stats";
  auto sim_requests = [&] { return json::parse(qdrift::http_fetch({"GET", stats_url, "", {}, 0}, {}).body)["requests"].get<long>(); };
  const std::vector<std::string> base = {"run", "--bench", "arith", "--endpoint", slow.endpoint(), "--model", "qdrift-sim",
                                         "--out", out, "-c", "4", "-q", "--no-tripwire"};
  std::mt19937 random(42);  // fixed kill points, so a failure reproduces
  int kills = 0;
  for (int round = 0; round < 20; ++round) {
    std::vector<std::string> args = base;
    if (std::filesystem::exists(checkpoint)) args.push_back("--resume");
    const long kept_before = std::filesystem::exists(checkpoint) ? checkpoint_samples(checkpoint) : 0;
    const long asked_before = sim_requests();
    const int delay_ms = 150 + static_cast<int>(random() % 250);
    CommandResult r = run_qdrift(args, {}, "", [delay_ms](int pid) {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      kill(pid, SIGKILL);
    });
    INFO("round " << round << ": " << r.err);
    REQUIRE(r.exit_code == 128 + SIGKILL);  // killed mid-run, not finished
    ++kills;
    // A process never asks for more than what was missing when it started.
    CHECK(sim_requests() - asked_before <= 400 - kept_before);
  }
  CHECK(kills == 20);
  const long kept = checkpoint_samples(checkpoint);  // a torn last line, if any, is dropped on resume
  CHECK(kept < 400);
  const long asked_before = sim_requests();
  std::vector<std::string> args = base;
  args.push_back("--resume");
  CommandResult finished = run_qdrift(args);
  INFO(finished.err);
  REQUIRE(finished.exit_code == 0);
  // The last resume asked exactly for the samples no earlier process had kept.
  CHECK(sim_requests() - asked_before == 400 - kept);
  SimProcess fast({"--seed", "6"});
  CommandResult fresh = run_qdrift({"run", "--bench", "arith", "--endpoint", fast.endpoint(), "--model", "qdrift-sim",
                                    "--out", dir.file("fresh.json"), "-q", "--no-tripwire"});
  REQUIRE(fresh.exit_code == 0);
  CHECK(json::parse(read_text(out))["benches"] == json::parse(read_text(dir.file("fresh.json")))["benches"]);
}

TEST_CASE("a server that goes away mid-run ends it with one clear error after the retries and the checkpoint resumes",
          "[e2e][faults]") {
  TempDir dir;
  const std::string out = dir.file("r.json"), checkpoint = out + ".checkpoint.jsonl";
  const std::vector<std::string> run = {"run", "--bench", "arith", "--model", "qdrift-sim", "--out", out, "-c", "4", "-q"};
  {
    std::optional<SimProcess> dying(std::in_place, std::vector<std::string>{"--seed", "6", "--latency", "20"});
    std::vector<std::string> args = run;
    args.insert(args.end(), {"--endpoint", dying->endpoint(), "--retries", "3"});
    CommandResult stopped = run_qdrift(args, {}, "", [&](int) {
      REQUIRE(wait_for_sim_counter(*dying, "requests", 40));
      dying.reset();  // the server process is gone: every later connection is refused
    });
    INFO(stopped.err);
    CHECK(stopped.exit_code == 3);
    CHECK(std::count(stopped.err.begin(), stopped.err.end(), '\n') == 1);
    CHECK(stopped.err.find("--resume") != std::string::npos);
  }
  const long kept = checkpoint_samples(checkpoint);
  CHECK(kept >= 36);  // what was answered before the server went (4 may have been in flight)
  CHECK(kept < 400);
  SimProcess back({"--seed", "6"});
  std::vector<std::string> resume = run;
  resume.insert(resume.end(), {"--endpoint", back.endpoint(), "--resume"});
  CommandResult resumed = run_qdrift(resume);
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK(sim_counter(back, "requests") == 400 - kept);
  std::vector<std::string> fresh = run;
  fresh[6] = dir.file("fresh.json");
  fresh.insert(fresh.end(), {"--endpoint", back.endpoint()});
  REQUIRE(run_qdrift(fresh).exit_code == 0);
  CHECK(json::parse(read_text(out))["benches"] == json::parse(read_text(dir.file("fresh.json")))["benches"]);
}
