// Runs our checkers over the recorded IFEval data and compares verdicts.
#include "ifeval/conformance.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

#include "ifeval/ifeval.h"
#include "util/files.h"

namespace qdrift::ifeval {
namespace {

constexpr const char* kInputs = "input_data.jsonl";
constexpr const char* kResponses = "input_response_data_gpt4_20231107_145030.jsonl";
constexpr const char* kStrict = "eval_results_strict.jsonl";
constexpr const char* kLoose = "eval_results_loose.jsonl";

Result<std::vector<nlohmann::json>> read_jsonl(const std::string& path) {
  Result<std::string> text = read_file(path);
  if (!text.ok()) return text.status();
  std::vector<nlohmann::json> records;
  std::istringstream lines(*text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (line.empty()) continue;
    nlohmann::json record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (record.is_discarded() || !record.is_object()) {
      return Status::BadInput(path + ":" + std::to_string(number) + ": not a JSON object");
    }
    records.push_back(std::move(record));
  }
  return records;
}

// prompt -> the record's `field`.
Result<std::map<std::string, nlohmann::json>> by_prompt(const std::string& path, const char* field) {
  Result<std::vector<nlohmann::json>> records = read_jsonl(path);
  if (!records.ok()) return records.status();
  std::map<std::string, nlohmann::json> out;
  for (const nlohmann::json& record : *records) {
    if (!record.contains("prompt") || !record.contains(field)) {
      return Status::BadInput(path + ": a record lacks \"prompt\" or \"" + field + "\"");
    }
    out[record["prompt"].get<std::string>()] = record[field];
  }
  return out;
}

std::string percent(double share) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f%%", 100 * share);
  return buffer;
}

std::string fixed4(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4f", value);
  return buffer;
}

}  // namespace

Result<ConformanceReport> run_conformance(const std::string& data_dir) {
  Result<std::vector<nlohmann::json>> inputs = read_jsonl(data_dir + "/" + kInputs);
  if (!inputs.ok()) return inputs.status();
  Result<std::map<std::string, nlohmann::json>> responses = by_prompt(data_dir + "/" + kResponses, "response");
  if (!responses.ok()) return responses.status();
  Result<std::map<std::string, nlohmann::json>> strict = by_prompt(data_dir + "/" + kStrict, "follow_instruction_list");
  if (!strict.ok()) return strict.status();
  Result<std::map<std::string, nlohmann::json>> loose = by_prompt(data_dir + "/" + kLoose, "follow_instruction_list");
  if (!loose.ok()) return loose.status();

  ConformanceReport report;
  std::map<std::string, IdAgreement> per_id;
  int ours_prompt[2] = {0, 0}, ours_followed[2] = {0, 0}, ref_prompt[2] = {0, 0}, ref_followed[2] = {0, 0};
  for (const nlohmann::json& input : *inputs) {
    const std::string prompt = input.value("prompt", "");
    const std::int64_t key = input.value("key", std::int64_t{-1});
    std::vector<Instruction> instructions;
    const nlohmann::json ids = input.value("instruction_id_list", nlohmann::json::array());
    const nlohmann::json kwargs = input.value("kwargs", nlohmann::json::array());
    if (!ids.is_array() || !kwargs.is_array() || ids.size() != kwargs.size()) {
      return Status::BadInput("prompt " + std::to_string(key) + ": instruction_id_list and kwargs do not pair up");
    }
    for (std::size_t i = 0; i < ids.size(); ++i) instructions.push_back({ids[i].get<std::string>(), kwargs[i]});

    const auto response = responses->find(prompt);
    const auto strict_ref = strict->find(prompt);
    const auto loose_ref = loose->find(prompt);
    if (response == responses->end() || strict_ref == strict->end() || loose_ref == loose->end()) {
      return Status::BadInput("prompt " + std::to_string(key) + " has no response or no reference verdicts");
    }
    Result<IfevalResult> ours = evaluate(prompt, instructions, response->second.get<std::string>());
    if (!ours.ok()) return Status::BadInput("prompt " + std::to_string(key) + ": " + ours.status().message());
    const nlohmann::json* references[2] = {&strict_ref->second, &loose_ref->second};
    if (references[0]->size() != instructions.size() || references[1]->size() != instructions.size()) {
      return Status::BadInput("prompt " + std::to_string(key) + ": verdict count differs from instruction count");
    }

    ++report.prompts;
    bool all_ours[2] = {true, true}, all_ref[2] = {true, true};
    for (std::size_t i = 0; i < instructions.size(); ++i) {
      const InstructionResult& result = ours->instructions[i];
      IdAgreement& row = per_id[result.id];
      row.id = result.id;
      ++row.total;
      ++report.instructions;
      for (int mode = 0; mode < 2; ++mode) {
        const bool mine = mode == 0 ? result.strict : result.loose;
        const bool theirs = (*references[mode])[i].get<bool>();
        ours_followed[mode] += mine;
        ref_followed[mode] += theirs;
        all_ours[mode] = all_ours[mode] && mine;
        all_ref[mode] = all_ref[mode] && theirs;
        if (mine == theirs) {
          (mode == 0 ? row.strict_agree : row.loose_agree) += 1;
          (mode == 0 ? report.strict_agree : report.loose_agree) += 1;
        } else {
          report.disagreements.push_back({key, result.id, mode == 1, mine, theirs, result.detail});
        }
      }
    }
    for (int mode = 0; mode < 2; ++mode) {
      ours_prompt[mode] += all_ours[mode];
      ref_prompt[mode] += all_ref[mode];
    }
  }
  for (auto& [id, row] : per_id) report.per_id.push_back(row);
  if (report.prompts > 0 && report.instructions > 0) {
    const double prompts = report.prompts, instructions = report.instructions;
    report.ours_strict = {ours_prompt[0] / prompts, ours_followed[0] / instructions};
    report.ours_loose = {ours_prompt[1] / prompts, ours_followed[1] / instructions};
    report.reference_strict = {ref_prompt[0] / prompts, ref_followed[0] / instructions};
    report.reference_loose = {ref_prompt[1] / prompts, ref_followed[1] / instructions};
  }
  std::stable_sort(
      report.disagreements.begin(), report.disagreements.end(),
      [](const Disagreement& a, const Disagreement& b) { return std::tie(a.loose, a.key) < std::tie(b.loose, b.key); });
  return report;
}

std::string format_report(const ConformanceReport& report, bool list_disagreements) {
  std::ostringstream out;
  char line[256];
  std::snprintf(line, sizeof line, "%-46s %5s %9s %9s\n", "instruction id", "n", "strict", "loose");
  out << line;
  for (const IdAgreement& row : report.per_id) {
    std::snprintf(line, sizeof line, "%-46s %5d %9s %9s\n", row.id.c_str(), row.total,
                  percent(double(row.strict_agree) / row.total).c_str(),
                  percent(double(row.loose_agree) / row.total).c_str());
    out << line;
  }
  std::snprintf(line, sizeof line, "%-46s %5d %9s %9s\n", "all instructions", report.instructions,
                percent(report.strict_agreement()).c_str(), percent(report.loose_agreement()).c_str());
  out << line << "\n";
  out << "accuracy          ours     reference\n";
  auto accuracy_row = [&](const char* name, double ours, double reference) {
    std::snprintf(line, sizeof line, "%-15s %8s %11s\n", name, fixed4(ours).c_str(), fixed4(reference).c_str());
    out << line;
  };
  accuracy_row("prompt strict", report.ours_strict.prompt, report.reference_strict.prompt);
  accuracy_row("instr. strict", report.ours_strict.instruction, report.reference_strict.instruction);
  accuracy_row("prompt loose", report.ours_loose.prompt, report.reference_loose.prompt);
  accuracy_row("instr. loose", report.ours_loose.instruction, report.reference_loose.instruction);
  out << "\n" << report.disagreements.size() << " disagreements\n";
  if (list_disagreements) {
    for (const Disagreement& d : report.disagreements) {
      out << "  key " << d.key << "  " << (d.loose ? "loose " : "strict") << "  " << d.id << "  ours "
          << (d.ours ? "followed" : "not followed") << ", reference " << (d.reference ? "followed" : "not followed")
          << "  (" << d.detail << ")\n";
    }
  }
  return out.str();
}

}  // namespace qdrift::ifeval
