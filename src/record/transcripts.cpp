// The transcripts sidecar's line format and its validated loading.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "qdrift/transcript.h"
#include "util/json_reader.h"
#include "util/json_lines.h"
#include "util/json_text.h"

namespace qdrift {

using nlohmann::json;
using nlohmann::ordered_json;

std::string transcripts_path(const std::string& out) { return out + ".transcripts.jsonl"; }

std::string transcripts_header_line() {
  return json_text(ordered_json{{"schema", kTranscriptsSchema}, {"kind", "transcripts"}});
}

namespace {

ordered_json message_to_json(const TranscriptMessage& m) {
  ordered_json j = {{"role", m.role}, {"content", m.content}};
  if (!m.reasoning.empty()) j["reasoning"] = m.reasoning;
  if (!m.tool_calls.empty()) {
    ordered_json calls = ordered_json::array();
    for (const TranscriptToolCall& call : m.tool_calls)
      calls.push_back({{"id", call.id}, {"name", call.name}, {"arguments", call.arguments}});
    j["tool_calls"] = std::move(calls);
  }
  if (!m.tool_call_id.empty()) j["tool_call_id"] = m.tool_call_id;
  if (!m.finish.empty()) j["finish"] = m.finish;
  return j;
}

Result<TranscriptToolCall> tool_call_at(const json& j, const Where& where) {
  Reader r(j, where);
  QDRIFT_TRY(r.require_object());
  TranscriptToolCall call;
  QDRIFT_TRY(r.get("id", call.id));
  QDRIFT_TRY(r.get("name", call.name));
  QDRIFT_TRY(r.get("arguments", call.arguments));
  return call;
}

Result<TranscriptMessage> message_at(const json& j, const Where& where) {
  Reader r(j, where);
  QDRIFT_TRY(r.require_object());
  TranscriptMessage m;
  QDRIFT_TRY(r.get("role", m.role));
  if (m.role != "system" && m.role != "user" && m.role != "assistant" && m.role != "tool")
    return r.bad(fmt::format("unknown role \"{}\" (system, user, assistant or tool)", m.role));
  QDRIFT_TRY(r.get("content", m.content));
  QDRIFT_TRY(r.get("reasoning", m.reasoning, false));
  QDRIFT_TRY(r.get("tool_call_id", m.tool_call_id, false));
  QDRIFT_TRY(r.get("finish", m.finish, false));
  if (auto calls = j.find("tool_calls"); calls != j.end() && !calls->is_null()) {
    if (!calls->is_array()) return r.bad("'tool_calls' must be a list");
    for (std::size_t i = 0; i < calls->size(); ++i) {
      auto call = tool_call_at((*calls)[i], Where{nullptr, &where, ".tool_calls", i});
      if (!call.ok()) return call.status();
      m.tool_calls.push_back(std::move(call).value());
    }
  }
  return m;
}

}  // namespace

std::string transcript_text(const Transcript& transcript) {
  std::string out;
  for (const TranscriptMessage& m : transcript.messages) {
    out += fmt::format("[{}] {}\n", m.role, m.content);
    for (const TranscriptToolCall& call : m.tool_calls) out += fmt::format("  → {}({})\n", call.name, call.arguments);
  }
  return out;
}

std::string transcript_line(const Transcript& t) {
  ordered_json messages = ordered_json::array();
  for (const TranscriptMessage& m : t.messages) messages.push_back(message_to_json(m));
  const ordered_json j = {
      {"bench", t.key.bench}, {"id", t.key.item_id}, {"sample", t.key.sample}, {"messages", std::move(messages)}};
  return json_text(j);
}

Status check_transcripts_header(const json& j, const std::string& where) {
  const Where at{&where};
  Reader r(j, at);
  std::string kind;
  int schema = 0;
  if (!r.get("kind", kind).ok() || kind != "transcripts") return r.bad("not a qdrift transcripts file");
  QDRIFT_TRY(r.get("schema", schema));
  if (schema > kTranscriptsSchema)
    return r.bad(
        fmt::format("written by a newer qdrift (transcripts schema {}); this qdrift reads schema {}: "
                    "upgrade qdrift",
                    schema, kTranscriptsSchema));
  if (schema < 1) return r.bad(fmt::format("unknown transcripts schema {}", schema));
  return Status::Ok();
}

Result<Transcript> transcript_from_json(const json& j, const std::string& where) {
  const Where at{&where};
  Reader r(j, at);
  QDRIFT_TRY(r.require_object());
  Transcript t;
  QDRIFT_TRY(r.get("bench", t.key.bench));
  QDRIFT_TRY(r.get("id", t.key.item_id));
  QDRIFT_TRY(r.get("sample", t.key.sample));
  if (t.key.sample < 0) return r.bad("'sample' must not be negative");
  auto messages = j.find("messages");
  if (messages == j.end() || !messages->is_array()) return r.bad("'messages' must be a list");
  t.messages.reserve(messages->size());
  for (std::size_t i = 0; i < messages->size(); ++i) {
    auto message = message_at((*messages)[i], Where{nullptr, &at, ": messages", i});
    if (!message.ok()) return message.status();
    t.messages.push_back(std::move(message).value());
  }
  return t;
}

Result<std::vector<Transcript>> load_transcripts(const std::string& path) {
  std::vector<Transcript> transcripts;
  auto read = read_json_lines(path, [&](int number, const std::string&, const json& j) -> Status {
    const std::string where = fmt::format("{}: line {}", path, number);
    if (number == 1) return check_transcripts_header(j, where);
    auto transcript = transcript_from_json(j, where);
    if (!transcript.ok()) return transcript.status();
    transcripts.push_back(std::move(transcript).value());
    return Status::Ok();
  });
  if (!read.ok()) return read.status();
  // A finished sidecar is renamed into place whole: a torn line means damage, not a crash.
  if (read->dropped_lines > 0 || read->kept_bytes == 0)
    return Status::BadInput(fmt::format(
        "{}: {}", path,
        read->kept_bytes == 0 ? "empty file, not a qdrift transcripts file" : "the last line is cut short"));
  return transcripts;
}

}  // namespace qdrift
