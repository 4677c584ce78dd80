#include <catch2/catch.hpp>
#include <string>

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
  BenchRecord bench{"arith", {false, 1, 0.7, 0.8, 20, 0, 1.5, 512, "1", ""}, "abc", {}, std::nullopt};
  bench.items.push_back({"a-1", "", {{true, "5", "stop", 10, 0, ""}}, 1, ""});
  bench.items.push_back({"a-2", "", {{false, "", "length", 512, 0, ""}}, 1, ""});
  bench.items.push_back({"a-3", "", {{false, "", "", 0, 0, "response is not JSON"}}, 1, ""});
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

TEST_CASE("a shard's fields are written as schema 3 and validated, and a checkpoint is named as one",
          "[record][shard]") {
  RunFile run = sample_run();
  CHECK(serialize_run_file(run).find("\"position\"") == std::string::npos);  // a whole run: schema 2, no shard fields
  run.config.shard = Shard{1, 4};
  run.benches[0].unsharded_items = 12;
  for (std::size_t i = 0; i < run.benches[0].items.size(); ++i)
    run.benches[0].items[i].position = static_cast<std::int64_t>(3 * i + 1);
  const std::string text = serialize_run_file(run);
  CHECK(text.find("\"schema\": 3,") != std::string::npos);
  CHECK(text.find("\"unsharded_items\": 12,") != std::string::npos);
  CHECK(text.find("{\"id\":\"a-2\",\"position\":4,\"samples\"") != std::string::npos);
  auto parsed = parse_run_file(text, "s.json");
  REQUIRE(parsed.ok());
  CHECK(serialize_run_file(*parsed) == text);
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string copy = text;
    copy.replace(copy.find(from), from.size(), to);
    return copy;
  };
  CHECK(parse_run_file(replace("\"index\":1", "\"index\":4"), "s.json").status().message() ==
        "s.json: config.shard: the index must be 0 to 3 (shards are numbered from 0)");
  CHECK(parse_run_file(replace("\"count\":4", "\"count\":\"4\""), "s.json").status().message() ==
        "s.json: config.shard: field 'count' has the wrong type (string)");
  CHECK(parse_run_file(replace("\"position\":4", "\"position\":-4"), "s.json").status().message() ==
        "s.json: benches.arith.items[1]: 'position' must not be negative");
  const std::string checkpoint = "{\"checkpoint\":1,\"kind\":\"run\"}\n{\"bench\":\"arith\"}\n";
  const std::string unfinished =
      "c.jsonl: the checkpoint of an unfinished run, not a run file: finish the run with the same command and --resume";
  CHECK(parse_run_file(checkpoint, "c.jsonl").status().message() == unfinished);
  CHECK(parse_run_file("{\"checkpoint\":1,\"kind\":\"run\"}\n", "c.jsonl").status().message() == unfinished);
}

TEST_CASE("run files are validated on load", "[record]") {
  std::string text = serialize_run_file(sample_run());
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string copy = text;
    copy.replace(copy.find(from), from.size(), to);
    return copy;
  };
  CHECK(parse_run_file(replace("\"schema\": 2", "\"schema\": 4"), "f").status().message() ==
        "f: written by a newer qdrift (schema 4); this qdrift reads schema 3: upgrade qdrift");
  CHECK(parse_run_file(replace("\"schema\": 2", "\"schema\": 0"), "f").status().message() == "f: unknown schema 0");
  CHECK(parse_run_file(replace("\"schema\": 2,", ""), "f").status().message() ==
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
  // Found by fuzz/run_file_fuzz.cpp: a number too large for a double escaped as an exception.
  CHECK(parse_run_file(replace("\"seed\":0", "\"seed\":-0.7e424"), "f").status().message() ==
        "f: not valid JSON: number overflow parsing '-0.7e424'");
  // Integers that do not fit are refused, not wrapped (2^32 + 1 would read as schema 1).
  CHECK(parse_run_file(replace("\"schema\": 2", "\"schema\": 4294967297"), "f").status().message() ==
        "f: field 'schema' is out of range (4294967297)");
  CHECK(parse_run_file(replace("\"max_tokens\":512", "\"max_tokens\":-1e3"), "f").status().message() ==
        "f: benches.arith.settings: field 'max_tokens' has the wrong type (number)");
  CHECK(parse_run_file(replace("\"completion_tokens\":10", "\"completion_tokens\":18446744073709551615"), "f")
            .status()
            .message() == "f: benches.arith.items[0].samples[0]: field 'completion_tokens' is out of range (18446744073709551615)");
  CHECK(parse_run_file(replace("\"seed\":0", "\"seed\":-1"), "f").status().message() ==
        "f: config: field 'seed' is out of range (-1)");
  // Optional sections of the wrong type are errors too, never a crash.
  CHECK(parse_run_file(replace("\"answered\":0", "\"answered\":\"0\""), "f").status().message() ==
        "f: requests: field 'answered' has the wrong type (string)");
  CHECK(parse_run_file(replace("\"requests\": {\"answered\":0,\"retries\":0,\"unusable_bodies\":0}", "\"requests\": 7"), "f")
            .status()
            .message() == "f: requests: must be a JSON object");
  CHECK(parse_run_file(replace("\"unusable_bodies\":0}", "\"unusable_bodies\":0,\"unusable_reasons\":[]}"), "f")
            .status()
            .message() == "f: requests: 'unusable_reasons' must be an object of counts");
  CHECK(parse_run_file(replace("\"tripwire\": {\"status\":\"absent\"}", "\"tripwire\": {\"status\":\"done\"}"), "f")
            .status()
            .message() == "f: tripwire: unknown status \"done\" (absent, reference, ok, tripped or unsupported)");
  CHECK(parse_run_file(replace("\"tripwire\": {\"status\":\"absent\"}",
                               "\"tripwire\": {\"status\":\"ok\",\"alternatives\":\"yes\"}"),
                       "f")
            .status()
            .message() == "f: tripwire: 'alternatives' must be true or false");
  CHECK(parse_run_file(replace("\"tripwire\": {\"status\":\"absent\"}",
                               "\"tripwire\": {\"status\":\"reference\",\"reference\":[\"x\"]}"),
                       "f")
            .status()
            .message() == "f: tripwire: reference[0] must be a list of positions");
  CHECK(parse_run_file(replace("\"tripwire\": {\"status\":\"absent\"}", "\"tripwire\": {\"status\":\"ok\",\"scores\":5}"), "f")
            .status()
            .message() == "f: tripwire: 'scores' must be a list");
}

TEST_CASE("text that is not UTF-8 is written as U+FFFD - never thrown", "[record]") {
  RunFile run = sample_run();
  run.model = "m\xFF";
  run.benches[0].items[0].samples[0].answer = "5\xC3";
  run.request_stats.unusable_reasons["response is not valid UTF-8"] = 2;
  const std::string text = serialize_run_file(run);
  auto parsed = parse_run_file(text, "x.json");
  REQUIRE(parsed.ok());
  CHECK(parsed->model == "m\xEF\xBF\xBD");
  CHECK(parsed->benches[0].items[0].samples[0].answer == "5\xEF\xBF\xBD");
  CHECK(parsed->request_stats.unusable_reasons.at("response is not valid UTF-8") == 2);
}

TEST_CASE("each replica's requests round-trip, and a bad list names its field", "[record]") {
  RunFile run = sample_run();
  run.request_stats.replicas = {{"http://10.0.0.2:8000/v1", 70, 72, 0, false}, {"http://10.0.0.3:8000/v1", 30, 36, 5, true}};
  auto parsed = parse_run_file(serialize_run_file(run), "x.json");
  REQUIRE(parsed.ok());
  REQUIRE(parsed->request_stats.replicas.size() == 2);
  CHECK(parsed->request_stats.replicas[1].endpoint == "http://10.0.0.3:8000/v1");
  CHECK(parsed->request_stats.replicas[1].answered == 30);
  CHECK(parsed->request_stats.replicas[1].tries == 36);
  CHECK(parsed->request_stats.replicas[1].failed_tries == 5);
  CHECK(parsed->request_stats.replicas[1].down);
  CHECK_FALSE(parsed->request_stats.replicas[0].down);

  // One server: no list at all, as before.
  CHECK(serialize_run_file(sample_run()).find("\"replicas\"") == std::string::npos);

  std::string text = serialize_run_file(run);
  const std::string tries = "\"tries\":36";
  REQUIRE(text.find(tries) != std::string::npos);
  text.replace(text.find(tries), tries.size(), "\"tries\":\"x\"");
  auto bad = parse_run_file(text, "x.json");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("x.json: requests.replicas[1]") != std::string::npos);
}

TEST_CASE("failed samples are summarised by kind - most common first", "[record]") {
  BenchRecord bench = sample_run().benches[0];
  CHECK(failure_summary(bench) == "1 × response is not JSON");
  bench.items.push_back({"a-4", "", {{false, "", "", 0, 0, "response is not valid UTF-8 (byte 3 of 90)"}}, 1, ""});
  bench.items.push_back({"a-5", "", {{false, "", "", 0, 0, "response is not valid UTF-8 (byte 7 of 12)"}}, 1, ""});
  CHECK(failure_summary(bench) == "2 × response is not valid UTF-8, 1 × response is not JSON");
  CHECK(count_summary({{"b", 1}, {"a", 1}, {"c", 5}}) == "5 × c, 1 × a, 1 × b");
  CHECK(count_summary({}).empty());
  CHECK(failure_kind("response body larger than 4194304 bytes") == "response body larger than 4194304 bytes");
}

TEST_CASE("maj@K outcome and its tie rule", "[record]") {
  auto sample = [](const char* answer, bool correct) { return SampleRecord{correct, answer, "stop", 1, 0, ""}; };
  ItemRecord majority_right{"i", "", {sample("4", true), sample("5", false), sample("4", true)}, 1, ""};
  CHECK(item_outcome(majority_right));
  ItemRecord majority_wrong{"i", "", {sample("5", false), sample("4", true), sample("5", false), sample("6", false)}, 1, ""};
  CHECK_FALSE(item_outcome(majority_wrong));
  // 2-2 tie: the answer seen first wins, whichever order the samples finished in.
  ItemRecord tie_first_right{"i", "", {sample("4", true), sample("5", false), sample("5", false), sample("4", true)}, 1, ""};
  CHECK(item_outcome(tie_first_right));
  ItemRecord tie_first_wrong{"i", "", {sample("5", false), sample("4", true), sample("4", true), sample("5", false)}, 1, ""};
  CHECK_FALSE(item_outcome(tie_first_wrong));
  ItemRecord nothing{"i", "", {sample("", false), sample("", false)}, 1, ""};
  CHECK_FALSE(item_outcome(nothing));
  ItemRecord cut{"i", "", {sample("4", true), SampleRecord{false, "", "length", 9, 0, ""}}, 1, ""};
  CHECK(item_truncated(cut));
}

TEST_CASE("tripwire records keep unavailable metrics as null and read old three-figure scores", "[record]") {
  RunFile run = sample_run();
  TripwireRecord& t = run.tripwire;
  t.status = "reference";
  t.api = "tgi";
  t.keyed_by_id = true;
  t.alternatives = false;
  t.unavailable = "the baseline's reference pass has no top-k alternatives (TGI gives none)";
  t.corpus = {"a b c"};
  t.reference = {{{"17", -1.25, {}}, {"18", -0.5, {}}}};
  t.scores = {{tripwire::kUnavailable, tripwire::kUnavailable, 0.01, 0.03}};
  t.summary.positions = 2;
  t.summary.top1_agreement = t.summary.mean_kl = tripwire::kUnavailable;
  t.summary.ppl_ratio = 1.01;
  t.summary.mean_abs_logprob_difference = 0.03;
  t.top1_agreement = t.mean_kl = tripwire::kUnavailable;
  const std::string text = serialize_run_file(run);
  CHECK(text.find("\"top1_agreement\":null") != std::string::npos);
  CHECK(text.find("[null,null,0.01,0.03]") != std::string::npos);
  auto parsed = parse_run_file(text, "t.json");
  REQUIRE(parsed.ok());
  CHECK(serialize_run_file(*parsed) == text);
  const TripwireRecord& back = parsed->tripwire;
  CHECK(back.api == "tgi");
  CHECK_FALSE(back.alternatives);
  CHECK(back.unavailable == t.unavailable);
  CHECK_FALSE(tripwire::available(back.summary.mean_kl));
  CHECK(back.summary.ppl_ratio == Approx(1.01));
  CHECK_FALSE(tripwire::available(back.scores[0].mean_kl));
  CHECK(back.scores[0].mean_abs_logprob_difference == Approx(0.03));
  // A file written before the fourth figure existed still loads.
  std::string old = text;
  old.replace(old.find("[null,null,0.01,0.03]"), 21, "[0.002,0.98,0.01]");
  auto legacy = parse_run_file(old, "old.json");
  REQUIRE(legacy.ok());
  CHECK(legacy->tripwire.scores[0].mean_kl == Approx(0.002));
  CHECK_FALSE(tripwire::available(legacy->tripwire.scores[0].mean_abs_logprob_difference));
}

TEST_CASE("schema 2 samples keep their explanation - multi-turn fields only when not one-shot", "[record]") {
  RunFile run = sample_run();
  SampleRecord& one_shot = run.benches[0].items[0].samples[0];
  one_shot.explanation = "answered 5, expected 5";
  SampleRecord& agent = run.benches[0].items[1].samples[0];
  agent.explanation = "ran out of turns \xE2\x80\x94 no final answer";
  agent.turns = 30;
  agent.turn_cap_hit = true;
  agent.tool_errors = 2;
  agent.judge_verdict = "fail";
  const std::string text = serialize_run_file(run);
  CHECK(text.find("\"schema\": 2,") != std::string::npos);
  // One-shot: the five outcome fields and the explanation, nothing else.
  CHECK(text.find("{\"correct\":true,\"answer\":\"5\",\"finish\":\"stop\",\"completion_tokens\":10,"
                  "\"reasoning_tokens\":0,\"explanation\":\"answered 5, expected 5\"}") != std::string::npos);
  CHECK(text.find("\"turns\":30,\"turn_cap_hit\":true,\"tool_errors\":2,\"judge\":\"fail\",\"explanation\":") !=
        std::string::npos);
  auto parsed = parse_run_file(text, "x.json");
  REQUIRE(parsed.ok());
  CHECK(serialize_run_file(*parsed) == text);
  const SampleRecord& back = parsed->benches[0].items[1].samples[0];
  CHECK(back.explanation == agent.explanation);
  CHECK(back.turns == 30);
  CHECK(back.turn_cap_hit);
  CHECK(back.tool_errors == 2);
  CHECK(back.judge_verdict == "fail");
  CHECK(parsed->benches[0].items[0].samples[0].turns == 1);
}

TEST_CASE("schema 1 files load with one-shot defaults", "[record]") {
  std::string text = serialize_run_file(sample_run());
  text.replace(text.find("\"schema\": 2"), 11, "\"schema\": 1");
  for (std::size_t at; (at = text.find(",\"explanation\":\"\"")) != std::string::npos;) text.erase(at, 17);
  REQUIRE(text.find("explanation") == std::string::npos);
  auto parsed = parse_run_file(text, "old.json");
  REQUIRE(parsed.ok());
  CHECK(parsed->schema == 1);
  const SampleRecord& s = parsed->benches[0].items[0].samples[0];
  CHECK(s.explanation.empty());
  CHECK(s.turns == 1);
  CHECK_FALSE(s.turn_cap_hit);
  CHECK(s.tool_errors == 0);
  CHECK(s.judge_verdict.empty());
}

TEST_CASE("the committed schema 1 baseline still loads", "[record]") {
  auto baseline = load_run_file(std::string(QDRIFT_SOURCE_DIR) + "/baselines/qdrift-sim/standard-s0.json");
  REQUIRE(baseline.ok());
  CHECK(baseline->schema == 1);
  CHECK(baseline->kind == "baseline");
  REQUIRE(baseline->benches.size() == 1);
  CHECK(baseline->benches[0].items.size() == 400);
  CHECK(baseline->benches[0].items[0].samples[0].turns == 1);
}

TEST_CASE("schema 2 sample fields of the wrong type or value are named", "[record]") {
  RunFile run = sample_run();
  run.benches[0].items[0].samples[0].turns = 3;
  run.benches[0].items[0].samples[0].judge_verdict = "pass";
  const std::string text = serialize_run_file(run);
  auto error_after = [&](const std::string& from, const std::string& to) {
    std::string copy = text;
    copy.replace(copy.find(from), from.size(), to);
    return parse_run_file(copy, "f").status().message();
  };
  const std::string at = "f: benches.arith.items[0].samples[0]: ";
  CHECK(error_after("\"turns\":3", "\"turns\":\"3\"") == at + "field 'turns' has the wrong type (string)");
  CHECK(error_after("\"turns\":3", "\"turns\":-3") == at + "'turns' must not be negative");
  CHECK(error_after("\"turns\":3", "\"turn_cap_hit\":1") == at + "field 'turn_cap_hit' has the wrong type (number)");
  CHECK(error_after("\"turns\":3", "\"tool_errors\":1.5") == at + "field 'tool_errors' has the wrong type (number)");
  CHECK(error_after("\"judge\":\"pass\"", "\"judge\":true") == at + "field 'judge' has the wrong type (boolean)");
  CHECK(error_after("\"judge\":\"pass\"", "\"judge\":\"maybe\"") == at + "'judge' must be \"pass\" or \"fail\", not \"maybe\"");
  CHECK(error_after("\"explanation\":\"\"", "\"explanation\":[]") == at + "field 'explanation' has the wrong type (array)");
}

TEST_CASE("a file simdjson refuses but JSON allows loads through the second parser, the same", "[record]") {
  // An integer beyond 64 bits is valid JSON (nlohmann reads it as a double);
  // simdjson's tape refuses it, so this file takes the fallback path.
  const std::string text = serialize_run_file(sample_run());
  std::string wide = text;
  wide.replace(wide.find("\"model\""), 0, "\"note\": 123456789012345678901234567890,\n  ");
  auto parsed = parse_run_file(wide, "f");
  REQUIRE(parsed.ok());
  CHECK(serialize_run_file(*parsed) == text);
  // And a bad field in such a file is named as on the fast path.
  wide.replace(wide.find("\"correct\":true"), 14, "\"correct\":\"yes\"");
  CHECK(parse_run_file(wide, "f").status().message() ==
        "f: benches.arith.items[0].samples[0]: field 'correct' has the wrong type (string)");
}

TEST_CASE("benches load in name order, and a bench named twice is an error", "[record]") {
  RunFile run = sample_run();
  BenchRecord second = run.benches[0];
  second.name = "aaa";
  run.benches.push_back(second);  // written after "arith"
  auto parsed = parse_run_file(serialize_run_file(run), "f");
  REQUIRE(parsed.ok());
  REQUIRE(parsed->benches.size() == 2);
  CHECK(parsed->benches[0].name == "aaa");
  CHECK(parsed->benches[1].name == "arith");
  run.benches[1].name = "arith";
  CHECK(parse_run_file(serialize_run_file(run), "f").status().message() == "f: bench 'arith' appears twice");
}

TEST_CASE("an item keeps its prompt's opening: whitespace folded, cut at a code point", "[runfile]") {
  CHECK(qdrift::prompt_opening("  Compute\n\n 2 +\t2.  ") == "Compute 2 + 2.");
  std::string long_prompt(158, 'a'), expected(158, 'a');
  long_prompt.append("é€x");  // é ends at byte 160, € would cross it
  expected.append("é");
  CHECK(qdrift::prompt_opening(long_prompt) == expected);
  CHECK(qdrift::prompt_opening(std::string("bad \xff byte")) == "bad \xEF\xBF\xBD byte");
}

TEST_CASE("a baseline of repeats round-trips, summarises its first repeat, and refuses repeats below 1", "[record]") {
  RunFile run = sample_run();
  BenchRecord& bench = run.benches[0];
  bench.repeats = 2;
  bench.items[0].samples.push_back({false, "4", "stop", 10, 0, ""});  // repeat 1 of a-1: wrong
  bench.items[1].samples.push_back({true, "7", "stop", 10, 0, ""});   // repeat 1 of a-2: right
  bench.items[2].samples.push_back({true, "7", "stop", 10, 0, ""});
  const std::string text = serialize_run_file(run);
  CHECK(text.find("\"repeats\": 2,\n") != std::string::npos);
  auto parsed = parse_run_file(text, "x.json");
  REQUIRE(parsed.ok());
  CHECK(parsed->benches[0].repeats == 2);
  CHECK(serialize_run_file(*parsed) == text);
  CHECK(summarize(parsed->benches[0]).accuracy == Approx(1.0 / 3));  // the first repeat's, as before
  const BenchRecord one = first_repeat(parsed->benches[0]);
  CHECK(one.repeats == 1);
  CHECK(one.items[1].samples.size() == 1);
  std::string zero = text;
  zero.replace(zero.find("\"repeats\": 2"), 12, "\"repeats\": 0");
  auto refused = parse_run_file(zero, "x.json");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().message().find("'repeats' must be at least 1") != std::string::npos);
}

TEST_CASE("item lines are written by hand with ordered_json's bytes", "[record]") {
  RunFile run = sample_run();
  ItemRecord& item = run.benches[0].items[0];
  item.stratum = "law";
  item.weight = 1.0 / 3;
  item.detail = "choices shuffled";
  item.prompt_opening = "Quote \"this\"\tand \x01 é";
  item.position = 17;
  SampleRecord full{true, "4\n2", "tool_calls", 123, 45, "", "right: \\boxed{42}"};
  full.turns = 3;
  full.turn_cap_hit = true;
  full.tool_calls = 2;
  full.tool_errors = 1;
  full.judge_verdict = "pass";
  full.judge_repeat = "fail";
  full.judge_key = "k";
  full.error = "bad \xFF byte";
  item.samples = {full, SampleRecord{false, "", "length", 0, 0, "", ""}};

  nlohmann::ordered_json samples = nlohmann::ordered_json::array();
  for (const SampleRecord& s : item.samples) {
    nlohmann::ordered_json j = {{"correct", s.correct}, {"answer", s.answer}, {"finish", s.finish},
                                {"completion_tokens", s.completion_tokens}, {"reasoning_tokens", s.reasoning_tokens}};
    if (s.turns != 1) j["turns"] = s.turns;
    if (s.turn_cap_hit) j["turn_cap_hit"] = true;
    if (s.tool_calls != 0) j["tool_calls"] = s.tool_calls;
    if (s.tool_errors != 0) j["tool_errors"] = s.tool_errors;
    if (!s.judge_verdict.empty()) j["judge"] = s.judge_verdict;
    if (!s.judge_repeat.empty()) j["judge_repeat"] = s.judge_repeat;
    if (!s.judge_key.empty()) j["judge_key"] = s.judge_key;
    if (!s.error.empty()) j["error"] = s.error;
    j["explanation"] = s.explanation;
    samples.push_back(j);
  }
  nlohmann::ordered_json line = {{"id", item.id}, {"stratum", item.stratum}, {"weight", item.weight},
                                 {"detail", item.detail}, {"prompt_opening", item.prompt_opening},
                                 {"position", *item.position}, {"samples", samples}};
  const std::string expected = line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  const std::string text = serialize_run_file(run);
  CHECK(text.find(expected) != std::string::npos);
  auto parsed = parse_run_file(text, "x.json");
  REQUIRE(parsed.ok());
  CHECK(parsed->benches[0].items[0].samples[0].judge_key == "k");
}
