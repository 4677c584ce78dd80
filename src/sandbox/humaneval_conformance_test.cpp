// Conformance on the real HumanEval.jsonl from the shared data folder (skipped when it is
// absent): every canonical solution passes, both as a body completion and as a chat
// response holding the whole function; every body replaced by `pass` fails.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "qdrift/sandbox.h"

using namespace qdrift;

namespace {

const std::string kHumanEvalPath = std::string(QDRIFT_SHARED_DATA) + "/humaneval/HumanEval.jsonl";

// Runs one response per problem through the pool; the task ids whose outcome is not `expected`.
std::vector<std::string> disagreeing(const Sandbox& sandbox, const std::vector<HumanEvalProblem>& problems,
                                     const std::vector<std::string>& responses, bool expected) {
  std::vector<HumanEvalProgram> programs;
  std::vector<std::string> sources;
  for (std::size_t i = 0; i < problems.size(); ++i) {
    programs.push_back(assemble_humaneval_program(problems[i], responses[i]));
    sources.push_back(programs.back().source);
  }
  std::vector<Result<SandboxRun>> runs = run_all(sandbox, sources);
  std::vector<std::string> odd;
  for (std::size_t i = 0; i < problems.size(); ++i) {
    bool passed = runs[i].ok() && humaneval_passed(programs[i], *runs[i]);
    if (passed != expected) {
      odd.push_back(problems[i].task_id);
      WARN(problems[i].task_id << (expected ? " failed: " : " passed: ")
                               << (runs[i].ok() ? runs[i]->stderr_tail.substr(0, 400) : runs[i].status().message()));
    }
  }
  return odd;
}

}  // namespace

TEST_CASE("HumanEval conformance: canonical solutions pass, pass bodies fail", "[sandbox][conformance]") {
  if (!std::filesystem::exists(kHumanEvalPath)) {
    WARN("skipped: " << kHumanEvalPath << " is absent");
    return;
  }
  Result<std::vector<HumanEvalProblem>> problems = load_humaneval(kHumanEvalPath);
  REQUIRE(problems.ok());
  REQUIRE(problems->size() == 164);
  Result<Sandbox> sandbox = Sandbox::Create({});
  INFO(sandbox.status().message());
  REQUIRE(sandbox.ok());
  REQUIRE(sandbox->sandboxed());

  std::vector<std::string> bodies, chat_responses, stubs;
  for (const HumanEvalProblem& problem : *problems) {
    bodies.push_back(problem.canonical_solution);
    // What a chat model answers: the whole function in a fenced block, no helpers.
    chat_responses.push_back("Here you go:\n\n```python\n" +
                             problem.prompt.substr(problem.prompt.find("def " + problem.entry_point)) +
                             problem.canonical_solution + "```\n");
    stubs.push_back("    pass\n");
  }
  CHECK(disagreeing(*sandbox, *problems, bodies, true).empty());
  CHECK(disagreeing(*sandbox, *problems, chat_responses, true).empty());
  std::vector<std::string> stub_passes = disagreeing(*sandbox, *problems, stubs, false);
  CHECK(stub_passes.empty());
}
