// Transcripts: every message of every episode, kept in a sidecar file beside the
// run file (`<out>.transcripts.jsonl`) so a reader can see how a sample reached
// its answer while the run file itself stays small. Keyed like the run file's
// samples: bench, item id, sample index.
//
// File format: JSON Lines. Line 1 is the header {"schema":1,"kind":"transcripts"};
// each further line is one finished episode:
//   {"bench":"b","id":"i","sample":0,"messages":[{"role":"user","content":"…"},
//    {"role":"assistant","content":"","reasoning":"…","tool_calls":[{"id":"c1",
//     "name":"bash","arguments":"{\"cmd\":\"ls\"}"}],"finish":"tool_calls"},
//    {"role":"tool","tool_call_id":"c1","content":"…"}]}
// Fields that are empty are left out, except `content`. Text that was not UTF-8
// is written with U+FFFD in place of each bad byte.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "qdrift/record.h"
#include "qdrift/status.h"

namespace qdrift {

inline constexpr int kTranscriptsSchema = 1;

struct TranscriptToolCall {
  std::string id;
  std::string name;
  std::string arguments;  // JSON text, as the model wrote it (a server that sends an object: its text)
};

// The fields after `content` have initialisers, so {role, content} builds a plain message.
struct TranscriptMessage {
  std::string role;  // "system" | "user" | "assistant" | "tool"
  std::string content;
  std::string reasoning{};                       // assistant: the reasoning the server returned apart
  std::vector<TranscriptToolCall> tool_calls{};  // assistant: the tools it asked for
  std::string tool_call_id{};                    // tool: the call this message answers
  std::string finish{};                          // assistant: finish_reason of this turn ("stop", "tool_calls", ...)
};

struct Transcript {
  SampleKey key;
  std::vector<TranscriptMessage> messages;
};

// "<out>.transcripts.jsonl": the sidecar of run file `out`.
std::string transcripts_path(const std::string& out);

// One episode's line, without its newline.
std::string transcript_line(const Transcript& transcript);
// The header line, without its newline.
std::string transcripts_header_line();

// Reads a finished sidecar file in file order. Every problem is an error naming
// the file and line ("t.jsonl: line 4: messages[2]: field 'role' has the wrong
// type (number)"); a header from a newer qdrift is refused.
Result<std::vector<Transcript>> load_transcripts(const std::string& path);

// An episode as plain text: one "[role] content" line per message, tool calls
// indented under the message that asked for them.
std::string transcript_text(const Transcript& transcript);

// Pieces shared with the writer; `where` starts each error message.
Status check_transcripts_header(const nlohmann::json& j, const std::string& where);
Result<Transcript> transcript_from_json(const nlohmann::json& j, const std::string& where);

}  // namespace qdrift
