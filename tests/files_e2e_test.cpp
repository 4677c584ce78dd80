// End to end: damaged run files, baselines and checkpoints through the real
// binary. Each bad file is one line on stderr naming the file (and the place
// in it), exit 3, never a crash; a torn checkpoint line is dropped and resumed;
// an existing --out is never replaced without --force.
#include <catch2/catch.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>
#include <nlohmann/json.hpp>

#include "process.h"

using namespace qdrift::testing;
using nlohmann::json;

namespace {

// A smoke-tier arith baseline (50 items, with the tripwire), made once for every case.
const std::string& good_baseline_text() {
  static const std::string text = [] {
    TempDir dir;
    SimProcess sim({"--seed", "1"});
    CommandResult r = run_qdrift({"collect-baseline", "--bench", "arith", "--tier", "smoke", "--endpoint",
                                  sim.endpoint(), "--model", "qdrift-sim", "--out", dir.file("b.json"), "-q"});
    if (r.exit_code != 0) throw std::runtime_error("collect-baseline failed: " + r.err);
    return read_text(dir.file("b.json"));
  }();
  return text;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("not in the file: " + from);
  return text.replace(at, from.size(), to);
}
// Replaces the whole line that starts with `start` (its newline included); std::regex
// would overflow the stack on the tripwire's 100 KB line.
std::string replaced_line(std::string text, const std::string& start, const std::string& to) {
  const std::size_t at = text.find("\n" + start) + 1;
  if (at == 0) throw std::runtime_error("no line starts with: " + start);
  return text.replace(at, text.find('\n', at) + 1 - at, to);
}

struct BadFile {
  const char* name;
  std::function<std::string(const std::string&)> damage;
  const char* says;  // what the one line says after "<file>: "
};

const BadFile kBadFiles[] = {
    {"truncated", [](const std::string& t) { return t.substr(0, t.size() / 2); }, "truncated JSON (ends early) at line 10, column "},
    {"corrupt mid-file", [](const std::string& t) { return replaced(t, "{\"id\":\"arith-0011\"", "{id\":\"arith-0011\""); },
     "not valid JSON at line 28, column "},
    {"schema too new", [](const std::string& t) { return replaced(t, "\"schema\": 2", "\"schema\": 4"); },
     "written by a newer qdrift (schema 4); this qdrift reads schema 3: upgrade qdrift"},
    {"schema past int", [](const std::string& t) { return replaced(t, "\"schema\": 2", "\"schema\": 4294967297"); },
     "field 'schema' is out of range (4294967297)"},
    {"no schema", [](const std::string& t) { return replaced(t, "  \"schema\": 2,\n", ""); },
     "not a qdrift run file (no 'schema' field)"},
    {"no kind", [](const std::string& t) { return replaced(t, "  \"kind\": \"baseline\",\n", ""); }, "missing field 'kind'"},
    {"no model", [](const std::string& t) { return replaced(t, "  \"model\": \"qdrift-sim\",\n", ""); }, "missing field 'model'"},
    {"no config", [](const std::string& t) { return replaced_line(t, "  \"config\": ", ""); }, "missing field 'config'"},
    {"no benches", [](const std::string& t) { return t.substr(0, t.find(",\n  \"benches\"")) + "\n}\n"; },
     "'benches' must be an object"},
    {"no max_tokens", [](const std::string& t) { return replaced(t, "\"max_tokens\":512,", ""); },
     "benches.arith.settings: missing field 'max_tokens'"},
    {"no dataset_sha256", [](const std::string& t) { return replaced_line(t, "      \"dataset_sha256\": ", ""); },
     "benches.arith: missing field 'dataset_sha256'"},
    {"no item id", [](const std::string& t) { return replaced(t, "{\"id\":\"arith-0003\",", "{"); },
     "benches.arith.items[2]: missing field 'id'"},
    {"no sample outcome", [](const std::string& t) { return replaced(t, "{\"correct\":true,", "{"); },
     "benches.arith.items[0].samples[0]: missing field 'correct'"},
    {"seed is a string", [](const std::string& t) { return replaced(t, "\"seed\":0", "\"seed\":\"0\""); },
     "config: field 'seed' has the wrong type (string)"},
    {"correct is a string", [](const std::string& t) { return replaced(t, "\"correct\":true", "\"correct\":\"yes\""); },
     "benches.arith.items[0].samples[0]: field 'correct' has the wrong type (string)"},
    {"items is an object",
     [](const std::string& t) { return replaced(replaced(t, "\"items\": [", "\"items\": {\"all\": ["), "\n      ]\n", "\n      ]}\n"); },
     "benches.arith: 'items' must be an array"},
    {"requests count is a string", [](const std::string& t) { return replaced(t, "\"answered\":50", "\"answered\":\"50\""); },
     "requests: field 'answered' has the wrong type (string)"},
    {"tripwire is a string", [](const std::string& t) { return replaced_line(t, "  \"tripwire\": ", "  \"tripwire\": \"x\",\n"); },
     "tripwire: needs a 'status' string"},
    {"tripwire reason is a number", [](const std::string& t) { return replaced(t, "\"status\":\"reference\",", "\"status\":\"reference\",\"reason\":5,"); },
     "tripwire: 'reason', 'api', 'token_keys' and 'unavailable' must be strings"},
    {"tripwire reference is a string", [](const std::string& t) { return replaced(t, "\"reference\":[", "\"reference\":\"x\",\"was\":["); },
     "tripwire: 'reference' must be a list of texts' positions"},
    {"duplicate item id", [](const std::string& t) { return replaced(t, "{\"id\":\"arith-0002\"", "{\"id\":\"arith-0001\""); },
     "benches.arith.items[1]: duplicate item id 'arith-0001'"},
    {"bytes that are not UTF-8", [](const std::string& t) { return replaced(t, "\"qdrift-sim\"", "\"qdrift-sim\xFF\""); },
     "not valid JSON at line 5, column "},
    {"empty file", [](const std::string&) { return std::string(); }, "empty file, not a qdrift run file"},
    {"not an object", [](const std::string&) { return std::string("[]\n"); }, "not a qdrift run file (not a JSON object)"},
};

// Exactly one line on stderr, "qdrift: error: <path>: <says>...", and exit 3.
void check_one_line_error(const CommandResult& r, const std::string& path, const std::string& says) {
  INFO(r.err);
  CHECK(r.exit_code == 3);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.rfind("qdrift: error: " + path + ": " + says, 0) == 0);
  CHECK(r.out.empty());
}

}  // namespace

TEST_CASE("a damaged run file or baseline is one line naming the file and the problem - exit 3", "[e2e][files]") {
  TempDir dir;
  const std::string good = dir.file("good.json");
  write_text(good, good_baseline_text());
  const std::string down = "http://127.0.0.1:" + std::to_string(closed_port()) + "/v1";
  for (const BadFile& bad : kBadFiles) {
    DYNAMIC_SECTION(bad.name) {
      const std::string path = dir.file("bad.json");
      write_text(path, bad.damage(good_baseline_text()));
      check_one_line_error(run_qdrift({"diff", good, path}), path, bad.says);
      check_one_line_error(run_qdrift({"diff", path, good}), path, bad.says);
      // The baseline is read before any request: no endpoint needed to be told.
      check_one_line_error(run_qdrift({"run", "--bench", "arith", "--endpoint", down, "--model", "m", "--baseline", path,
                                       "--out", dir.file("never.json"), "-q"}),
                           path, bad.says);
      CHECK_FALSE(std::filesystem::exists(dir.file("never.json")));
    }
  }
  SECTION("a directory instead of a file") {
    const std::string folder = dir.file("folder.json");
    std::filesystem::create_directory(folder);
    check_one_line_error(run_qdrift({"diff", good, folder}), folder, "is a directory, not a file");
    check_one_line_error(run_qdrift({"run", "--bench", "arith", "--endpoint", down, "--model", "m", "--baseline", folder,
                                     "--out", dir.file("never.json"), "-q"}),
                         folder, "is a directory, not a file");
  }
  SECTION("a file that is not there") {
    check_one_line_error(run_qdrift({"diff", good, dir.file("absent.json")}), dir.file("absent.json"), "cannot open");
  }
  SECTION("the good file itself passes") {
    CHECK(run_qdrift({"diff", good, good}).exit_code == 0);
  }
}

TEST_CASE("a torn last checkpoint line is dropped - resumed twice - and the file equals an uninterrupted run", "[e2e][files]") {
  TempDir dir;
  const std::string out = dir.file("r.json"), checkpoint = out + ".checkpoint.jsonl";
  const auto run_against = [&](const SimProcess& sim, std::vector<std::string> extra) {
    std::vector<std::string> args{"run", "--bench", "arith", "--endpoint", sim.endpoint(), "--model", "qdrift-sim",
                                  "--out", out, "--retries", "1", "-c", "4", "--no-tripwire"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_qdrift(args);
  };
  const auto tear = [&] {
    // A crash in the middle of a write: the start of a line, no newline.
    const std::string text = read_text(checkpoint);
    const std::size_t last_line = text.rfind('\n', text.size() - 2) + 1;
    write_text(checkpoint, text + text.substr(last_line, (text.size() - last_line) / 2));
  };
  {
    SimProcess flaky({"--seed", "6", "--fail-rate", "0.05"});
    REQUIRE(run_against(flaky, {"-q"}).exit_code == 3);
  }
  REQUIRE(std::filesystem::exists(checkpoint));
  tear();
  {
    // Resumed into a server that fails again: the new lines must follow whole ones.
    SimProcess flaky({"--seed", "6", "--fail-rate", "0.03"});
    CommandResult r = run_against(flaky, {"--resume"});
    REQUIRE(r.exit_code == 3);
    CHECK(r.err.find("dropped 1 torn line") != std::string::npos);
  }
  tear();
  SimProcess healthy({"--seed", "6"});
  CommandResult resumed = run_against(healthy, {"--resume", "-q"});
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(checkpoint));
  CommandResult fresh = run_qdrift({"run", "--bench", "arith", "--endpoint", healthy.endpoint(), "--model", "qdrift-sim",
                                    "--out", dir.file("fresh.json"), "-q", "--no-tripwire"});
  REQUIRE(fresh.exit_code == 0);
  const json a = json::parse(read_text(out)), b = json::parse(read_text(dir.file("fresh.json")));
  CHECK(a["benches"]["arith"]["items"].size() == 400);
  CHECK(a["benches"] == b["benches"]);
}

TEST_CASE("a checkpoint torn in its header starts afresh - one torn in the middle is one line naming it", "[e2e][files]") {
  TempDir dir;
  const std::string out = dir.file("r.json"), checkpoint = out + ".checkpoint.jsonl";
  SimProcess sim({"--seed", "6"});
  const std::vector<std::string> args{"run",  "--bench", "arith", "--endpoint", sim.endpoint(), "--model", "qdrift-sim",
                                      "--out", out,      "--limit", "20",     "--resume",     "-q", "--no-tripwire"};
  write_text(checkpoint, "{\"checkpoint\":1,\"ki");
  CommandResult torn_header = run_qdrift(args);
  INFO(torn_header.err);
  CHECK(torn_header.exit_code == 0);
  CHECK(json::parse(read_text(out))["benches"]["arith"]["items"].size() == 20);

  std::filesystem::remove(out);
  write_text(checkpoint, "{\"checkpoint\":1}\n{\"bench\":\"arith\",\"id\n{\"bench\":\"arith\"}\n");
  check_one_line_error(run_qdrift(args), checkpoint, "line 2: not a JSON object");
  CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("an existing out file is never replaced without --force - not even one made during the run", "[e2e][files]") {
  TempDir dir;
  const std::string out = dir.file("out.json");
  // Each answer takes 400 ms: the run is still going when another process writes --out.
  SimProcess slow({"--seed", "6", "--latency", "400"});
  const std::vector<std::string> args{"run", "--bench", "arith", "--endpoint", slow.endpoint(), "--model", "qdrift-sim",
                                      "--out", out, "--limit", "8", "-c", "1", "-q", "--no-tripwire"};
  CommandResult r = run_qdrift(args, {}, "", [&](int) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    write_text(out, "written meanwhile");
  });
  INFO(r.err);
  CHECK(r.exit_code == 3);
  CHECK(r.err == "qdrift: error: " + out + " exists; pass --force to replace it\n");
  CHECK(read_text(out) == "written meanwhile");
  CHECK(std::filesystem::exists(out + ".checkpoint.jsonl"));  // the answers are kept for --resume --force

  // Before the run: refused at once, untouched.
  CommandResult refused = run_qdrift(args);
  CHECK(refused.exit_code == 3);
  CHECK(read_text(out) == "written meanwhile");
  // --force --resume finishes from the checkpoint and replaces it, leaving no temp file behind.
  std::vector<std::string> forced = args;
  forced.insert(forced.end(), {"--force", "--resume"});
  CommandResult replaced_run = run_qdrift(forced);
  INFO(replaced_run.err);
  REQUIRE(replaced_run.exit_code == 0);
  CHECK(json::parse(read_text(out))["benches"]["arith"]["items"].size() == 8);
  std::vector<std::string> left;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) left.push_back(entry.path().filename());
  CHECK(left == std::vector<std::string>{"out.json"});
}

TEST_CASE("a --corpus file that is not UTF-8 is refused before any request", "[e2e][files]") {
  TempDir dir;
  const std::string corpus = dir.file("corpus.txt");
  write_text(corpus, "a good line\nbad \xFF line\n");
  // Nothing listens: the file is read before the endpoint is asked anything.
  const std::string down = "http://127.0.0.1:" + std::to_string(closed_port()) + "/v1";
  check_one_line_error(run_qdrift({"collect-baseline", "--bench", "arith", "--endpoint", down, "--model", "m", "--out",
                                   dir.file("b.json"), "--corpus", corpus, "-q"}),
                       corpus, "line 2: not valid UTF-8 (byte 5 of the line)");
  CHECK_FALSE(std::filesystem::exists(dir.file("b.json.checkpoint.jsonl")));
}

TEST_CASE("a --resume of a run that already finished prints its report and exits with its verdict", "[e2e][files][resume]") {
  TempDir dir;
  SimProcess base({"--seed", "1"});
  SimProcess broken({"--variant", "broken", "--seed", "2"});
  const std::string baseline = dir.file("base.json"), out = dir.file("broken.json");
  REQUIRE(run_qdrift({"collect-baseline", "--bench", "arith", "--tier", "smoke", "--endpoint", base.endpoint(), "--out",
                      baseline, "-q", "--no-tripwire"})
              .exit_code == 0);
  const std::vector<std::string> run = {"run", "--bench", "arith", "--tier", "smoke", "--endpoint", broken.endpoint(),
                                        "--out", out, "-q", "--no-tripwire", "--baseline", baseline};
  const CommandResult first = run_qdrift(run);
  REQUIRE(first.exit_code == 1);
  const long asked = sim_counter(broken, "requests");
  std::vector<std::string> resume = run;
  resume.push_back("--resume");
  const CommandResult again = run_qdrift(resume);
  CHECK(again.exit_code == 1);  // its verdict, DEGRADED
  CHECK(again.err == out + " is complete (no checkpoint to resume): its report\n");
  CHECK(again.out == first.out);
  CHECK(sim_counter(broken, "requests") == asked);
  // A finished baseline: its summary, exit 0.
  const CommandResult summary = run_qdrift({"collect-baseline", "--bench", "arith", "--tier", "smoke", "--endpoint",
                                            base.endpoint(), "--out", baseline, "-q", "--no-tripwire", "--resume"});
  CHECK(summary.exit_code == 0);
  CHECK(summary.out.find("arith") != std::string::npos);
}
