// HumanEval glue: read the dataset's records, pull the code out of a chat response,
// assemble the program the sandbox runs, decide whether it passed, and pass@k.
//
// openai/human-eval runs prompt + completion + "\n" + test + "\n" + "check(entry_point)"
// for a base model's body completion. Chat models mostly answer with a fenced block
// holding the whole function (simple-evals strips the signature back off; evalplus keeps
// the function and prepends the prompt). We keep the whole prompt in front of a full
// function, so its imports and helper functions (several tasks define one before the
// entry point) exist, and the model's later `def` replaces the prompt's stub.
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <sstream>

#include "qdrift/sandbox.h"

namespace qdrift {

namespace {

struct Fence {
  std::string info;  // the word after ```, lower-cased ("python", "" ...)
  std::string code;
};

std::vector<Fence> find_fences(std::string_view text) {
  std::vector<Fence> fences;
  std::size_t pos = 0;
  while ((pos = text.find("```", pos)) != std::string_view::npos) {
    std::size_t line_end = text.find('\n', pos);
    if (line_end == std::string_view::npos) break;  // a fence with nothing after it
    std::string info(text.substr(pos + 3, line_end - pos - 3));
    info.erase(0, info.find_first_not_of(" \t"));
    info = info.substr(0, info.find_first_of(" \t\r{"));
    for (char& c : info) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::size_t code_start = line_end + 1;
    std::size_t close = text.find("```", code_start);
    // Unclosed (cut at max_tokens): the code runs to the end.
    fences.push_back(
        {info, std::string(text.substr(
                   code_start, close == std::string_view::npos ? std::string_view::npos : close - code_start))});
    if (close == std::string_view::npos) break;
    pos = close + 3;
  }
  return fences;
}

bool defines_entry_point(const std::string& code, const std::string& entry_point) {
  const std::regex definition("(^|\\n)def[ \\t]+" + entry_point + "[ \\t]*\\(");
  return std::regex_search(code, definition);
}

// A body whose first line sits at column 0 (the model dropped the indentation) is
// indented one level, so it lands inside the prompt's function.
std::string indent_body(const std::string& body) {
  std::size_t first = body.find_first_not_of("\r\n");
  if (first == std::string::npos || body[first] == ' ' || body[first] == '\t') return body;
  std::istringstream lines(body.substr(first));
  std::string line, out;
  while (std::getline(lines, line)) out += (line.empty() ? "" : "    ") + line + "\n";
  return out;
}

std::string random_marker() {
  std::random_device device;
  std::uniform_int_distribution<std::uint64_t> bits;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(bits(device)));
  return std::string("qdrift-humaneval-pass-") + hex;
}

}  // namespace

Result<HumanEvalProblem> parse_humaneval_record(std::string_view json_line) {
  nlohmann::json record = nlohmann::json::parse(json_line, nullptr, false);
  if (record.is_discarded() || !record.is_object()) return Status::BadInput("HumanEval record is not a JSON object");
  HumanEvalProblem problem;
  const std::pair<const char*, std::string*> fields[] = {{"task_id", &problem.task_id},
                                                         {"prompt", &problem.prompt},
                                                         {"canonical_solution", &problem.canonical_solution},
                                                         {"test", &problem.test},
                                                         {"entry_point", &problem.entry_point}};
  for (const auto& [name, target] : fields) {
    auto it = record.find(name);
    if (it == record.end() || !it->is_string())
      return Status::BadInput(std::string("HumanEval record lacks the string field \"") + name + "\"");
    *target = it->get<std::string>();
  }
  // The entry point goes into a regex and into the program: it must be a plain identifier.
  if (!std::regex_match(problem.entry_point, std::regex("[A-Za-z_][A-Za-z0-9_]*")))
    return Status::BadInput("HumanEval record " + problem.task_id + ": entry_point is not an identifier");
  return problem;
}

Result<std::vector<HumanEvalProblem>> load_humaneval(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io("cannot open " + path);
  std::vector<HumanEvalProblem> problems;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    Result<HumanEvalProblem> problem = parse_humaneval_record(line);
    if (!problem.ok()) return Status::BadInput(path + ":" + std::to_string(number) + ": " + problem.status().message());
    problems.push_back(std::move(problem.value()));
  }
  return problems;
}

std::string extract_code(std::string_view response) {
  std::vector<Fence> fences = find_fences(response);
  for (const Fence& fence : fences)
    if (fence.info == "python" || fence.info == "py" || fence.info == "python3") return fence.code;
  for (const Fence& fence : fences)
    if (fence.info.empty()) return fence.code;
  return std::string(response);
}

HumanEvalProgram assemble_humaneval_program(const HumanEvalProblem& problem, std::string_view response) {
  HumanEvalProgram program;
  std::string code = extract_code(response);
  program.full_function = defines_entry_point(code, problem.entry_point);
  program.completion = program.full_function ? code : indent_body(code);
  program.pass_marker = random_marker();
  std::string& source = program.source;
  source = problem.prompt;
  if (program.full_function) source += "\n";
  source += program.completion + "\n" + problem.test + "\n" + "check(" + problem.entry_point + ")\n";
  source += "print(\"" + program.pass_marker + "\")\n";
  return program;
}

bool humaneval_passed(const HumanEvalProgram& program, const SandboxRun& run) {
  if (!run.passed) return false;
  std::string_view out = run.stdout_tail;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.remove_suffix(1);
  const std::size_t line_start = out.rfind('\n');
  return out.substr(line_start == std::string_view::npos ? 0 : line_start + 1) == program.pass_marker;
}

double pass_at_k(int n, int c, int k) {
  if (n <= 0 || k <= 0 || k > n || c < 0 || c > n) return std::nan("");
  if (n - c < k) return 1.0;  // every k-subset holds a correct sample
  double all_wrong = 1.0;     // C(n-c, k) / C(n, k) as a product of ratios below 1
  for (int i = n - c + 1; i <= n; ++i) all_wrong *= 1.0 - static_cast<double>(k) / i;
  return 1.0 - all_wrong;
}

}  // namespace qdrift
