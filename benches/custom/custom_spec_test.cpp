// Custom bench specs: a good spec parses with its defaults; each bad spec is
// one exact line naming the file and the key; prompt templates render and
// reject malformed braces.
#include "custom/custom_spec.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace qdrift;
using namespace qdrift::custom;
using nlohmann::json;

namespace {

json good_spec() {
  return {{"spec", 1},
          {"name", "quiz"},
          {"version", "3"},
          {"data", "rows.jsonl"},
          {"prompt", "Q: {question}\n{choices}\nAnswer with a letter."},
          {"type", "multiple_choice"},
          {"answer_field", "answer"},
          {"choices_field", "options"}};
}

// The error message of parsing `spec` as "dir/t.json", or "" when it parses.
std::string error_of(const json& spec) {
  auto parsed = parse_custom_spec(spec.dump(), "dir/t.json");
  return parsed.ok() ? "" : parsed.status().message();
}

json with(json spec, const std::string& key, json value) {
  spec[key] = std::move(value);
  return spec;
}

json without(json spec, const std::string& key) {
  spec.erase(key);
  return spec;
}

}  // namespace

TEST_CASE("a good spec parses - defaults filled - data relative to the spec", "[custom]") {
  auto spec = parse_custom_spec(good_spec().dump(), "dir/t.json");
  REQUIRE(spec.ok());
  CHECK(spec->name == "quiz");
  CHECK(spec->version == "3");
  CHECK(spec->summary == "custom bench from t.json");
  CHECK(spec->data_path == "dir/rows.jsonl");
  CHECK(spec->data_format == LocalFormat::kJsonl);
  CHECK_FALSE(spec->source);
  CHECK(spec->type == AnswerType::kMultipleChoice);
  CHECK(spec->choices_list_field == "options");
  CHECK_FALSE(spec->think);
  CHECK(spec->samples == 1);
  CHECK(spec->max_tokens == 2048);
  CHECK(spec->sha256.size() == 64);
  CHECK(spec->prompt.fields() == std::vector<std::string>{"question", "choices"});

  json full = good_spec();
  full.erase("data");
  full["source"] = {{"dataset", "org/quiz"}, {"split", "test"}};
  full["choices_field"] = {"A", "B", "C"};
  full["mode"] = "think";
  full["samples"] = 4;
  full["max_tokens"] = 8192;
  full["extract"] = "ANSWER=(\\w)";
  full["id_field"] = "qid";
  full["stratum_field"] = "topic";
  auto other = parse_custom_spec(full.dump(), "t.json");
  REQUIRE(other.ok());
  REQUIRE(other->source);
  CHECK(other->source->dataset == "org/quiz");
  CHECK(other->source->config == "default");
  CHECK(other->choice_fields == std::vector<std::string>{"A", "B", "C"});
  CHECK(other->think);
  CHECK(other->samples == 4);
  CHECK(other->extract);
  CHECK(other->sha256 != spec->sha256);  // the content, not the name, identifies a spec

  auto csv = parse_custom_spec(with(good_spec(), "data", "/abs/rows.csv").dump(), "dir/t.json");
  REQUIRE(csv.ok());
  CHECK(csv->data_path == "/abs/rows.csv");
  CHECK(csv->data_format == LocalFormat::kCsv);
}

TEST_CASE("a bad spec is one line naming the file and the key", "[custom]") {
  const json spec = good_spec();
  CHECK(error_of(with(spec, "type", "essay")) ==
        "dir/t.json: \"type\": unknown type 'essay' (multiple_choice, short_answer, numeric)");
  CHECK(error_of(without(spec, "answer_field")) == "dir/t.json: \"answer_field\" is required");
  CHECK(error_of(without(spec, "prompt")) == "dir/t.json: \"prompt\" is required");
  CHECK(error_of(without(spec, "data")) == "dir/t.json: \"data\" or \"source\" is required");
  CHECK(error_of(with(spec, "promt", "x")) == "dir/t.json: unknown key \"promt\" (did you mean \"prompt\"?)");
  CHECK(error_of(with(spec, "colour", "x")).starts_with("dir/t.json: unknown key \"colour\" (known keys: spec, name,"));
  CHECK(error_of(with(spec, "extract", "Answer: (")) ==
        "dir/t.json: \"extract\": bad regex: missing closing parenthesis at offset 9");
  CHECK(error_of(with(spec, "spec", 2)) ==
        "dir/t.json: \"spec\": format version 2 is not supported (this qdrift reads 1)");
  CHECK(error_of(without(spec, "spec")) == "dir/t.json: \"spec\" is required");
  CHECK(error_of(with(spec, "data", "rows.txt")) == "dir/t.json: \"data\": 'rows.txt' is neither .jsonl nor .csv");
  CHECK(error_of(with(spec, "source", {{"dataset", "a/b"}, {"split", "test"}})) ==
        "dir/t.json: \"source\": give \"data\" or \"source\", not both");
  CHECK(error_of(with(without(spec, "data"), "source", {{"dataset", "a/b"}, {"splitt", "test"}})) ==
        "dir/t.json: \"source.splitt\": unknown key (did you mean \"split\"?)");
  CHECK(error_of(with(without(spec, "data"), "source", {{"dataset", "a/b"}})) ==
        "dir/t.json: \"source.split\" is required");
  CHECK(error_of(with(spec, "prompt", "{question}")) ==
        "dir/t.json: \"prompt\": a multiple_choice prompt must contain {choices}");
  CHECK(error_of(with(spec, "prompt", "Q: {question")) ==
        "dir/t.json: \"prompt\": unmatched '{' at offset 3 (write '{{' for a literal brace)");
  CHECK(error_of(without(spec, "choices_field")) == "dir/t.json: \"choices_field\" is required");
  CHECK(error_of(with(spec, "choices_field", json::array({"A"}))) ==
        "dir/t.json: \"choices_field\": must name a list field, or be a list of 2 to 26 field names");
  CHECK(error_of(with(spec, "type", "numeric")) ==
        "dir/t.json: \"choices_field\": only for \"type\": \"multiple_choice\"");
  CHECK(error_of(with(spec, "mode", "fast")) == "dir/t.json: \"mode\": 'fast' is neither \"think\" nor \"no-think\"");
  CHECK(error_of(with(spec, "samples", 0)) == "dir/t.json: \"samples\": must be a positive integer");
  CHECK(error_of(with(spec, "max_tokens", "lots")) == "dir/t.json: \"max_tokens\": must be a positive integer");
  CHECK(error_of(with(spec, "name", "a,b")) ==
        "dir/t.json: \"name\": use letters, digits, '_', '-' and '.' (it names the bench on the command line)");
  CHECK(error_of(with(spec, "version", 2)) == "dir/t.json: \"version\": must be a non-empty string");
  CHECK(parse_custom_spec("{\"spec\": 1,", "t.json").status().message().starts_with("t.json: invalid JSON: "));
  CHECK(parse_custom_spec("[1]", "t.json").status().message() == "t.json: a bench spec is a JSON object");
  // A number no double holds was an uncaught exception (the gap fuzzing found in the run-file loader).
  CHECK(parse_custom_spec("{\"spec\": 1e999}", "t.json").status().message() ==
        "t.json: invalid JSON: number overflow parsing '1e999'");
  // Every error is one line: a CI log shows it whole.
  CHECK(error_of(with(spec, "extract", "(?<")).find('\n') == std::string::npos);
}

TEST_CASE("prompt templates fill placeholders - escape braces - reject malformed ones", "[custom]") {
  auto t = PromptTemplate::parse("Q{{{n}}}: {question} {{literal}} {n}");
  REQUIRE(t.ok());
  CHECK(t->fields() == std::vector<std::string>{"n", "question"});
  auto text = t->render({{"n", "7"}, {"question", "Why {so}?"}, {"unused", "x"}});
  REQUIRE(text.ok());
  CHECK(*text == "Q{7}: Why {so}? {literal} 7");  // values are not templates themselves
  CHECK(t->render({{"n", "7"}}).status().message() == "no field \"question\"");

  CHECK(PromptTemplate::parse("a } b").status().message() ==
        "unmatched '}' at offset 2 (write '}}' for a literal brace)");
  CHECK(PromptTemplate::parse("a {b {c}").status().message() ==
        "unmatched '{' at offset 2 (write '{{' for a literal brace)");
  CHECK(PromptTemplate::parse("{}").status().message() == "empty placeholder {} at offset 0");
  auto plain = PromptTemplate::parse("no fields at all");
  REQUIRE(plain.ok());
  CHECK(plain->fields().empty());
  CHECK(*plain->render({}) == "no fields at all");
}
