// Loading judge-check's labels; see judge_labels.h.
#include "exam/judge_labels.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/files.h"

namespace qdrift::exam {

using nlohmann::json;

namespace {

Status check_header(const json& header, const std::string& where, const Exam& exam) {
  if (!header.is_object() || header.value("kind", json()) != "judge_labels")
    return Status::BadInput(where + ": not a judge labels file (its first line must say \"kind\": \"judge_labels\")");
  const json schema = header.value("schema", json());
  if (!schema.is_number_integer() || schema.get<int>() < 1)
    return Status::BadInput(where + ": \"schema\" must be a positive whole number");
  if (schema.get<int>() > kJudgeLabelsSchema)
    return Status::BadInput(fmt::format("{}: written for a newer qdrift (schema {}); this qdrift reads schema {}", where,
                                        schema.get<int>(), kJudgeLabelsSchema));
  const json name = header.value("exam", json());
  if (!name.is_string() || name.get<std::string>() != exam.name)
    return Status::BadInput(fmt::format("{}: labels for exam {}, not for {}", where, name.dump(), exam.name));
  return Status::Ok();
}

Result<LabelledTranscript> read_line(const json& row, const std::string& where, const Exam& exam) {
  if (!row.is_object()) return Status::BadInput(where + ": not a JSON object");
  LabelledTranscript t;
  const json scenario = row.value("scenario", json()), label = row.value("label", json()),
             messages = row.value("messages", json());
  if (!scenario.is_string() || !exam.find(scenario.get<std::string>()))
    return Status::BadInput(fmt::format("{}: \"scenario\" {} is not a scenario of {}", where, scenario.dump(), exam.name));
  if (label != "pass" && label != "fail")
    return Status::BadInput(fmt::format("{}: \"label\" must be \"pass\" or \"fail\", not {}", where, label.dump()));
  if (!messages.is_array() || messages.empty())
    return Status::BadInput(where + ": \"messages\" must be a non-empty list");
  t.scenario = scenario.get<std::string>();
  t.pass = label == "pass";
  if (const json note = row.value("note", json()); note.is_string()) t.note = note.get<std::string>();
  for (const json& m : messages) {
    const json role = m.is_object() ? m.value("role", json()) : json(), content = m.is_object() ? m.value("content", json()) : json();
    if ((role != "system" && role != "user" && role != "assistant") || !content.is_string())
      return Status::BadInput(where + ": each message needs \"role\" (system, user or assistant) and \"content\"");
    t.messages.push_back({role.get<std::string>(), content.get<std::string>()});
  }
  if (t.messages.back().role != "assistant")
    return Status::BadInput(where + ": the transcript must end with the assistant's reply");
  return t;
}

}  // namespace

Result<std::vector<LabelledTranscript>> load_judge_labels(const std::string& path, const Exam& exam) {
  auto text = read_file(path);
  if (!text.ok()) return text.status();
  std::vector<LabelledTranscript> labels;
  std::size_t start = 0, number = 0;
  bool header_seen = false;
  while (start < text->size()) {
    std::size_t end = text->find('\n', start);
    if (end == std::string::npos) end = text->size();
    const std::string line = text->substr(start, end - start);
    start = end + 1;
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = fmt::format("{}: line {}", path, number);
    const json row = json::parse(line, nullptr, false);
    if (row.is_discarded()) return Status::BadInput(where + ": not valid JSON");
    if (!header_seen) {
      QDRIFT_TRY(check_header(row, where, exam));
      header_seen = true;
      continue;
    }
    auto labelled = read_line(row, where, exam);
    if (!labelled.ok()) return labelled.status();
    labels.push_back(std::move(labelled).value());
  }
  if (!header_seen) return Status::BadInput(path + ": empty file, not a judge labels file");
  if (labels.empty()) return Status::BadInput(path + ": no labelled transcripts after the header");
  return labels;
}

}  // namespace qdrift::exam
