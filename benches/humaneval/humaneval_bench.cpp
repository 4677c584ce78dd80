// humaneval. The chat prompt shows the dataset's prompt (imports, signature,
// docstring) in a python block and asks for the whole function back in one, the way
// simple-evals and evalplus prompt chat models; score() extracts the code, assembles
// it with the tests (sandbox/humaneval_program.cpp) and runs it in the process's
// sandbox. pass@1: K = 1 grades the one sample; with K > 1 the report's paired test
// uses each item's mean correctness, which is the unbiased pass@1 estimate c/n.
#include "humaneval/humaneval_bench.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "humaneval/shared_sandbox.h"
#include "rows/row_fields.h"

namespace qdrift {

namespace humaneval {

Result<std::string> item_id(const std::string& task_id) {
  const std::string number = task_id.substr(task_id.rfind('/') + 1);
  const bool plain = !number.empty() && std::all_of(number.begin(), number.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  if (!plain) return Status::BadInput("task_id '" + task_id + "' does not end in a number such as HumanEval/12");
  return "humaneval-" + number;
}

Result<HumanEvalProblem> problem_of(const Item& item) { return parse_humaneval_record(item.answer); }

}  // namespace humaneval

namespace {

constexpr std::size_t kSmokeItems = 50;
constexpr std::string_view kInstruction =
    "Complete the following Python function. Reply with the whole function (its signature, any imports it needs "
    "and the implementation) in a single ```python code block.\n\n```python\n";

// The last non-blank line of a program's stderr (the exception, usually), kept short.
std::string last_line(const std::string& text) {
  std::size_t end = text.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) return "";
  const std::size_t newline = text.rfind('\n', end);
  const std::size_t start = newline == std::string::npos ? 0 : newline + 1;
  std::string line = text.substr(start, end + 1 - start);
  if (line.size() > 160) line = fmt::format("{}...", std::string_view(line).substr(0, 157));
  return line;
}

Score grade(const HumanEvalProgram& program, const SandboxRun& run) {
  const std::string where = run.sandboxed ? "" : " (unsandboxed)";
  if (humaneval_passed(program, run)) return {true, "pass", fmt::format("passed{}", where)};
  if (run.timed_out) return {false, "fail", fmt::format("timed out after {:.0f} s{}", run.seconds, where)};
  std::string why = last_line(run.stderr_tail);
  if (why.empty() && run.passed) why = "exited before check() returned";
  if (why.empty())
    why = run.signal ? fmt::format("killed by signal {}", run.signal) : fmt::format("exit status {}", run.exit_code);
  return {false, "fail", "failed: " + why + where};
}

class HumanEvalBench : public Bench {
 public:
  std::string name() const override { return "humaneval"; }
  std::string version() const override { return "1"; }
  std::string summary() const override { return "Python functions from docstrings, tests run in a sandbox (164)"; }
  // Chat answers to HumanEval are short (a function, sometimes a paragraph): 2048
  // leaves room for a verbose one without letting a looping model run for minutes.
  BenchDefaults defaults() const override { return {false, 1, 2048}; }
  std::vector<DatasetSource> sources() const override {
    return {{"humaneval", "openai/openai_humaneval", "openai_humaneval", "test", "humaneval/HumanEval.jsonl",
             LocalFormat::kJsonl}};
  }

  Result<std::vector<Item>> items(const ItemQuery& query) const override {
    auto rows = rows::load(sources().front(), query);
    if (!rows.ok()) return rows.status();
    std::vector<Item> items;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < rows->rows.size(); ++i) {
      nlohmann::json record;
      for (const char* field : {"task_id", "prompt", "canonical_solution", "test", "entry_point"}) {
        auto value = rows::text(*rows, i, field);
        if (!value.ok()) return value.status();
        record[field] = *value;
      }
      auto id = humaneval::item_id(record["task_id"].get<std::string>());
      if (!id.ok()) return Status::BadInput(rows::where(*rows, i, "task_id") + ": " + id.status().message());
      if (!seen.insert(*id).second) return Status::BadInput(rows::where(*rows, i, "task_id") + " repeats " + *id);
      // The record itself is the gold answer: the tests are what grades, so they are pinned.
      Item item;
      item.id = *id;
      item.answer = record.dump();
      auto problem = parse_humaneval_record(item.answer);
      if (!problem.ok())
        return Status::BadInput(fmt::format("{}: row {}: {}", rows->location, i + 1, problem.status().message()));
      std::string shown = problem->prompt;
      if (!shown.empty() && shown.back() != '\n') shown += '\n';
      item.prompt = std::string(kInstruction) + shown + "```";
      items.push_back(std::move(item));
    }
    if (query.tier == Tier::kSmoke) return rows::smoke_slice(items, kSmokeItems);
    return items;
  }

  std::vector<ChatMessage> chat(const Item& item) const override { return {{"user", item.prompt}}; }

  Result<ScoringSetup> prepare_scoring(const ScoringOptions& options) const override {
    auto sandbox = humaneval::prepare_sandbox(options.allow_unsandboxed);
    if (!sandbox.ok()) return sandbox.status();
    return ScoringSetup{(*sandbox)->sandboxed() ? "sandboxed" : "unsandboxed", ""};
  }

  Score score(const Item& item, const ChatResponse& response) const override {
    auto problem = humaneval::problem_of(item);
    if (!problem.ok()) return {false, "", "not run: " + problem.status().message()};
    if (response.content.find_first_not_of(" \t\r\n") == std::string::npos)
      return {false, "fail", "no code in the response"};
    auto sandbox = humaneval::scoring_sandbox();
    if (!sandbox.ok()) return {false, "", fmt::format("not run: {}", sandbox.status().message())};
    const HumanEvalProgram program = assemble_humaneval_program(*problem, response.content);
    auto run = (*sandbox)->run(program.source);
    if (!run.ok()) return {false, "", fmt::format("not run: {}", run.status().message())};
    return grade(program, *run);
  }
};

}  // namespace

std::unique_ptr<Bench> make_humaneval_bench() { return std::make_unique<HumanEvalBench>(); }

}  // namespace qdrift
