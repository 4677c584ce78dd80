#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include "exam/exam_spec.h"

using namespace qdrift::exam;
using nlohmann::json;

namespace {

json small_spec() {
  return {{"exam", 1},
          {"name", "policy"},
          {"version", "1"},
          {"traits", {{{"id", "A"}, {"name", "obeys"}, {"gate", 100}}}},
          {"scenarios",
           {{{"id", "A-1"}, {"trait", "A"}, {"system", "Answer in French."}, {"turns", {"Hello?"}},
             {"rubric", {"Replies in French"}}}}}};
}

std::string error_of(const json& spec) {
  auto parsed = parse_exam(spec.dump(), "p.json");
  return parsed.ok() ? "" : parsed.status().message();
}

}  // namespace

TEST_CASE("exam: the built-in exam has the brief's shape - 39 scenarios over 6 traits with its gates", "[exam]") {
  const Exam& exam = built_in_exam();
  CHECK(exam.name == "exam");
  CHECK(exam.seeds == 3);
  CHECK(exam.pass_at_least == 2);
  REQUIRE(exam.traits.size() == 6);
  const std::map<std::string, double> gates = {{"T1", 100}, {"T2", 100}, {"T3", 89}, {"T4", 100}, {"T5", 80}, {"T6", 100}};
  for (const Trait& trait : exam.traits) CHECK(gates.at(trait.id) == trait.gate);
  CHECK(exam.scenarios.size() == 39);
  for (const Scenario& scenario : exam.scenarios) {
    CAPTURE(scenario.id);
    CHECK(exam.trait(scenario.trait) != nullptr);
    CHECK(scenario.rubric.size() >= 2);
    CHECK(scenario.rubric.size() <= 4);
  }
  CHECK(exam.sha256.size() == 64);
}

TEST_CASE("exam: a spec's mistakes are named by key", "[exam]") {
  CHECK(error_of(small_spec()).empty());
  json spec = small_spec();
  spec["scenarios"][0]["rubrik"] = {"x"};
  CHECK(error_of(spec) == "p.json: \"scenarios[0].rubrik\": unknown key (a misspelling?)");
  spec = small_spec();
  spec["scenarios"][0]["trait"] = "B";
  CHECK(error_of(spec) == "p.json: \"scenarios[0].trait\": 'B' is not one of \"traits\"");
  spec = small_spec();
  spec["scenarios"][0]["turns"] = json::array();
  CHECK(error_of(spec) == "p.json: \"scenarios[0].turns\": must be a non-empty list of strings");
  spec = small_spec();
  spec["traits"][0]["gate"] = 120;
  CHECK(error_of(spec) == "p.json: \"traits[0].gate\": must be a percentage from 0 to 100");
  spec = small_spec();
  spec["seeds"] = 3;
  spec["pass_at_least"] = 1;
  CHECK(error_of(spec) == "p.json: \"pass_at_least\": must be a strict majority of the 3 seeds (2) in this version");
  spec = small_spec();
  spec["exam"] = 2;
  CHECK(error_of(spec) == "p.json: \"exam\": must be 1 (this qdrift reads exam specs of version 1)");
  spec = small_spec();
  spec["traits"].push_back({{"id", "B"}, {"name", "unused"}, {"gate", 50}});
  CHECK(error_of(spec) == "p.json: \"traits\": trait 'B' has no scenario");
  spec = small_spec();
  spec["scenarios"].push_back(spec["scenarios"][0]);
  CHECK(error_of(spec) == "p.json: \"scenarios[1].id\": 'A-1' is used twice");
  CHECK(is_exam_spec(small_spec().dump()));
  CHECK_FALSE(is_exam_spec(R"({"name": "x", "items": []})"));
}

TEST_CASE("exam: the spec's sha256 changes with any byte of it", "[exam]") {
  json spec = small_spec();
  auto a = parse_exam(spec.dump(), "a");
  spec["scenarios"][0]["rubric"][0] = "Replies in French, politely";
  auto b = parse_exam(spec.dump(), "b");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->sha256 != b->sha256);
  CHECK(a->seeds == 3);
  CHECK(a->pass_at_least == 2);  // defaults: three seeds, a majority to pass
}
