// The simulator's HumanEval answers. Each shape is one a real chat model produces,
// so the sim exercises the same extraction and assembly paths a real run does;
// the conformance test runs every shape of every real item through the sandbox.
#include "humaneval/sim_answers.h"

#include <fmt/format.h>

namespace qdrift::humaneval {

namespace {

std::string with_newline(std::string text) {
  if (!text.empty() && text.back() != '\n') text += '\n';
  return text;
}

// Where the prompt's `def entry_point(` line starts, or npos.
std::size_t entry_definition(const HumanEvalProblem& problem) {
  const std::string definition = "def " + problem.entry_point + "(";
  if (problem.prompt.rfind(definition, 0) == 0) return 0;
  const std::size_t at = problem.prompt.find("\n" + definition);
  return at == std::string::npos ? at : at + 1;
}

std::string fenced(std::string_view lead, const std::string& code) {
  return fmt::format("{}```python\n{}```\n", lead, with_newline(code));
}

// Returns the reference's result off by one in whatever type it has, so the tests'
// equality (or tolerance) checks fail while the code looks like a near miss.
constexpr std::string_view kNudge = R"(
def _adjust(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1
    if isinstance(value, str):
        return value + "?"
    if isinstance(value, (list, tuple)):
        return type(value)(list(value)[1:]) if value else type(value)([0])
    if value is None:
        return 0
    return None
)";

}  // namespace

std::string right_answer(const HumanEvalProblem& problem, std::uint64_t noise) {
  const std::size_t definition = entry_definition(problem);
  const std::string body = with_newline(problem.canonical_solution);
  switch (definition == std::string::npos ? 2 : noise % 3) {
    case 0:
      return fenced("", problem.prompt + body);
    case 1:
      return fenced("Here is the completed function:\n\n", problem.prompt.substr(definition) + body);
    default:
      return fenced("The body of the function:\n\n", body);
  }
}

std::string wrong_answer(const HumanEvalProblem& problem, std::uint64_t noise) {
  const std::size_t definition = entry_definition(problem);
  if (definition == std::string::npos) return fenced("", "    return None\n");
  if (noise % 2 == 0)
    return fenced("A first version:\n\n", with_newline(problem.prompt.substr(definition)) +
                                              "    # The general case is not handled yet.\n    return None\n");
  // The reference under another name (recursive calls reach the wrapper and drift further).
  std::string draft = problem.prompt.substr(definition);
  draft.replace(0, 4 + problem.entry_point.size(), "def _draft_" + problem.entry_point);
  return fenced("Here is my implementation:\n\n",
                std::string(problem.prompt.substr(0, definition)) + draft + with_newline(problem.canonical_solution) +
                    std::string(kNudge) +
                    fmt::format("\n\ndef {0}(*args, **kwargs):\n    return _adjust(_draft_{0}(*args, **kwargs))\n",
                                problem.entry_point));
}

}  // namespace qdrift::humaneval
