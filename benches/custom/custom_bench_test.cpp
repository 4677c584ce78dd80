// Custom benches from spec files: items from JSONL and CSV rows, one-line
// errors naming the data file, line and field, registration rules, and the
// simulator's answers graded back as intended for every item.
#include "custom/custom_bench.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "custom/custom_items.h"
#include "custom/custom_sim.h"
#include "data/rows_cache.h"
#include "process.h"

using namespace qdrift;
using qdrift::testing::TempDir;
using qdrift::testing::write_text;

namespace {

const std::string kExamples = std::string(QDRIFT_SOURCE_DIR) + "/examples/tradequiz/";

// Writes spec.json (with `data_line` as its "data" entry) and the data file into `dir`.
std::string write_bench(const TempDir& dir, const std::string& spec_body, const std::string& data_name,
                        const std::string& data) {
  write_text(dir.file(data_name), data);
  const std::string path = dir.file("spec.json");
  write_text(path, "{\"spec\": 1, \"name\": \"mine\", \"version\": \"1\", \"data\": \"" + data_name + "\", " +
                       spec_body + "}");
  return path;
}

const std::string kChoiceSpec =
    R"("prompt": "{question}\n{choices}", "type": "multiple_choice", "answer_field": "answer", "choices_field": "options")";

std::string load_error(const std::string& path) {
  auto bench = load_custom_bench(path);
  return bench.ok() ? "" : bench.status().message();
}

// Every item, right and wrong, with several noise values: graded as written.
void check_round_trip(const Bench& bench, Tier tier = Tier::kFull) {
  auto items = bench.items({tier, 0, {}});
  REQUIRE(items.ok());
  REQUIRE_FALSE(items->empty());
  const std::unique_ptr<BenchSim> sim = make_custom_sim(bench);
  REQUIRE(sim);
  for (const Item& item : *items) {
    const std::string prompt = bench.chat(item).back().content;
    CHECK(sim->key(prompt) == sim->key(item.prompt));
    for (std::uint64_t noise : {0ULL, 1ULL, 0x1234ULL, 0xfedcba987654321ULL, 77777ULL}) {
      for (bool correct : {true, false}) {
        ChatResponse response;
        response.content = sim->write_answer(item, prompt, correct, noise);
        response.finish_reason = "stop";
        const Score score = bench.score(item, response);
        INFO(bench.name() << " " << item.id << " noise " << noise << ": " << response.content << " -> "
                          << score.explanation);
        CHECK(score.correct == correct);
        CHECK_FALSE(score.answer.empty());
        CHECK_FALSE(score.explanation.empty());
        CHECK(score.explanation.find('\n') == std::string::npos);
      }
    }
  }
}

}  // namespace

TEST_CASE("the tradequiz example loads - 40 items - versioned by its spec", "[custom]") {
  auto bench = load_custom_bench(kExamples + "tradequiz.json");
  INFO((bench.ok() ? "" : bench.status().message()));
  REQUIRE(bench.ok());
  const Bench& quiz = **bench;
  CHECK(quiz.name() == "tradequiz");
  CHECK(quiz.version().starts_with("1+spec."));
  CHECK(quiz.defaults().max_tokens == 1024);
  auto items = quiz.items({Tier::kStandard, 0, {}});
  REQUIRE(items.ok());
  REQUIRE(items->size() == 40);
  CHECK(items->front().id == "tq-001");
  CHECK(items->front().stratum == "microstructure");
  CHECK(items->front().prompt.find("\nA) ") != std::string::npos);
  CHECK(items->front().prompt.find("\nD) ") != std::string::npos);
  CHECK(items->front().prompt.find("{") == std::string::npos);
  REQUIRE(quiz.sources().size() == 1);
  CHECK(std::filesystem::path(quiz.sources()[0].local_file).is_absolute());
  check_round_trip(quiz);
}

TEST_CASE("the tradecalc example reads CSV with numeric answers", "[custom]") {
  auto bench = load_custom_bench(kExamples + "tradecalc.json");
  REQUIRE(bench.ok());
  auto items = (*bench)->items({Tier::kFull, 0, {}});
  REQUIRE(items.ok());
  REQUIRE(items->size() == 12);
  CHECK((*items)[3].answer == "50000");      // "50,000" in the file
  CHECK((*items)[11].answer == "30000000");  // "$30,000,000"
  CHECK((*items)[4].answer == "952.38");
  check_round_trip(**bench);
}

TEST_CASE("short answers - index and text golds - regex specs - round trip", "[custom]") {
  TempDir dir;
  SECTION("short_answer with the row number as id") {
    const std::string spec =
        write_bench(dir, R"("prompt": "{q}", "type": "short_answer", "answer_field": "a")", "d.jsonl",
                    "{\"q\": \"Capital of France?\", \"a\": \"Paris\"}\n\n{\"q\": \"Ticker?\", \"a\": \"AAPL\"}\n");
    auto bench = load_custom_bench(spec);
    REQUIRE(bench.ok());
    auto items = (*bench)->items({Tier::kFull, 0, {}});
    REQUIRE(items->size() == 2);
    CHECK((*items)[1].id == "2");
    check_round_trip(**bench);
  }
  SECTION("multiple choice from columns - golds as index and as option text - an extract regex") {
    const std::string spec =
        write_bench(dir,
                    R"("prompt": "{q}\n{choices}\nReply <answer>X</answer>.", "type": "multiple_choice",
           "answer_field": "gold", "choices_field": ["o1", "o2", "o3"], "extract": "<answer>(.*?)</answer>")",
                    "d.csv", "q,o1,o2,o3,gold\nPick two,one,two,three,1\n\"Pick\nthree\",one,two,three,three\n");
    auto bench = load_custom_bench(spec);
    INFO((bench.ok() ? "" : bench.status().message()));
    REQUIRE(bench.ok());
    auto items = (*bench)->items({Tier::kFull, 0, {}});
    REQUIRE(items->size() == 2);
    CHECK((*items)[0].answer == "B");
    CHECK((*items)[1].answer == "C");
    check_round_trip(**bench);
  }
}

TEST_CASE("bad data is one line naming the file - line - field", "[custom]") {
  TempDir dir;
  const std::string data = dir.file("d.jsonl"), spec = dir.file("spec.json");
  const std::string row = R"({"question": "Q", "options": ["x", "y"], "answer": "A"})";
  CHECK(load_error(write_bench(dir, kChoiceSpec, "d.jsonl", row + "\n\n{\"question\": \n"))
            .starts_with(data + ":3: invalid JSON: "));
  CHECK(load_error(
            write_bench(dir, kChoiceSpec, "d.jsonl", row + "\n" + R"({"question": "Q", "options": ["x", "y"]})")) ==
        data + ":2: no field \"answer\" (answer_field in " + spec + ")");
  CHECK(load_error(
            write_bench(dir, kChoiceSpec, "d.jsonl", R"({"question": "Q", "options": ["x", "y"], "answer": "C"})")) ==
        data +
            ":1: field \"answer\": \"C\" is not one of the 2 options (give a letter, a 0-based index or an option's "
            "text) (" +
            spec + ")");
  CHECK(load_error(
            write_bench(dir, kChoiceSpec, "d.jsonl", R"({"question": "Q", "options": "x or y", "answer": "A"})")) ==
        data + ":1: field \"options\": must be a list of 2 to 26 options (" + spec + ")");
  CHECK(load_error(write_bench(dir, R"("prompt": "{questoin}", "type": "numeric", "answer_field": "answer")", "d.jsonl",
                               R"({"question": "Q", "answer": 3})")) ==
        data + ":1: no field \"questoin\" (a {questoin} placeholder of the prompt in " + spec + ")");
  CHECK(load_error(write_bench(dir, R"("prompt": "{question}", "type": "numeric", "answer_field": "answer")", "d.jsonl",
                               R"({"question": "Q", "answer": "three"})")) ==
        data + ":1: field \"answer\": \"three\" is not a number (type numeric) (" + spec + ")");
  CHECK(load_error(write_bench(dir, R"("prompt": "{q}", "type": "short_answer", "answer_field": "a", "id_field": "id")",
                               "d.jsonl",
                               "{\"id\": 1, \"q\": \"Q\", \"a\": \"x\"}\n{\"id\": 1, \"q\": \"Q\", \"a\": \"y\"}")) ==
        data + ":2: field \"id\": id \"1\" also at " + data + ":1 (" + spec + ")");
  // CSV: the line where the bad record starts, after a record spanning two lines.
  const std::string csv = dir.file("d.csv");
  CHECK(load_error(write_bench(dir, R"("prompt": "{q}", "type": "numeric", "answer_field": "a")", "d.csv",
                               "q,a\n\"two\nlines\",1\n\nQ,x\n")) ==
        csv + ":5: field \"a\": \"x\" is not a number (type numeric) (" + spec + ")");
  CHECK(load_error(write_bench(dir, kChoiceSpec, "missing.jsonl", "")).find("no rows") != std::string::npos);
  std::filesystem::remove(dir.file("missing.jsonl"));
  CHECK(load_error(spec).starts_with(spec + ": \"data\": " + dir.file("missing.jsonl") + ": cannot open"));
}

TEST_CASE("row_lines follows the JSONL and CSV readers", "[custom]") {
  CHECK(custom::row_lines("{}\n\n  \n{}\r\n{}", LocalFormat::kJsonl) == std::vector<int>{1, 4, 5});
  CHECK(custom::row_lines("a,b\n\"x\n\"\"y\"\"\",1\r\n\n2,3\n", LocalFormat::kCsv) == std::vector<int>{2, 5});
}

TEST_CASE("registration - clashes with built-ins - duplicates - replacement", "[custom]") {
  TempDir dir;
  const std::string row = R"({"question": "Q", "options": ["x", "y"], "answer": "A"})";
  const std::string spec = write_bench(dir, kChoiceSpec, "d.jsonl", row);
  REQUIRE(register_custom_benches({spec, spec}).ok());  // one file named twice counts once
  const Bench* mine = find_bench("mine");
  REQUIRE(mine != nullptr);
  CHECK(custom_benches().size() == 1);
  CHECK(all_benches().back() == mine);
  const auto defaults = default_benches(Tier::kStandard);
  CHECK(std::find(defaults.begin(), defaults.end(), mine) != defaults.end());

  write_text(dir.file("clash.json"),
             R"({"spec": 1, "name": "arith", "version": "1", "data": "d.jsonl", )" + kChoiceSpec + "}");
  Status clash = register_custom_benches({dir.file("clash.json")});
  CHECK(clash.kind() == ErrorKind::kBadInput);
  CHECK(clash.message() == dir.file("clash.json") + ": \"name\": 'arith' is a built-in bench; pick another name");
  CHECK(find_bench("mine") == mine);  // a failed registration changes nothing

  std::filesystem::copy_file(spec, dir.file("again.json"));
  CHECK(register_custom_benches({spec, dir.file("again.json")}).message() ==
        dir.file("again.json") + ": \"name\": 'mine' is already defined by " + spec);

  REQUIRE(register_custom_benches({}).ok());
  CHECK(find_bench("mine") == nullptr);
  CHECK(custom_benches().empty());
  CHECK(mine->name() == "mine");  // replaced benches stay alive for pointers handed out earlier
}

TEST_CASE("specs are discovered as the json files of a directory", "[custom]") {
  TempDir dir;
  write_text(dir.file("b.json"), "{}");
  write_text(dir.file("a.json"), "{}");
  write_text(dir.file("notes.txt"), "");
  std::filesystem::create_directory(dir.file("sub.json"));
  CHECK(discover_custom_bench_files(dir.path()) == std::vector<std::string>{dir.file("a.json"), dir.file("b.json")});
  CHECK(discover_custom_bench_files(dir.file("absent")).empty());
}

TEST_CASE("a spec with a dataset viewer source reads its rows from the cache", "[custom]") {
  TempDir dir;
  write_text(dir.file("spec.json"),
             R"({"spec": 1, "name": "viewer", "version": "1", "source": {"dataset": "org/quiz", "split": "test"},
                 "prompt": "{q}", "type": "numeric", "answer_field": "a"})");
  auto bench = load_custom_bench(dir.file("spec.json"));  // no rows are read yet
  REQUIRE(bench.ok());
  REQUIRE((*bench)->sources().size() == 1);
  const DatasetSource source = (*bench)->sources()[0];
  CHECK(source.dataset == "org/quiz");
  CHECK(source.config == "default");

  DataOptions data;
  data.cache_dir = dir.file("cache");
  data.allow_network = false;
  CHECK_FALSE((*bench)->items({Tier::kFull, 0, data}).ok());  // not cached, and no network

  auto path = rows_cache_path(data.cache_dir, source);
  REQUIRE(path.ok());
  const std::vector<nlohmann::json> rows = {nlohmann::json{{"q", "1+1?"}, {"a", 2}},
                                            nlohmann::json{{"q", "2+2?"}, {"a", "four"}}};
  REQUIRE(write_rows_cache(*path, source, rows, "2026-01-01T00:00:00Z").ok());
  auto bad = (*bench)->items({Tier::kFull, 0, data});
  CHECK(bad.status().message() ==
        "org/quiz default/test row 2: field \"a\": \"four\" is not a number (type numeric) (" + dir.file("spec.json") +
            ")");
  REQUIRE(write_rows_cache(*path, source, {rows[0]}, "2026-01-01T00:00:00Z").ok());
  auto items = (*bench)->items({Tier::kFull, 0, data});
  REQUIRE(items.ok());
  REQUIRE(items->size() == 1);
  CHECK((*items)[0].prompt == "1+1?");
  CHECK((*items)[0].answer == "2");
}
