#include <catch2/catch.hpp>

#include "process.h"
#include "qdrift/transcript.h"

using namespace qdrift;
using qdrift::testing::TempDir;
using qdrift::testing::write_text;

TEST_CASE("a transcript line keeps every message field - empty ones left out", "[transcripts]") {
  Transcript t{{"agent", "q-7", 1}, {}};
  t.messages.push_back({"user", "How many rows?"});
  TranscriptMessage call{"assistant", ""};
  call.reasoning = "count them";
  call.tool_calls = {{"c1", "bash", "{\"cmd\":\"wc -l data.csv\"}"}};
  call.finish = "tool_calls";
  t.messages.push_back(call);
  TranscriptMessage result{"tool", "41 data.csv"};
  result.tool_call_id = "c1";
  t.messages.push_back(result);
  const std::string line = transcript_line(t);
  CHECK(line == R"({"bench":"agent","id":"q-7","sample":1,"messages":[{"role":"user","content":"How many rows?"},)"
                R"({"role":"assistant","content":"","reasoning":"count them","tool_calls":[{"id":"c1","name":"bash",)"
                R"("arguments":"{\"cmd\":\"wc -l data.csv\"}"}],"finish":"tool_calls"},)"
                R"({"role":"tool","content":"41 data.csv","tool_call_id":"c1"}]})");
  TempDir dir;
  const std::string path = dir.file("load");
  write_text(path, transcripts_header_line() + "\n" + line + "\n");
  auto loaded = load_transcripts(path);
  REQUIRE(loaded.ok());
  REQUIRE(loaded->size() == 1);
  const Transcript& back = (*loaded)[0];
  CHECK(back.key == t.key);
  REQUIRE(back.messages.size() == 3);
  CHECK(back.messages[1].reasoning == "count them");
  CHECK(back.messages[1].tool_calls[0].name == "bash");
  CHECK(back.messages[1].tool_calls[0].arguments == "{\"cmd\":\"wc -l data.csv\"}");
  CHECK(back.messages[1].finish == "tool_calls");
  CHECK(back.messages[2].tool_call_id == "c1");
  CHECK(transcript_line(back) == line);
}

TEST_CASE("transcripts files are validated line by line", "[transcripts]") {
  TempDir dir;
  const std::string path = dir.file("bad");
  const std::string header = transcripts_header_line() + "\n";
  const std::string good = R"({"bench":"b","id":"i","sample":0,"messages":[{"role":"user","content":"hi"}]})";
  auto error_for = [&](const std::string& text) {
    write_text(path, text);
    return load_transcripts(path).status().message();
  };
  CHECK(error_for(header + good + "\n" + R"({"bench":"b","id":"j","sample":0,"messages":[{"role":7,"content":""}]})" +
                  "\n") == path + ": line 3: messages[0]: field 'role' has the wrong type (number)");
  CHECK(error_for(header + R"({"bench":"b","id":"j","sample":0,"messages":[{"role":"robot","content":""}]})" + "\n") ==
        path + ": line 2: messages[0]: unknown role \"robot\" (system, user, assistant or tool)");
  CHECK(error_for(header +
                  R"({"bench":"b","id":"j","sample":0,"messages":[{"role":"assistant","content":"",)"
                  R"("tool_calls":[{"id":"c","name":"bash","arguments":{}}]}]})" +
                  "\n") == path + ": line 2: messages[0].tool_calls[0]: field 'arguments' has the wrong type (object)");
  CHECK(error_for(header + R"({"bench":"b","id":"j","sample":"0","messages":[]})" + "\n") ==
        path + ": line 2: field 'sample' has the wrong type (string)");
  CHECK(error_for(header + R"({"bench":"b","id":"j","sample":0})" + "\n") ==
        path + ": line 2: 'messages' must be a list");
  CHECK(error_for(header + "[1]\n" + good + "\n") == path + ": line 2: not a JSON object");
  CHECK(error_for(header + good.substr(0, 20)) == path + ": the last line is cut short");
  CHECK(error_for("") == path + ": empty file, not a qdrift transcripts file");
  CHECK(error_for(R"({"schema":1,"kind":"baseline"})"
                  "\n") == path + ": line 1: not a qdrift transcripts file");
  CHECK(error_for(R"({"schema":2,"kind":"transcripts"})"
                  "\n") ==
        path +
            ": line 1: written by a newer qdrift (transcripts schema 2); this qdrift reads schema 1: upgrade qdrift");
  write_text(path, header);
  auto none = load_transcripts(path);
  REQUIRE(none.ok());
  CHECK(none->empty());
}
