// The OpenAI-compatible chat client's data: sampling presets (DESIGN §3), the
// request body qdrift sends (one-shot prompts and multi-turn conversations with
// tool calls), and the parse of what vLLM, SGLang, TGI and llama.cpp send back
// (content, reasoning in any of its three shapes, tool calls, finish reason, usage).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qdrift/status.h"

namespace qdrift {

// Official Qwen sampling; a run records exactly what it sent.
struct SamplingParams {
  bool think = false;             // chat_template_kwargs.enable_thinking
  double temperature = 0.7;       // think 0.6, no-think 0.7
  double top_p = 0.8;             // think 0.95, no-think 0.8
  int top_k = 20;                 // both modes
  double min_p = 0.0;             // both modes
  double presence_penalty = 1.5;  // think 0, no-think 1.5
  int max_tokens = 2048;          // the bench's own cap unless overridden
};

// The preset for a mode; max_tokens is left at its default for the bench to set.
SamplingParams sampling_preset(bool think);

// Command-line overrides; an unset field keeps the preset.
struct SamplingOverrides {
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<int> top_k;
  std::optional<double> min_p;
  std::optional<double> presence_penalty;
  std::optional<int> max_tokens;
};
SamplingParams apply_overrides(SamplingParams params, const SamplingOverrides& overrides);

// One function call the model asked for. `arguments` is JSON text as the model
// wrote it: vLLM and OpenAI send it as a string, TGI and llama.cpp as an object,
// which is kept as its compact dump; it is not checked to be valid JSON, because a
// model that writes broken arguments is what a bench should see and score.
struct ToolCall {
  std::string id;         // echoed back as the tool message's tool_call_id
  std::string name;       // function.name
  std::string arguments;  // function.arguments, JSON text
};

struct ChatMessage {
  std::string role;  // "system", "user", "assistant" or "tool"
  std::string content;
  // The fields below default to {} so that {role, content} stays a complete
  // initializer (-Wmissing-field-initializers) for the one-shot benches.
  std::vector<ToolCall> tool_calls = {};  // assistant: the calls it made (sent back as asked)
  std::string tool_call_id = {};          // tool: the call this message answers
  // assistant: the turn's reasoning, kept for the transcript; never sent back,
  // since chat templates drop earlier turns' reasoning and a server may reject it.
  std::string reasoning = {};
};

struct ChatRequest {
  std::string model;
  std::vector<ChatMessage> messages;
  SamplingParams sampling;
  std::int64_t seed = 0;       // per request: see request_seed()
  std::string tools_json = {};  // the `tools` array as JSON text; "" = no tools sent
};

// The JSON body for POST {base}/chat/completions. A message without tool fields
// is {"content","role"} exactly as one-shot benches have always sent it; an
// assistant message with tool calls sends content null when it has none. A
// tools_json that is not JSON goes out as a string, so the server's 400 names it.
std::string chat_request_body(const ChatRequest& request);

// The largest chat completion body accepted for a request capped at `max_tokens`:
// 256 bytes a token, never under 4 MiB (8 MiB at 32768 tokens). A real token is a
// few bytes, ~100 at worst JSON-escaped, and some servers send the reasoning twice
// (`reasoning` and `reasoning_content`); a bigger body comes from a broken server
// or proxy, not a model, and is cut off and reported rather than held in memory.
std::size_t chat_response_cap(int max_tokens);

// A per-request seed from (run seed, bench, item id, sample index, turn), in
// [0, 2^31) because some servers reject seeds outside a signed 32-bit int. Turn 0
// gives the seed one-shot runs have always used, so their results do not move;
// each later turn of a conversation gets its own, so a resumed episode replays.
std::int64_t request_seed(std::uint64_t run_seed, std::string_view bench, std::string_view item_id,
                          int sample_index, int turn = 0);

struct ChatResponse {
  std::string content;        // the answer, with any <think> block removed
  std::string reasoning;      // message.reasoning, .reasoning_content, or the <think> block
  std::string finish_reason;  // "stop", "length", "tool_calls", ...; "" when the server sent none
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  // From usage.completion_tokens_details.reasoning_tokens when the server reports it;
  // otherwise completion_tokens split by the reasoning share of the generated text.
  std::int64_t reasoning_tokens = 0;
  // message.tool_calls, in the server's order; last and defaulted so that
  // {content, reasoning, finish_reason} stays a complete initializer.
  std::vector<ToolCall> tool_calls = {};
};

// Parses a chat completion body; a malformed one is a BadInput status saying why.
// A reply with tool calls may have null content; one with no content, reasoning or
// tool calls (and not cut off at the cap) holds no answer and is BadInput.
Result<ChatResponse> parse_chat_response(std::string_view body);

// The server's own words from an error body (vLLM/OpenAI `{"error": {...}}` or
// `{"message": ...}`, FastAPI `{"detail": ...}`), else the body's first 200 bytes.
std::string server_error_message(std::string_view body);

// Removes user:password@ from a URL so it can be logged and stored.
std::string redact_url(std::string_view url);

}  // namespace qdrift
