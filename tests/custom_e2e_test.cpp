// End to end for custom benches: the real binary and real `qdrift sim`
// processes given the tradequiz spec with --bench-file (or finding it in
// ./benches), checking exit codes and reports as a CI script would.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "process.h"

using namespace qdrift::testing;
using nlohmann::json;

namespace {

const std::string kExampleDir = std::string(QDRIFT_SOURCE_DIR) + "/examples/tradequiz";
const std::string kSpec = kExampleDir + "/tradequiz.json";

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// Collects a tradequiz baseline from an fp16 sim serving `spec`.
std::string collect(const TempDir& dir, const std::string& spec) {
  SimProcess fp16({"--seed", "1", "--bench-file", spec});
  const std::string path = dir.file("baseline.json");
  CommandResult r = run_qdrift({"collect-baseline", "--endpoint", fp16.endpoint(), "--model", "qdrift-sim", "--bench",
                                "tradequiz", "--bench-file", spec, "--out", path, "-q"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return path;
}

// Copies the example (spec and data) into `dir`, so a test may edit the spec.
std::string copy_example(const std::string& dir) {
  std::filesystem::create_directories(dir);
  for (const char* name : {"tradequiz.json", "tradequiz.jsonl"})
    std::filesystem::copy_file(kExampleDir + "/" + name, dir + "/" + name);
  return dir + "/tradequiz.json";
}

}  // namespace

TEST_CASE("tradequiz end to end - sim serves it - int4 and broken exit as their reports say", "[custom][e2e]") {
  TempDir dir;
  const std::string baseline = collect(dir, kSpec);
  json stored = json::parse(read_text(baseline));
  const json& bench = stored["benches"]["tradequiz"];
  REQUIRE(bench["items"].size() == 40);
  CHECK(bench["settings"]["bench_version"].get<std::string>().starts_with("1+spec."));
  CHECK(bench["settings"]["max_tokens"] == 1024);
  CHECK(bench["items"][0]["id"] == "tq-001");
  CHECK(bench["items"][0]["stratum"] == "microstructure");
  // The sim recognised the items: it answers most of them right, each with a letter.
  CHECK(bench["summary"]["accuracy"].get<double>() > 0.5);
  for (const json& item : bench["items"]) CHECK(item["samples"][0]["answer"].get<std::string>().size() == 1);

  for (const std::string variant : {"int4", "broken"}) {
    SimProcess sim({"--variant", variant, "--seed", "3", "--bench-file", kSpec});
    CommandResult r = run_qdrift({"run", "--endpoint", sim.endpoint(), "--model", "qdrift-sim", "--bench", "tradequiz",
                                  "--bench-file", kSpec, "--baseline", baseline, "--out", dir.file(variant + ".json"),
                                  "--format", "json", "-q"});
    INFO(variant << ": " << r.out << r.err);
    json report = json::parse(r.out);
    CHECK(report["comparable"] == true);
    CHECK(r.exit_code == (report["verdict"] == "degraded" ? 1 : 0));
    if (variant == "broken") CHECK(report["verdict"] == "degraded");
    // diff re-grades the stored files offline, without the spec, to the same verdict.
    CHECK(run_qdrift({"diff", baseline, dir.file(variant + ".json")}).exit_code == r.exit_code);
  }
}

TEST_CASE("a spec changed between baseline and run is NOT COMPARABLE - exit 2", "[custom][e2e]") {
  TempDir dir;
  const std::string spec = copy_example(dir.file("quiz"));
  const std::string baseline = collect(dir, spec);
  // Only the summary changes: the items and prompts are the same, the spec is not.
  std::string text = read_text(spec);
  text.replace(text.find("\"summary\": \""), 12, "\"summary\": \"edited: ");
  write_text(spec, text);

  SimProcess fp16({"--seed", "2", "--bench-file", spec});
  CommandResult r = run_qdrift({"run", "--endpoint", fp16.endpoint(), "--model", "qdrift-sim", "--bench", "tradequiz",
                                "--bench-file", spec, "--baseline", baseline, "--out", dir.file("c.json"), "-q"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("NOT COMPARABLE") != std::string::npos);
  CHECK(r.out.find("tradequiz.bench_version: baseline \"1+spec.") != std::string::npos);
}

TEST_CASE("custom bench bad input - one line - exit 3", "[custom][e2e]") {
  TempDir dir;
  const std::string spec = copy_example(dir.file("quiz"));
  auto one_line = [](const CommandResult& r) { return std::count(r.err.begin(), r.err.end(), '\n') == 1; };

  SECTION("an unknown type, on run and on sim") {
    std::string text = read_text(spec);
    text.replace(text.find("\"multiple_choice\""), 17, "\"essay\"");
    write_text(spec, text);
    for (const std::vector<std::string>& args : {std::vector<std::string>{"run", "--endpoint", "http://127.0.0.1:1/v1",
                                                                          "--model", "m", "--out", dir.file("o.json")},
                                                 std::vector<std::string>{"sim"}}) {
      CommandResult r = run_qdrift(with(args, {"--bench-file", spec}));
      INFO(r.err);
      CHECK(r.exit_code == 3);
      CHECK(r.err ==
            "qdrift: error: " + spec + ": \"type\": unknown type 'essay' (multiple_choice, short_answer, numeric)\n");
    }
  }
  SECTION("a data row without its answer names the file and line") {
    std::string rows = read_text(dir.file("quiz/tradequiz.jsonl"));
    const std::size_t third = rows.find("\n", rows.find("\n") + 1) + 1;
    rows.replace(rows.find("\"answer\"", third), 8, "\"answr\"");
    write_text(dir.file("quiz/tradequiz.jsonl"), rows);
    CommandResult r = run_qdrift({"data", "list", "--bench-file", spec});
    CHECK(r.exit_code == 3);
    CHECK(one_line(r));
    CHECK(r.err.find(dir.file("quiz/tradequiz.jsonl") + ":3: no field \"answer\"") != std::string::npos);
  }
  SECTION("a name taken by a built-in bench") {
    std::string text = read_text(spec);
    text.replace(text.find("\"tradequiz\""), 11, "\"arith\"");
    write_text(spec, text);
    CommandResult r = run_qdrift({"data", "list", "--bench-file", spec});
    CHECK(r.exit_code == 3);
    CHECK(one_line(r));
    CHECK(r.err.find("'arith' is a built-in bench") != std::string::npos);
  }
  SECTION("an unknown bench lists the custom ones too") {
    CommandResult r = run_qdrift({"run", "--endpoint", "http://127.0.0.1:1/v1", "--model", "m", "--bench", "tradequizz",
                                  "--bench-file", spec, "--out", dir.file("o.json")});
    CHECK(r.exit_code == 3);
    const std::size_t known = r.err.find("unknown bench 'tradequizz' (known: ");
    REQUIRE(known != std::string::npos);
    CHECK(r.err.find("tradequiz)", known) != std::string::npos);  // custom benches are listed after the built-in ones
  }
}

TEST_CASE("specs in ./benches are found without --bench-file", "[custom][e2e]") {
  TempDir dir;
  copy_example(dir.file("benches"));
  CommandResult r = run_qdrift({"data", "list"}, {}, dir.path());
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("tradequiz") != std::string::npos);
  CHECK(r.out.find("     40  ") != std::string::npos);
  CHECK(r.out.find("file /") != std::string::npos);  // the data file's absolute path
  CHECK(r.out.find("benches/tradequiz.jsonl") != std::string::npos);
}
