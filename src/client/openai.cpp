// Chat request bodies and response parsing for OpenAI-compatible servers.
#include "qdrift/openai.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/json_reader.h"
#include "util/simdjson_view.h"
#include "util/hash.h"
#include "util/json_append.h"
#include "util/json_text.h"
#include "util/utf8.h"

namespace qdrift {

using nlohmann::json;

SamplingParams sampling_preset(bool think) {
  SamplingParams p;
  p.think = think;
  if (think) {
    p.temperature = 0.6;
    p.top_p = 0.95;
    p.presence_penalty = 0.0;
  } else {
    p.temperature = 0.7;
    p.top_p = 0.8;
    p.presence_penalty = 1.5;
  }
  p.top_k = 20;
  p.min_p = 0.0;
  return p;
}

SamplingParams apply_overrides(SamplingParams p, const SamplingOverrides& o) {
  if (o.temperature) p.temperature = *o.temperature;
  if (o.top_p) p.top_p = *o.top_p;
  if (o.top_k) p.top_k = *o.top_k;
  if (o.min_p) p.min_p = *o.min_p;
  if (o.presence_penalty) p.presence_penalty = *o.presence_penalty;
  if (o.max_tokens) p.max_tokens = *o.max_tokens;
  return p;
}

namespace {

// One message as the server reads it. Only the fields a role uses are sent, so a
// plain message is {"content","role"}; reasoning stays behind. OpenAI's shape for
// tool calls: arguments as a JSON string, content null when there is none. Keys
// in nlohmann's (sorted) order.
void append_message(std::string& out, const ChatMessage& m) {
  out += '{';
  JsonMembers message(out);
  if (m.content.empty() && !m.tool_calls.empty())
    message.null("content");
  else
    message.text("content", m.content);
  message.text("role", m.role);
  if (!m.tool_call_id.empty()) message.text("tool_call_id", m.tool_call_id);
  if (!m.tool_calls.empty()) {
    std::string calls = "[";
    for (const ToolCall& call : m.tool_calls) {
      if (calls.size() > 1) calls += ',';
      calls += "{\"function\":{";
      JsonMembers(calls).text("arguments", call.arguments).text("name", call.name);
      calls += '}';
      JsonMembers(calls, false).text("id", call.id).text("type", "function");
      calls += '}';
    }
    calls += ']';
    message.raw("tool_calls", calls);
  }
  out += '}';
}

}  // namespace

// Written by hand, not through a json value: a run builds one per request, and
// nlohmann's tree cost more than everything else on the way out. The keys keep
// nlohmann's sorted order, so the bytes are the same (openai_test.cpp checks it).
std::string chat_request_body(const ChatRequest& request) {
  const SamplingParams& s = request.sampling;
  std::size_t size = 320 + request.model.size() + request.tools_json.size();
  for (const ChatMessage& m : request.messages) size += m.content.size() + 48;
  std::string out;
  out.reserve(size);
  std::string messages = "[";
  for (const ChatMessage& m : request.messages) {
    if (messages.size() > 1) messages += ',';
    append_message(messages, m);
  }
  messages += ']';
  out += '{';
  JsonMembers body(out);
  body.raw("chat_template_kwargs", s.think ? "{\"enable_thinking\":true}" : "{\"enable_thinking\":false}")
      .integer("max_tokens", s.max_tokens)
      .raw("messages", messages)
      .number("min_p", s.min_p)
      .text("model", request.model)
      .number("presence_penalty", s.presence_penalty)
      .integer("seed", request.seed)
      .boolean("stream", false)
      .number("temperature", s.temperature);
  if (!request.tools_json.empty()) {
    json tools = json::parse(request.tools_json, nullptr, /*allow_exceptions=*/false);
    body.raw("tools", json_text(tools.is_discarded() ? json(request.tools_json) : tools));
  }
  body.integer("top_k", s.top_k).number("top_p", s.top_p);
  out += '}';
  return out;
}

std::size_t chat_response_cap(int max_tokens) {
  constexpr std::size_t kFloor = 4u << 20, kBytesPerToken = 256;
  return std::max(kFloor, kBytesPerToken * static_cast<std::size_t>(std::max(max_tokens, 0)));
}

std::int64_t request_seed(std::uint64_t run_seed, std::string_view bench, std::string_view item_id,
                          int sample_index, int turn) {
  const std::string seed_text = std::to_string(run_seed);
  const std::string sample_text = std::to_string(sample_index);
  // Turn 0 hashes the same four parts as before turns existed: one-shot seeds stay put.
  const std::uint64_t hash = turn == 0 ? hash_parts({seed_text, bench, item_id, sample_text})
                                       : hash_parts({seed_text, bench, item_id, sample_text, std::to_string(turn)});
  return static_cast<std::int64_t>(hash & 0x7fffffffULL);
}

namespace {

// Splits "<think>...</think>rest" (some servers leave reasoning inline).
void split_think_tags(ChatResponse& r) {
  static constexpr std::string_view kOpen = "<think>", kClose = "</think>";
  const std::size_t close = r.content.find(kClose);
  if (close == std::string::npos) {
    // A generation cut off inside its reasoning has an opening tag only.
    const std::size_t open = r.content.find(kOpen);
    if (open != std::string::npos) {
      r.reasoning = r.content.substr(open + kOpen.size());
      r.content.clear();
    }
    return;
  }
  std::size_t open = r.content.rfind(kOpen, close);
  std::size_t begin = open == std::string::npos ? 0 : open + kOpen.size();
  r.reasoning = r.content.substr(begin, close - begin);
  std::string rest = r.content.substr(close + kClose.size());
  rest.erase(0, rest.find_first_not_of(" \t\r\n"));
  r.content = std::move(rest);
}

// The readers below take a JSON view (util/json_reader.h): simdjson's tape on
// the fast path, nlohmann's DOM for what simdjson rejects, with the same words.
template <typename View>
std::string string_or_empty(View object, const char* key) {
  const std::optional<View> value = object.find(key);
  if (!value || !value->is_string()) return {};
  return value->get_string();
}

// A token count; anything but a non-negative integer (a string, 1e300, -3) reads as 0.
template <typename View>
std::int64_t count_or_zero(View object, const char* key) {
  const std::optional<View> value = object.find(key);
  if (!value || !value->is_number_integer()) return 0;
  if (value->is_number_unsigned()) return static_cast<std::int64_t>(std::min<std::uint64_t>(value->get_uint64(), INT64_MAX));
  return std::max<std::int64_t>(0, value->get_int64());
}

// "a number", "an object", ... for "X is a number, not a string".
template <typename View>
std::string a_type(View value) {
  const std::string name = value.type_name();
  return (name == "array" || name == "object" ? "an " : "a ") + name;
}

template <typename View>
bool absent(const std::optional<View>& value) {
  return !value || value->is_null();
}

// One entry of message.tool_calls; `where` names it in the reason ("choices[0].message.tool_calls[1]").
template <typename View>
Result<ToolCall> parse_tool_call(View entry, const std::string& where) {
  if (!entry.is_object()) return Status::BadInput(fmt::format("{} is {}, not an object", where, a_type(entry)));
  ToolCall call;
  if (const std::optional<View> id = entry.find("id"); !absent(id)) {
    if (!id->is_string()) return Status::BadInput(fmt::format("{}.id is {}, not a string", where, a_type(*id)));
    call.id = id->get_string();
  }
  const std::optional<View> function = entry.find("function");
  if (absent(function)) return Status::BadInput(where + " has no function");
  if (!function->is_object())
    return Status::BadInput(fmt::format("{}.function is {}, not an object", where, a_type(*function)));
  const std::optional<View> name = function->find("name");
  if (absent(name)) return Status::BadInput(where + ".function has no name");
  if (!name->is_string())
    return Status::BadInput(fmt::format("{}.function.name is {}, not a string", where, a_type(*name)));
  call.name = name->get_string();
  // vLLM and OpenAI send a JSON string; TGI and llama.cpp an object, kept as its text.
  if (const std::optional<View> arguments = function->find("arguments"); !absent(arguments)) {
    if (arguments->is_string())
      call.arguments = arguments->get_string();
    else if (arguments->is_object())
      call.arguments = arguments->dump();
    else
      return Status::BadInput(fmt::format("{}.function.arguments is {}, not a string or an object", where,
                                          a_type(*arguments)));
  }
  return call;
}

// message.tool_calls: absent, null or [] is none.
template <typename View>
Result<std::vector<ToolCall>> parse_tool_calls(View message) {
  static const std::string kWhere = "choices[0].message.tool_calls";
  const std::optional<View> calls = message.find("tool_calls");
  if (absent(calls)) return std::vector<ToolCall>{};
  if (!calls->is_array()) return Status::BadInput(fmt::format("{} is {}, not an array", kWhere, a_type(*calls)));
  std::vector<ToolCall> parsed;
  QDRIFT_TRY(calls->each([&](std::size_t i, View entry) -> Status {
    auto call = parse_tool_call(entry, fmt::format("{}[{}]", kWhere, i));
    if (!call.ok()) return call.status();
    parsed.push_back(std::move(call).value());
    return Status::Ok();
  }));
  return parsed;
}

template <typename View>
Result<ChatResponse> chat_response_at(View doc) {
  if (!doc.is_object()) return Status::BadInput("response is not a JSON object");
  const std::optional<View> choices = doc.find("choices");
  if (absent(choices) || (choices->is_array() && choices->size() == 0))
    return Status::BadInput("response has no choices");
  if (!choices->is_array())
    return Status::BadInput(fmt::format("response's choices is {}, not an array", a_type(*choices)));
  std::optional<View> first;
  (void)choices->each([&](std::size_t i, View value) {
    if (i == 0) first = value;
    return Status::Ok();
  });
  const View choice = *first;
  if (!choice.is_object()) return Status::BadInput(fmt::format("choices[0] is {}, not an object", a_type(choice)));
  const std::optional<View> message = choice.find("message");
  if (absent(message)) return Status::BadInput("choices[0] has no message");
  if (!message->is_object())
    return Status::BadInput(fmt::format("choices[0].message is {}, not an object", a_type(*message)));
  if (const std::optional<View> content = message->find("content"); !absent(content) && !content->is_string())
    return Status::BadInput(fmt::format("choices[0].message.content is {}, not a string", a_type(*content)));

  auto tool_calls = parse_tool_calls(*message);
  if (!tool_calls.ok()) return tool_calls.status();

  ChatResponse r;
  r.tool_calls = std::move(tool_calls).value();
  r.content = string_or_empty(*message, "content");
  r.reasoning = string_or_empty(*message, "reasoning");  // vLLM >= 0.10
  if (r.reasoning.empty()) r.reasoning = string_or_empty(*message, "reasoning_content");
  if (r.reasoning.empty()) split_think_tags(r);
  r.finish_reason = string_or_empty(choice, "finish_reason");
  // Nothing at all, yet not cut off: no model answer is in this body. (A thinking
  // model cut at the cap has reasoning and finish "length": that is a cap hit; a
  // reply that only calls tools has null content and is an answer.)
  if (r.content.empty() && r.reasoning.empty() && r.tool_calls.empty() && r.finish_reason != "length")
    return Status::BadInput("choices[0].message.content is null or empty");

  if (const std::optional<View> usage = doc.find("usage"); usage && usage->is_object()) {
    r.prompt_tokens = count_or_zero(*usage, "prompt_tokens");
    r.completion_tokens = count_or_zero(*usage, "completion_tokens");
    if (const std::optional<View> details = usage->find("completion_tokens_details"); details && details->is_object())
      r.reasoning_tokens = count_or_zero(*details, "reasoning_tokens");
  }
  if (r.reasoning_tokens == 0 && !r.reasoning.empty() && r.completion_tokens > 0) {
    // No count from the server: split the completion tokens by text length.
    const double share = static_cast<double>(r.reasoning.size()) /
                         static_cast<double>(r.reasoning.size() + r.content.size());
    r.reasoning_tokens = std::llround(share * static_cast<double>(r.completion_tokens));
  }
  // A server that reports more reasoning tokens than it generated is wrong about
  // one of them; the reasoning ratio must stay a share.
  r.reasoning_tokens = std::min(r.reasoning_tokens, r.completion_tokens);
  return r;
}

}  // namespace

Result<ChatResponse> parse_chat_response(std::string_view body) {
  // simdjson first: a run reads one of these per request, and its tape costs no
  // allocation per value. What it rejects is read again by nlohmann, whose
  // verdict (and words) stand, as they always have.
  {
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(body.data(), body.size()).get(doc) == simdjson::SUCCESS) return chat_response_at(SimdjsonView(doc));
  }
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    // JSON is UTF-8 (RFC 8259); name the encoding when that is what broke.
    if (const std::size_t bad = first_invalid_utf8(body); bad != std::string_view::npos)
      return Status::BadInput(fmt::format("response is not valid UTF-8 (byte {} of {})", bad, body.size()));
    return Status::BadInput("response is not JSON");
  }
  return chat_response_at(NlohmannView(doc));
}

std::string server_error_message(std::string_view body) {
  json doc = json::parse(body, nullptr, false);
  if (!doc.is_discarded() && doc.is_object()) {
    if (auto error = doc.find("error"); error != doc.end()) {
      if (error->is_string()) return error->get<std::string>();
      if (error->is_object()) {
        std::string message = string_or_empty(NlohmannView(*error), "message");
        if (!message.empty()) return message;
      }
    }
    std::string message = string_or_empty(NlohmannView(doc), "message");
    if (!message.empty()) return message;
    if (auto detail = doc.find("detail"); detail != doc.end())
      return detail->is_string() ? detail->get<std::string>() : detail->dump();
  }
  // Not a JSON error: quote the start of the body, as valid UTF-8, since the
  // message may become a failed sample's stored reason.
  std::string text = printable_utf8(utf8_prefix(body, 200));
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text.empty() ? "(empty body)" : text;
}

std::string redact_url(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const std::size_t host_start = scheme + 3;
  const std::size_t path_start = url.find('/', host_start);
  const std::size_t at = url.rfind('@', path_start == std::string_view::npos ? url.size() : path_start);
  if (at == std::string_view::npos || at < host_start) return std::string(url);
  return std::string(url.substr(0, host_start)) + std::string(url.substr(at + 1));
}

}  // namespace qdrift
