// The ifeval bench: loading the synthetic tests/data file (and bad rows),
// scoring, and the simulator's writer round trip — its right answer graded
// right and its wrong answer wrong — on the synthetic items always and on all
// 541 public items when ../shared/data is present (conformance).
#include "ifeval/ifeval_bench.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>

#include "ifeval/writer.h"
#include "qdrift/bench_sim.h"
#include "rows/offline_query.h"

using namespace qdrift;

namespace {

const std::string& kTestData = rows::kTestDataDir;
constexpr std::uint64_t kNoises[] = {0, 1, 2, 3, 256, 515, 0x9E3779B97F4A7C15ull, 0xFFFFFFFFFFFFFFFFull};


const Bench& bench() {
  const Bench* found = find_bench("ifeval");
  REQUIRE(found);
  return *found;
}

const BenchSim& sim() {
  const BenchSim* found = find_bench_sim("ifeval");
  REQUIRE(found);
  return *found;
}

// Writes `lines` as the ifeval file of a fresh data dir and returns the load error.
std::string load_error(const std::vector<std::string>& lines) {
  const std::string dir = std::filesystem::temp_directory_path() / "qdrift-ifeval-bad-rows";
  std::filesystem::create_directories(dir + "/ifeval");
  std::ofstream out(dir + "/ifeval/input_data.jsonl");
  for (const std::string& line : lines) out << line << "\n";
  out.close();
  auto items = bench().items(rows::offline_query(dir));
  std::string message = items.ok() ? "loaded" : items.status().message();
  std::filesystem::remove_all(dir);
  const std::string prefix = dir + "/ifeval/input_data.jsonl: ";
  return message.rfind(prefix, 0) == 0 ? message.substr(prefix.size()) : message;
}

}  // namespace

TEST_CASE("ifeval bench reads the synthetic items with their instructions", "[ifeval]") {
  auto items = bench().items(rows::offline_query(kTestData));
  INFO((items.ok() ? "" : items.status().message()));
  REQUIRE(items.ok());
  REQUIRE(items->size() == 11);
  CHECK(items->front().id == "ifeval-1");
  CHECK(items->back().id == "ifeval-11");
  // Row 1 has the Hugging Face layout: null kwargs are dropped, not pinned.
  auto first = ifeval::item_instructions(items->front());
  REQUIRE(first.ok());
  REQUIRE(first->size() == 3);
  CHECK(first->at(1).kwargs == nlohmann::json({{"relation", "at least"}, {"num_words", 120}}));
  CHECK(items->front().answer.find("null") == std::string::npos);
  CHECK(bench().chat(items->front()).back().content == items->front().prompt);
  CHECK(bench().items(rows::offline_query(kTestData, Tier::kSmoke))->size() == 11);  // smoke: up to 50
  CHECK(bench().defaults().think == false);
  CHECK(bench().sources().front().local_file == "ifeval/input_data.jsonl");
}

TEST_CASE("ifeval bench names the file row and field of a bad row", "[ifeval]") {
  const std::string good =
      R"({"key": 1, "prompt": "p", "instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}]})";
  CHECK(load_error({good}) == "loaded");
  CHECK(load_error({good, R"({"key": 2, "prompt": "p", "instruction_id_list": ["keywords:nope"], "kwargs": [{}]})"}) ==
        "row 2: field 'instruction_id_list': unknown instruction id 'keywords:nope'");
  CHECK(load_error({R"({"key": 1, "prompt": "p", "instruction_id_list": ["keywords:frequency"],)"
                    R"( "kwargs": [{"keyword": "x", "frequency": 2}]})"}) ==
        "row 1: field 'kwargs': instruction 1 (keywords:frequency): missing kwarg 'relation'");
  CHECK(load_error({R"({"key": 1, "prompt": "p", "instruction_id_list": ["punctuation:no_comma"], "kwargs": []})"}) ==
        "row 1: field 'kwargs' has 0 entries for 1 instructions");
  CHECK(load_error({R"({"key": 1, "instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}]})"}) ==
        "row 1: field 'prompt' is missing");
  CHECK(load_error({good, good}) == "row 2: field 'key' repeats key 1");
  CHECK(load_error({R"({"key": 1, "prompt": "p", "instruction_id_list": [], "kwargs": []})"}) ==
        "row 1: field 'instruction_id_list' is empty");
}

TEST_CASE("ifeval score is prompt-level strict and explains the first miss", "[ifeval]") {
  Item item;
  item.id = "ifeval-t";
  item.prompt = "Two rules.";
  item.answer = R"([{"id":"punctuation:no_comma","kwargs":{}},{"id":"startend:quotation","kwargs":{}}])";
  const Score right = bench().score(item, {"\"Fine words here.\"", "", "stop"});
  CHECK(right.correct);
  CHECK(right.answer == "SS");
  CHECK(right.explanation == "strict 2/2, loose 2/2");
  const Score wrong = bench().score(item, {"Fine, words here.", "", "stop"});
  CHECK_FALSE(wrong.correct);
  CHECK(wrong.answer == "--");
  CHECK(wrong.explanation == "strict 0/2, loose 0/2; first failure: punctuation:no_comma: contains a comma");
  // A response in quotes after a first line: followed once loosened.
  const Score loose = bench().score(item, {"Here it is\n\"Fine words here.\"", "", "stop"});
  CHECK(loose.answer == "SL");
  CHECK_THAT(loose.explanation, Catch::StartsWith("strict 1/2, loose 2/2; first failure: startend:quotation"));
}

TEST_CASE("ifeval writer answers the synthetic items right and wrong as asked", "[ifeval]") {
  auto items = bench().items(rows::offline_query(kTestData));
  REQUIRE(items.ok());
  for (const Item& item : *items) {
    for (std::uint64_t noise : kNoises) {
      const ChatResponse right{sim().write_answer(item, item.prompt, true, noise), "", "stop"};
      const ChatResponse wrong{sim().write_answer(item, item.prompt, false, noise), "", "stop"};
      const Score r = bench().score(item, right), w = bench().score(item, wrong);
      INFO(item.id << " noise " << noise << "\nright: " << right.content << "\n-> " << r.explanation
                   << "\nwrong: " << wrong.content << "\n-> " << w.explanation);
      CHECK(r.correct);
      CHECK_FALSE(w.correct);
      CHECK_FALSE(wrong.content.empty());  // broken on purpose, not left blank
    }
  }
}

TEST_CASE("ifeval writer breaks the instruction the noise picks", "[ifeval]") {
  const std::vector<ifeval::Instruction> instructions = {
      {"punctuation:no_comma", {}}, {"detectable_format:title", {}}, {"startend:quotation", {}}};
  for (std::uint64_t noise = 0; noise < 3; ++noise) {
    auto text = ifeval::write_response("p", instructions, false, noise);
    REQUIRE(text);
    auto graded = ifeval::evaluate("p", instructions, *text);
    REQUIRE(graded.ok());
    INFO(*text);
    CHECK_FALSE(graded->instructions[noise].strict);
  }
  CHECK_FALSE(ifeval::write_response("p", {{"keywords:nope", {}}}, true, 0));
}

TEST_CASE("conformance: the writer's answers to every public IFEval item grade as intended", "[ifeval][conformance]") {
  const std::string shared = QDRIFT_SHARED_DATA;
  if (!std::filesystem::exists(shared + "/ifeval/input_data.jsonl")) {
    WARN("skipped: " << shared << "/ifeval/input_data.jsonl is absent");
    return;
  }
  auto items = bench().items(rows::offline_query(shared));
  INFO((items.ok() ? "" : items.status().message()));
  REQUIRE(items.ok());
  REQUIRE(items->size() == 541);
  // Items no response can get right: the request to repeat word for word
  // already breaks another instruction, and no text after it can mend that.
  const std::map<std::string, std::string> impossible = {
      {"ifeval-374", "the request contains both forbidden words"},
      {"ifeval-1627", "the request contains a comma; commas are forbidden"},
      {"ifeval-3369", "the request says 'right' twice; fewer than 2 are allowed"},
      {"ifeval-3371", "the request contains the three forbidden words"},
      {"ifeval-3718", "the request contains a comma; commas are forbidden"},
  };
  int right_misses = 0, wrong_misses = 0, checked = 0;
  for (const Item& item : *items) {
    auto instructions = ifeval::item_instructions(item);
    REQUIRE(instructions.ok());
    const bool possible = impossible.count(item.id) == 0;
    if (!possible) {
      for (const ifeval::Instruction& instruction : *instructions) {
        if (instruction.id != "combination:repeat_prompt") continue;
        const std::string request = instruction.kwargs["prompt_to_repeat"];
        auto graded = ifeval::evaluate(item.prompt, *instructions, request);
        REQUIRE(graded.ok());
        INFO(item.id << ": " << impossible.at(item.id));
        CHECK_FALSE(graded->prompt_strict);
      }
    }
    for (std::uint64_t noise : kNoises) {
      const ChatResponse right{sim().write_answer(item, item.prompt, true, noise), "", "stop"};
      const ChatResponse wrong{sim().write_answer(item, item.prompt, false, noise), "", "stop"};
      const Score r = bench().score(item, right), w = bench().score(item, wrong);
      INFO(item.id << " noise " << noise << ": " << item.answer << "\nright: " << right.content << "\n-> "
                   << r.explanation << "\nwrong: " << wrong.content << "\n-> " << w.explanation);
      CHECK(r.correct == possible);  // where right is impossible the sim serves a wrong answer
      CHECK_FALSE(w.correct);
      CHECK_FALSE(wrong.content.empty());  // broken on purpose, not left blank
      right_misses += r.correct != possible;
      wrong_misses += w.correct || wrong.content.empty();
      ++checked;
    }
  }
  CHECK(checked == 8 * 541);
  CHECK(right_misses == 0);
  CHECK(wrong_misses == 0);
}
