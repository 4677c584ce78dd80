// Chat request bodies and response parsing for OpenAI-compatible servers.
#include "qdrift/openai.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/hash.h"
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
// plain message is {"content","role"} as it always was; reasoning stays behind.
json message_json(const ChatMessage& m) {
  json message = {{"role", m.role}, {"content", m.content}};
  if (!m.tool_calls.empty()) {
    // OpenAI's shape: arguments as a JSON string, content null when there is none.
    if (m.content.empty()) message["content"] = nullptr;
    json calls = json::array();
    for (const ToolCall& call : m.tool_calls)
      calls.push_back({{"id", call.id},
                       {"type", "function"},
                       {"function", {{"name", call.name}, {"arguments", call.arguments}}}});
    message["tool_calls"] = std::move(calls);
  }
  if (!m.tool_call_id.empty()) message["tool_call_id"] = m.tool_call_id;
  return message;
}

}  // namespace

std::string chat_request_body(const ChatRequest& request) {
  json messages = json::array();
  for (const ChatMessage& m : request.messages) messages.push_back(message_json(m));
  const SamplingParams& s = request.sampling;
  json body = {
      {"model", request.model},
      {"messages", std::move(messages)},
      {"temperature", s.temperature},
      {"top_p", s.top_p},
      {"top_k", s.top_k},
      {"min_p", s.min_p},
      {"presence_penalty", s.presence_penalty},
      {"max_tokens", s.max_tokens},
      {"seed", request.seed},
      {"stream", false},
      {"chat_template_kwargs", {{"enable_thinking", s.think}}},
  };
  if (!request.tools_json.empty()) {
    json tools = json::parse(request.tools_json, nullptr, /*allow_exceptions=*/false);
    body["tools"] = tools.is_discarded() ? json(request.tools_json) : std::move(tools);
  }
  return json_text(body);  // a --model or prompt that is not UTF-8 must not throw
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

std::string string_or_empty(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  return {};
}

// A token count; anything but a non-negative integer (a string, 1e300, -3) reads as 0.
std::int64_t count_or_zero(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) return 0;
  if (it->is_number_unsigned()) return static_cast<std::int64_t>(std::min<std::uint64_t>(it->get<std::uint64_t>(), INT64_MAX));
  return std::max<std::int64_t>(0, it->get<std::int64_t>());
}

// "a number", "an object", ... for "X is a number, not a string".
std::string a_type(const json& value) {
  const std::string name = value.type_name();
  return (name == "array" || name == "object" ? "an " : "a ") + name;
}

// One entry of message.tool_calls; `where` names it in the reason ("choices[0].message.tool_calls[1]").
Result<ToolCall> parse_tool_call(const json& entry, const std::string& where) {
  if (!entry.is_object()) return Status::BadInput(fmt::format("{} is {}, not an object", where, a_type(entry)));
  ToolCall call;
  if (auto id = entry.find("id"); id != entry.end() && !id->is_null()) {
    if (!id->is_string()) return Status::BadInput(fmt::format("{}.id is {}, not a string", where, a_type(*id)));
    call.id = id->get<std::string>();
  }
  auto function = entry.find("function");
  if (function == entry.end() || function->is_null()) return Status::BadInput(where + " has no function");
  if (!function->is_object())
    return Status::BadInput(fmt::format("{}.function is {}, not an object", where, a_type(*function)));
  auto name = function->find("name");
  if (name == function->end() || name->is_null()) return Status::BadInput(where + ".function has no name");
  if (!name->is_string())
    return Status::BadInput(fmt::format("{}.function.name is {}, not a string", where, a_type(*name)));
  call.name = name->get<std::string>();
  // vLLM and OpenAI send a JSON string; TGI and llama.cpp an object, kept as its text.
  if (auto arguments = function->find("arguments"); arguments != function->end() && !arguments->is_null()) {
    if (arguments->is_string())
      call.arguments = arguments->get<std::string>();
    else if (arguments->is_object())
      call.arguments = json_text(*arguments);
    else
      return Status::BadInput(fmt::format("{}.function.arguments is {}, not a string or an object", where,
                                          a_type(*arguments)));
  }
  return call;
}

// message.tool_calls: absent, null or [] is none.
Result<std::vector<ToolCall>> parse_tool_calls(const json& message) {
  static const std::string kWhere = "choices[0].message.tool_calls";
  auto calls = message.find("tool_calls");
  if (calls == message.end() || calls->is_null()) return std::vector<ToolCall>{};
  if (!calls->is_array()) return Status::BadInput(fmt::format("{} is {}, not an array", kWhere, a_type(*calls)));
  std::vector<ToolCall> parsed;
  for (std::size_t i = 0; i < calls->size(); ++i) {
    auto call = parse_tool_call((*calls)[i], fmt::format("{}[{}]", kWhere, i));
    if (!call.ok()) return call.status();
    parsed.push_back(std::move(call).value());
  }
  return parsed;
}

}  // namespace

Result<ChatResponse> parse_chat_response(std::string_view body) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    // JSON is UTF-8 (RFC 8259); name the encoding when that is what broke.
    if (const std::size_t bad = first_invalid_utf8(body); bad != std::string_view::npos)
      return Status::BadInput(fmt::format("response is not valid UTF-8 (byte {} of {})", bad, body.size()));
    return Status::BadInput("response is not JSON");
  }
  if (!doc.is_object()) return Status::BadInput("response is not a JSON object");
  auto choices = doc.find("choices");
  if (choices == doc.end() || choices->is_null() || (choices->is_array() && choices->empty()))
    return Status::BadInput("response has no choices");
  if (!choices->is_array())
    return Status::BadInput(fmt::format("response's choices is {}, not an array", a_type(*choices)));
  const json& choice = (*choices)[0];
  if (!choice.is_object()) return Status::BadInput(fmt::format("choices[0] is {}, not an object", a_type(choice)));
  auto message = choice.find("message");
  if (message == choice.end() || message->is_null()) return Status::BadInput("choices[0] has no message");
  if (!message->is_object())
    return Status::BadInput(fmt::format("choices[0].message is {}, not an object", a_type(*message)));
  auto content = message->find("content");
  if (content != message->end() && !content->is_null() && !content->is_string())
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

  if (auto usage = doc.find("usage"); usage != doc.end() && usage->is_object()) {
    r.prompt_tokens = count_or_zero(*usage, "prompt_tokens");
    r.completion_tokens = count_or_zero(*usage, "completion_tokens");
    if (auto details = usage->find("completion_tokens_details");
        details != usage->end() && details->is_object())
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

std::string server_error_message(std::string_view body) {
  json doc = json::parse(body, nullptr, false);
  if (!doc.is_discarded() && doc.is_object()) {
    if (auto error = doc.find("error"); error != doc.end()) {
      if (error->is_string()) return error->get<std::string>();
      if (error->is_object()) {
        std::string message = string_or_empty(*error, "message");
        if (!message.empty()) return message;
      }
    }
    std::string message = string_or_empty(doc, "message");
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
