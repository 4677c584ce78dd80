// How the grounded agent talks: what a model's reply asks for (run a command,
// submit an answer, or neither), in either of two protocols that are part of
// the bench's settings, so a baseline and a candidate always used the same one.
//   text   (default, every server): one fenced ```bash block runs a command; a
//          line "FINAL ANSWER: <value>" ends the episode.
//   native (--tool-protocol native): the tools bash(command) and submit(answer)
//          through the API's tools / tool_calls, with the arguments as a JSON
//          string (vLLM, OpenAI) or object (TGI, llama.cpp), and a Hermes-style
//          <tool_call>{...}</tool_call> left in the content when the server's
//          tool parser is off.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qdrift/openai.h"

namespace qdrift::grounded {

enum class ToolProtocol { kText, kNative };
std::optional<ToolProtocol> parse_tool_protocol(std::string_view name);  // "text" | "native"
std::string tool_protocol_name(ToolProtocol protocol);

// One command the reply asks to run, with the id its result must answer
// (native protocol; "" in the text protocol).
struct CommandCall {
  std::string id;
  std::string command;
};

struct AgentAction {
  enum class Kind {
    kRun,     // commands to run, in order
    kSubmit,  // the final answer
    kNeither  // neither: the model gets a reminder (`problem` says what was wrong)
  };
  Kind kind = Kind::kNeither;
  std::vector<CommandCall> commands;  // kRun
  std::string answer;                 // kSubmit
  std::string problem;                // kNeither: one line, for the reminder and the record
  // Native calls the reply made that are not run (an unknown tool, bad
  // arguments, beyond the per-turn limit): each still needs a tool message
  // answering its id, as the API requires one per call.
  std::vector<CommandCall> refused;  // command = why it was refused
};

// The most commands one reply may run; further calls are refused.
inline constexpr int kMaxCommandsPerTurn = 4;

// Text protocol. Exactly one ```bash (or ```sh / ```shell) block runs; a
// reply with a command and a FINAL ANSWER line runs the command (the answer
// was written before its evidence); two or more blocks, or an unclosed one
// (a reply cut at the token cap), are a format problem.
AgentAction read_text_reply(std::string_view content);

// Native protocol: tool_calls first, then <tool_call> blocks in the content,
// then (leniently) a FINAL ANSWER line in the content.
AgentAction read_native_reply(const ChatResponse& reply);

// The last "FINAL ANSWER: <value>" line of a text, markdown emphasis allowed
// around the label; nullopt when there is none.
std::optional<std::string> final_answer_line(std::string_view text);

// The `tools` array offering bash(command) and submit(answer), as JSON text.
const std::string& native_tools_json();

}  // namespace qdrift::grounded
