#include <catch2/catch.hpp>

#include "qdrift/record.h"

using namespace qdrift;

namespace {

RunFile sample_run() {
  RunFile run;
  run.kind = "baseline";
  run.qdrift_version = "0.1.0";
  run.model = "m";
  run.endpoint = "http://127.0.0.1:1/v1";
  run.server = "vllm";
  run.created_at = "2026-11-28T00:00:00Z";
  BenchRecord bench{"arith", {false, 1, 0.7, 0.8, 20, 0, 1.5, 512, "1"}, "abc", {}, std::nullopt};
  bench.items.push_back({"a-1", "", {{true, "5", "stop", 10, 0, ""}}});
  bench.items.push_back({"a-2", "", {{false, "", "length", 512, 0, ""}}});
  bench.items.push_back({"a-3", "", {{false, "", "", 0, 0, "response is not JSON"}}});
  run.benches.push_back(bench);
  return run;
}

}  // namespace

TEST_CASE("run files round-trip with one item per line", "[record]") {
  RunFile run = sample_run();
  std::string text = serialize_run_file(run);
  CHECK(text.find("\n        {\"id\":\"a-2\",\"samples\":[{\"correct\":false") != std::string::npos);
  auto parsed = parse_run_file(text, "x.json");
  REQUIRE(parsed.ok());
  CHECK(serialize_run_file(*parsed) == text);
  CHECK(parsed->benches[0].items[2].samples[0].error == "response is not JSON");
  BenchSummary s = summarize(parsed->benches[0]);
  CHECK(s.items == 3);
  CHECK(s.accuracy == Approx(1.0 / 3));
  CHECK(s.trunc_rate == Approx(1.0 / 3));
  CHECK(s.failed_samples == 1);
}

TEST_CASE("run files are validated on load", "[record]") {
  std::string text = serialize_run_file(sample_run());
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string copy = text;
    copy.replace(copy.find(from), from.size(), to);
    return copy;
  };
  CHECK(parse_run_file(replace("\"schema\": 1", "\"schema\": 2"), "f").status().message() ==
        "f: written by a newer qdrift (schema 2); this qdrift reads schema 1: upgrade qdrift");
  CHECK(parse_run_file(replace("\"schema\": 1,", ""), "f").status().message() ==
        "f: not a qdrift run file (no 'schema' field)");
  CHECK(parse_run_file(replace("\"id\":\"a-2\"", "\"id\":\"a-1\""), "f").status().message() ==
        "f: benches.arith.items[1]: duplicate item id 'a-1'");
  CHECK(parse_run_file(replace("\"correct\":true", "\"correct\":\"yes\""), "f").status().message() ==
        "f: benches.arith.items[0].samples[0]: field 'correct' has the wrong type (string)");
  CHECK(parse_run_file(replace("\"max_tokens\":512,", ""), "f").status().message() ==
        "f: benches.arith.settings: missing field 'max_tokens'");
  CHECK(parse_run_file(text.substr(0, 200), "f").status().message().rfind("f: truncated JSON (ends early) at line", 0) == 0);
  CHECK(parse_run_file("", "f").status().message() == "f: empty file, not a qdrift run file");
  CHECK(parse_run_file("{\"a\": }", "f").status().message() == "f: not valid JSON at line 1, column 7");
}

TEST_CASE("maj@K outcome and its tie rule", "[record]") {
  auto sample = [](const char* answer, bool correct) { return SampleRecord{correct, answer, "stop", 1, 0, ""}; };
  ItemRecord majority_right{"i", "", {sample("4", true), sample("5", false), sample("4", true)}};
  CHECK(item_outcome(majority_right));
  ItemRecord majority_wrong{"i", "", {sample("5", false), sample("4", true), sample("5", false), sample("6", false)}};
  CHECK_FALSE(item_outcome(majority_wrong));
  // 2-2 tie: the answer seen first wins, whichever order the samples finished in.
  ItemRecord tie_first_right{"i", "", {sample("4", true), sample("5", false), sample("5", false), sample("4", true)}};
  CHECK(item_outcome(tie_first_right));
  ItemRecord tie_first_wrong{"i", "", {sample("5", false), sample("4", true), sample("4", true), sample("5", false)}};
  CHECK_FALSE(item_outcome(tie_first_wrong));
  ItemRecord nothing{"i", "", {sample("", false), sample("", false)}};
  CHECK_FALSE(item_outcome(nothing));
  ItemRecord cut{"i", "", {sample("4", true), SampleRecord{false, "", "length", 9, 0, ""}}};
  CHECK(item_truncated(cut));
}
