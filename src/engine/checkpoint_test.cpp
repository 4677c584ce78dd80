#include "engine/checkpoint.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using namespace qdrift;

namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("qdrift-checkpoint-test-" + name)).string();
}
void spit(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

const std::string kHeader = R"({"checkpoint":1})";
const std::string kLine1 = R"({"bench":"arith","id":"a-1","sample":0,"correct":true,"answer":"5","finish":"stop","completion_tokens":3,"reasoning_tokens":0})";
const std::string kLine2 = R"({"bench":"arith","id":"a-2","sample":0,"correct":false,"answer":"4","finish":"stop","completion_tokens":3,"reasoning_tokens":0})";

}  // namespace

TEST_CASE("a torn last checkpoint line is dropped and cut away before appending", "[checkpoint]") {
  const std::string path = temp_path("torn");
  spit(path, kHeader + "\n" + kLine1 + "\n" + kLine2.substr(0, 40));
  auto contents = read_checkpoint(path);
  REQUIRE(contents.ok());
  CHECK(contents->samples.size() == 1);
  CHECK(contents->dropped_lines == 1);
  CHECK(contents->kept_bytes == kHeader.size() + kLine1.size() + 2);

  CheckpointWriter writer;
  REQUIRE(writer.open(path, kHeader, /*append=*/true, contents->kept_bytes).ok());
  REQUIRE(writer.append({"arith", "a-2", 0}, SampleRecord{false, "4", "stop", 3, 0, ""}).ok());
  writer.close();
  // Without the cut the new line would follow the fragment and the file would not read.
  auto again = read_checkpoint(path);
  REQUIRE(again.ok());
  CHECK(again->samples.size() == 2);
  CHECK(again->dropped_lines == 0);
  std::filesystem::remove(path);
}

TEST_CASE("a whole last line without its newline is kept and ended before appending", "[checkpoint]") {
  const std::string path = temp_path("no-newline");
  spit(path, kHeader + "\n" + kLine1);
  auto contents = read_checkpoint(path);
  REQUIRE(contents.ok());
  CHECK(contents->samples.size() == 1);
  CHECK(contents->dropped_lines == 0);
  CheckpointWriter writer;
  REQUIRE(writer.open(path, kHeader, true, contents->kept_bytes).ok());
  REQUIRE(writer.append({"arith", "a-2", 0}, SampleRecord{false, "4", "stop", 3, 0, ""}).ok());
  writer.close();
  auto again = read_checkpoint(path);
  REQUIRE(again.ok());
  CHECK(again->samples.size() == 2);
  std::filesystem::remove(path);
}

TEST_CASE("an empty checkpoint or a torn header keeps nothing - a bad middle line names its line", "[checkpoint]") {
  const std::string path = temp_path("bad");
  spit(path, "");
  auto empty = read_checkpoint(path);
  REQUIRE(empty.ok());
  CHECK(empty->header.empty());
  spit(path, kHeader.substr(0, 9));
  auto torn_header = read_checkpoint(path);
  REQUIRE(torn_header.ok());
  CHECK(torn_header->header.empty());
  CHECK(torn_header->kept_bytes == 0);
  spit(path, kHeader + "\n" + kLine1.substr(0, 30) + "\n" + kLine2 + "\n");
  CHECK(read_checkpoint(path).status().message() == path + ": line 2: not a JSON object");
  spit(path, kHeader + "\n" + R"({"bench":"arith","id":"a-1","sample":0,"correct":"yes"})" + "\n");
  CHECK(read_checkpoint(path).status().message() == path + ": line 2: field 'correct' has the wrong type (string)");
  std::filesystem::remove(path);
}

TEST_CASE("checkpoint lines with answers that are not UTF-8 are written - not thrown", "[checkpoint]") {
  const std::string path = temp_path("utf8");
  CheckpointWriter writer;
  REQUIRE(writer.open(path, kHeader, false).ok());
  REQUIRE(writer.append({"arith", "a-1", 0}, SampleRecord{false, "4\xFF", "stop", 3, 0, ""}, "prompt\n\xC3").ok());
  writer.close();
  auto contents = read_checkpoint(path);
  REQUIRE(contents.ok());
  CHECK(contents->samples.begin()->second.answer == "4\xEF\xBF\xBD");  // U+FFFD
  std::filesystem::remove(path);
}

TEST_CASE("checkpoint lines carry the schema 2 sample fields - older lines read with defaults", "[checkpoint]") {
  const std::string path = temp_path("schema2");
  spit(path, kHeader + "\n" + kLine1 + "\n");  // written before explanations were kept
  SampleRecord agent{true, "42", "stop", 900, 0, ""};
  agent.explanation = "answered 42, expected 42";
  agent.turns = 7;
  agent.turn_cap_hit = true;
  agent.tool_errors = 1;
  agent.judge_verdict = "pass";
  CheckpointWriter writer;
  REQUIRE(writer.open(path, kHeader, /*append=*/true).ok());
  REQUIRE(writer.append({"agent", "q-1", 2}, agent).ok());
  writer.close();
  auto contents = read_checkpoint(path);
  REQUIRE(contents.ok());
  const SampleRecord& old = contents->samples.at({"arith", "a-1", 0});
  CHECK(old.explanation.empty());
  CHECK(old.turns == 1);
  const SampleRecord& back = contents->samples.at({"agent", "q-1", 2});
  CHECK(back.explanation == agent.explanation);
  CHECK(back.turns == 7);
  CHECK(back.turn_cap_hit);
  CHECK(back.tool_errors == 1);
  CHECK(back.judge_verdict == "pass");
  std::filesystem::remove(path);
}
