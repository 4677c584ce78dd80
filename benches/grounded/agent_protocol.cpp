// Reading an agent's reply: fenced bash blocks, FINAL ANSWER lines, and native
// tool calls in the shapes servers actually send.
#include "grounded/agent_protocol.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace qdrift::grounded {

using nlohmann::json;

namespace {

std::string_view trim(std::string_view text) {
  const auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::size_t stop = end == std::string_view::npos ? text.size() : end;
    std::string_view line = text.substr(start, stop - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return lines;
}

struct Fence {
  std::string tag;  // the info string, lower-cased ("bash", "" ...)
  std::string body;
  bool closed = false;
};

// Every ``` block of a text, in order. A fence line opens with ``` and an
// optional info string; the next line starting with ``` closes it.
std::vector<Fence> fences(std::string_view text) {
  std::vector<Fence> found;
  std::optional<Fence> open;
  for (std::string_view line : split_lines(text)) {
    const std::string_view stripped = trim(line);
    if (stripped.substr(0, 3) != "```") {
      if (open) open->body.append(line).push_back('\n');
      continue;
    }
    if (open) {
      open->closed = true;
      found.push_back(std::move(*open));
      open.reset();
    } else {
      open = Fence{lower(trim(stripped.substr(3))), "", false};
    }
  }
  if (open) found.push_back(std::move(*open));
  return found;
}

bool is_shell_tag(const std::string& tag) { return tag == "bash" || tag == "sh" || tag == "shell"; }

// The arguments of a call as an object: JSON text of an object, or of a string
// holding an object's JSON (some servers encode twice).
std::optional<json> arguments_object(std::string_view text) {
  json parsed = json::parse(text, nullptr, false);
  if (parsed.is_string()) parsed = json::parse(parsed.get<std::string>(), nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
  return parsed;
}

// The string field `key` of a call's arguments, or why there is none.
std::optional<std::string> string_argument(const ToolCall& call, const char* key, std::string& why) {
  const std::optional<json> args = arguments_object(call.arguments);
  if (!args) {
    why = fmt::format("the arguments of {} are not a JSON object", call.name);
    return std::nullopt;
  }
  auto it = args->find(key);
  if (it == args->end()) {
    why = fmt::format("{} needs the argument \"{}\"", call.name, key);
    return std::nullopt;
  }
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number()) return it->dump();  // submit(answer=12.5) is still an answer
  why = fmt::format("the argument \"{}\" of {} is not a string", key, call.name);
  return std::nullopt;
}

// Hermes-style calls a server left in the content: <tool_call>{"name": ...,
// "arguments": {...}}</tool_call>.
std::vector<ToolCall> calls_in_content(std::string_view content) {
  static constexpr std::string_view kOpen = "<tool_call>", kClose = "</tool_call>";
  std::vector<ToolCall> calls;
  std::size_t at = 0;
  while ((at = content.find(kOpen, at)) != std::string_view::npos) {
    const std::size_t body = at + kOpen.size();
    std::size_t end = content.find(kClose, body);
    if (end == std::string_view::npos) end = content.size();
    const json parsed = json::parse(content.substr(body, end - body), nullptr, false);
    ToolCall call{fmt::format("call_content_{}", calls.size()), "", "{}"};
    if (parsed.is_object()) {
      call.name = parsed.value("name", "");
      if (auto args = parsed.find("arguments"); args != parsed.end())
        call.arguments = args->is_string() ? args->get<std::string>() : args->dump();
    }
    calls.push_back(std::move(call));
    at = end;
  }
  return calls;
}

AgentAction from_calls(const std::vector<ToolCall>& calls) {
  AgentAction action;
  for (const ToolCall& call : calls) {
    std::string why;
    if (call.name == "submit") {
      if (std::optional<std::string> answer = string_argument(call, "answer", why)) {
        action.kind = AgentAction::Kind::kSubmit;
        action.answer = *answer;
        return action;
      }
    } else if (call.name == "bash") {
      if (std::optional<std::string> command = string_argument(call, "command", why)) {
        if (static_cast<int>(action.commands.size()) < kMaxCommandsPerTurn) {
          action.commands.push_back({call.id, *command});
          continue;
        }
        why = fmt::format("not run: at most {} commands per turn", kMaxCommandsPerTurn);
      }
    } else {
      why = fmt::format("unknown tool \"{}\"; the tools are bash and submit", call.name);
    }
    action.refused.push_back({call.id, why});
  }
  if (!action.commands.empty()) {
    action.kind = AgentAction::Kind::kRun;
  } else {
    action.problem = action.refused.empty() ? "no tool call" : action.refused.front().command;
  }
  return action;
}

}  // namespace

std::optional<ToolProtocol> parse_tool_protocol(std::string_view name) {
  if (name == "text") return ToolProtocol::kText;
  if (name == "native") return ToolProtocol::kNative;
  return std::nullopt;
}

std::string tool_protocol_name(ToolProtocol protocol) { return protocol == ToolProtocol::kNative ? "native" : "text"; }

std::optional<std::string> final_answer_line(std::string_view text) {
  std::optional<std::string> answer;
  for (std::string_view line : split_lines(text)) {
    std::string_view rest = trim(line);
    while (!rest.empty() && (rest.front() == '*' || rest.front() == '_' || rest.front() == '#')) rest.remove_prefix(1);
    if (lower(rest.substr(0, 12)) != "final answer") continue;
    rest.remove_prefix(12);
    while (!rest.empty() && (rest.front() == '*' || rest.front() == '_')) rest.remove_prefix(1);
    rest = trim(rest);
    if (rest.empty() || rest.front() != ':') continue;
    rest.remove_prefix(1);
    while (!rest.empty() && (rest.front() == '*' || rest.front() == '_' || rest.front() == ' ')) rest.remove_prefix(1);
    answer = std::string(trim(rest));
  }
  return answer;
}

AgentAction read_text_reply(std::string_view content) {
  std::vector<Fence> shell;
  for (Fence& fence : fences(content))
    if (is_shell_tag(fence.tag)) shell.push_back(std::move(fence));
  AgentAction action;
  if (shell.size() > 1) {
    action.problem = fmt::format("the reply has {} bash blocks; send exactly one", shell.size());
  } else if (shell.size() == 1 && !shell.front().closed) {
    action.problem = "the bash block is not closed with ``` (was the reply cut off?)";
  } else if (shell.size() == 1 && trim(shell.front().body).empty()) {
    action.problem = "the bash block is empty";
  } else if (shell.size() == 1) {
    action.kind = AgentAction::Kind::kRun;
    action.commands.push_back({"", shell.front().body});
  } else if (std::optional<std::string> answer = final_answer_line(content); answer && !answer->empty()) {
    action.kind = AgentAction::Kind::kSubmit;
    action.answer = *answer;
  } else {
    action.problem = "the reply has neither a ```bash block nor a FINAL ANSWER line";
  }
  return action;
}

AgentAction read_native_reply(const ChatResponse& reply) {
  if (!reply.tool_calls.empty()) return from_calls(reply.tool_calls);
  if (std::vector<ToolCall> calls = calls_in_content(reply.content); !calls.empty()) return from_calls(calls);
  AgentAction action;
  if (std::optional<std::string> answer = final_answer_line(reply.content); answer && !answer->empty()) {
    action.kind = AgentAction::Kind::kSubmit;
    action.answer = *answer;
  } else {
    action.problem = "the reply calls neither bash nor submit";
  }
  return action;
}

const std::string& native_tools_json() {
  static const std::string tools =
      json::array({
                      {{"type", "function"},
                       {"function",
                        {{"name", "bash"},
                         {"description", "Run one bash command in the sandbox and return its output and exit code."},
                         {"parameters",
                          {{"type", "object"},
                           {"properties",
                            {{"command", {{"type", "string"}, {"description", "The command to run with bash -c."}}}}},
                           {"required", {"command"}}}}}}},
                      {{"type", "function"},
                       {"function",
                        {{"name", "submit"},
                         {"description", "Submit the final answer, the value only, in the unit the question asks for."},
                         {"parameters",
                          {{"type", "object"},
                           {"properties", {{"answer", {{"type", "string"}, {"description", "The final answer."}}}}},
                           {"required", {"answer"}}}}}}},
                  })
          .dump();
  return tools;
}

}  // namespace qdrift::grounded
