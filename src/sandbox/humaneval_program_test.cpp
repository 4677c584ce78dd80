// HumanEval glue on a made-up problem (no dataset text): code extraction from chat
// responses, program assembly in both shapes, the pass marker, and pass@k.
#include <catch2/catch.hpp>
#include <cmath>

#include "qdrift/sandbox.h"

using namespace qdrift;

namespace {

HumanEvalProblem add_problem() {
  HumanEvalProblem problem;
  problem.task_id = "Made/0";
  problem.prompt =
      "import math\n\n\ndef helper(x):\n    return x\n\n\n"
      "def add(a: int, b: int) -> int:\n    \"\"\"Return a + b.\"\"\"\n";
  problem.canonical_solution = "    return helper(a) + b\n";
  problem.test = "def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(-1, 1) == 0\n";
  problem.entry_point = "add";
  return problem;
}

SandboxRun run(const HumanEvalProgram& program) {
  static Result<Sandbox> sandbox = Sandbox::Create({});
  INFO(sandbox.status().message());
  REQUIRE(sandbox.ok());
  Result<SandboxRun> result = sandbox->run(program.source);
  REQUIRE(result.ok());
  INFO(result->stderr_tail);
  return std::move(result.value());
}

}  // namespace

TEST_CASE("extract_code prefers a python block, then an untagged block, then the message", "[sandbox]") {
  CHECK(extract_code("Here:\n```python\nx = 1\n```\nand\n```python\ny = 2\n```\n") == "x = 1\n");
  CHECK(extract_code("```py\nx = 1\n```") == "x = 1\n");
  CHECK(extract_code("```text\nnot code\n```\n```\nx = 1\n```\n") == "x = 1\n");
  CHECK(extract_code("```\nplain\n```\n```Python\nx = 1\n```\n") == "x = 1\n");
  CHECK(extract_code("    return a + b\n") == "    return a + b\n");
  CHECK(extract_code("Sure!\n```python\ndef f():\n    return 1") == "def f():\n    return 1");  // cut at max_tokens
  CHECK(extract_code("```bash\nls\n```") == "```bash\nls\n```");  // no python anywhere: the message
}

TEST_CASE("A body completion is assembled exactly as openai/human-eval does", "[sandbox]") {
  HumanEvalProblem problem = add_problem();
  HumanEvalProgram program = assemble_humaneval_program(problem, problem.canonical_solution);
  CHECK_FALSE(program.full_function);
  CHECK(program.source == problem.prompt + problem.canonical_solution + "\n" + problem.test + "\ncheck(add)\nprint(\"" +
                              program.pass_marker + "\")\n");
  SandboxRun result = run(program);
  CHECK(humaneval_passed(program, result));
}

TEST_CASE("A body the model left unindented is indented into the function", "[sandbox]") {
  HumanEvalProblem problem = add_problem();
  HumanEvalProgram program = assemble_humaneval_program(problem, "```python\nc = a + b\nreturn c\n```");
  CHECK(program.completion == "    c = a + b\n    return c\n");
  CHECK(humaneval_passed(program, run(program)));
}

TEST_CASE("A full function in a chat response keeps the prompt's imports and helpers", "[sandbox]") {
  HumanEvalProblem problem = add_problem();
  const char* response =
      "Here is the function:\n\n"
      "```python\n"
      "def add(a: int, b: int) -> int:\n"
      "    return helper(a) + int(math.floor(b))\n"
      "```\n"
      "It adds.";
  HumanEvalProgram program = assemble_humaneval_program(problem, response);
  CHECK(program.full_function);
  CHECK(program.source.rfind(problem.prompt, 0) == 0);
  CHECK(humaneval_passed(program, run(program)));

  HumanEvalProgram wrong = assemble_humaneval_program(problem, "```python\ndef add(a, b):\n    return a - b\n```");
  SandboxRun result = run(wrong);
  CHECK_FALSE(humaneval_passed(wrong, result));
  CHECK(result.stderr_tail.find("AssertionError") != std::string::npos);
}

TEST_CASE("Code that exits with status 0 before the tests does not pass", "[sandbox]") {
  HumanEvalProblem problem = add_problem();
  const char* exits_early[] = {
      "```python\nimport sys\ndef add(a, b):\n    return 0\nsys.exit(0)\n```",
      "```python\nimport unittest\ndef add(a, b):\n    return 0\nunittest.main(argv=['x'])\n```",
      // Even printing a marker of the right shape does not help: it is not this program's.
      "```python\ndef add(a, b):\n    return 0\nprint('qdrift-humaneval-pass-0000000000000000')\nimport "
      "os\nos._exit(0)\n```",
  };
  for (const char* response : exits_early) {
    HumanEvalProgram program = assemble_humaneval_program(problem, response);
    SandboxRun result = run(program);
    CHECK(result.passed);                            // the process did exit 0 ...
    CHECK_FALSE(humaneval_passed(program, result));  // ... but check() never returned
  }
}

TEST_CASE("HumanEval records parse and bad ones are named", "[sandbox]") {
  Result<HumanEvalProblem> good = parse_humaneval_record(
      R"({"task_id": "Made/1", "prompt": "p", "canonical_solution": "c", "test": "t", "entry_point": "f_1"})");
  REQUIRE(good.ok());
  CHECK(good->entry_point == "f_1");
  CHECK_FALSE(parse_humaneval_record("{not json").ok());
  Result<HumanEvalProblem> missing = parse_humaneval_record(R"({"task_id": "x", "prompt": "p"})");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message().find("canonical_solution") != std::string::npos);
  CHECK_FALSE(
      parse_humaneval_record(
          R"json({"task_id": "x", "prompt": "p", "canonical_solution": "c", "test": "t", "entry_point": "f(1)"})json")
          .ok());
}

TEST_CASE("pass@k matches the closed form of Chen et al. 2021", "[sandbox]") {
  CHECK(pass_at_k(5, 0, 1) == 0.0);
  CHECK(pass_at_k(5, 5, 1) == 1.0);
  CHECK(pass_at_k(10, 3, 1) == Approx(0.3));
  CHECK(pass_at_k(10, 3, 5) == Approx(1.0 - 21.0 / 252.0));     // 1 - C(7,5)/C(10,5)
  CHECK(pass_at_k(10, 8, 5) == 1.0);                            // fewer than k wrong samples
  CHECK(pass_at_k(200, 1, 100) == Approx(0.5));                 // C(199,100)/C(200,100) = 100/200
  CHECK(pass_at_k(200, 13, 10) == Approx(0.4975511147306061));  // Python: 1 - comb(187,10)/comb(200,10)
  CHECK(std::isnan(pass_at_k(3, 1, 4)));
}
