// Conformance of the boxed-answer, AIME and LaTeX-equivalence rules with every
// AIME/HMMT answer in ../shared/data/math: each gold answer, boxed and written in
// the alternative spellings we accept, must score correct; a perturbed one must
// score wrong. Also reports what repair_mangled_latex did to each file. Reads the
// data at run time (never copied into the project); skips when it is absent.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/boxed_answer.h"
#include "common/latex_equivalence.h"
#include "common/latex_evaluate.h"
#include "common/latex_normalize.h"
#include "common/latex_text.h"
#include "common/mangled_latex.h"

using namespace qdrift::scoring;

namespace {

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

std::string without_spaces(std::string text) {
  std::erase(text, ' ');
  return text;
}

// The spellings of one gold answer a grader must accept, each as a full response.
std::vector<std::string> correct_responses(const std::string& gold, bool aime) {
  std::vector<std::string> answers = {gold, without_spaces(gold), " " + gold + " "};
  for (std::string_view variant : {"\\dfrac", "\\tfrac"}) {
    std::string spelled = gold;
    replace_all(spelled, "\\frac", variant);
    answers.push_back(spelled);
  }
  std::string sized = gold;
  replace_all(sized, "(", "\\left(");
  replace_all(sized, ")", "\\right)");
  answers.push_back(sized);
  if (split_top_level_commas(normalize_latex_answer(gold)).size() == 1) {
    answers.push_back("x = " + gold);
  } else {  // a set of values, listed in the other order
    auto parts = split_top_level_commas(gold);
    std::reverse(parts.begin(), parts.end());
    std::string reversed;
    for (const std::string& part : parts) reversed += (reversed.empty() ? "" : ", ") + part;
    answers.push_back(reversed);
  }
  if (aime) answers.insert(answers.end(), {fmt::format("{:03d}", std::stoi(gold)), "\\text{" + gold + "}"});
  // The value as a plain decimal (no exponent notation, which the evaluator does not read).
  auto value = evaluate_latex(normalize_latex_answer(gold));
  if (value && std::fabs(*value) > 1e-4 && std::fabs(*value) < 1e15) answers.push_back(fmt::format("{:.17g}", *value));

  std::vector<std::string> responses;
  for (const std::string& answer : answers) {
    responses.push_back("Trying n = 3 first gives \\boxed{17}, which fails the check.\nSo the answer is $\\boxed{" +
                        answer + "}$.");
  }
  responses.push_back("\\fbox{" + gold + "}");
  if (aime) responses.push_back("so it is $\\boxed " + gold + "$");
  return responses;
}

// The last digit moved by one: "\frac{1}{576}" -> "\frac{1}{577}", "3^{2025}" -> "3^{2026}".
std::string with_last_digit_changed(std::string gold) {
  const std::size_t at = gold.find_last_of("0123456789");
  if (at != std::string::npos) gold[at] = gold[at] == '9' ? '8' : static_cast<char>(gold[at] + 1);
  return gold;
}

std::vector<std::string> wrong_responses(const std::string& gold, bool aime) {
  if (aime) return {fmt::format("\\boxed{{{}}}", (std::stoi(gold) + 1) % 1000)};
  return {"\\boxed{" + with_last_digit_changed(gold) + "}", "\\boxed{(" + gold + ")+1}"};
}

bool grades_correct(const std::string& response, const std::string& gold, bool aime) {
  const auto boxed = extract_boxed_answer(response, false);
  if (!boxed) return false;
  if (aime) return aime_answers_equal(boxed->answer, gold);
  return compare_latex_answers(boxed->answer, gold).equal;
}

void report_repairs(const std::string& where, const LatexRepair& repair) {
  if (repair.changed()) WARN(where << ": " << fmt::format("{}", fmt::join(repair.repairs, "; ")));
  if (repair.suspicious()) WARN(where << " left suspicious: " << fmt::format("{}", fmt::join(repair.unrepaired, "; ")));
}

}  // namespace

TEST_CASE("aime and hmmt gold answers score correct when boxed and wrong when perturbed", "[extract][conformance]") {
  const std::filesystem::path folder = std::filesystem::path(QDRIFT_SHARED_DATA) / "math";
  if (!std::filesystem::exists(folder)) {
    WARN("skipped: " << folder << " is absent");
    return;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() == ".jsonl") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  CHECK(files.size() >= 4);
  for (const auto& path : files) {
    const std::string file = path.filename().string();
    const bool aime = file.starts_with("aime");
    std::ifstream in(path);
    std::string line;
    int items = 0, checks = 0, repaired_items = 0, text_only = 0, ungradable = 0;
    for (int line_number = 1; std::getline(in, line); ++line_number) {
      const auto record = nlohmann::json::parse(line, nullptr, false);
      const std::string where = fmt::format("{} line {}", file, line_number);
      if (record.is_discarded() || !record.contains("problem") || !record.contains("answer")) {
        WARN(where << " cannot be graded: not a record with problem and answer");
        ++ungradable;
        continue;
      }
      const LatexRepair problem = repair_mangled_latex(record["problem"].get<std::string>());
      const LatexRepair answer = repair_mangled_latex(record["answer"].get<std::string>());
      report_repairs(where + " problem", problem);
      report_repairs(where + " answer", answer);
      if (problem.changed() || answer.changed()) ++repaired_items;
      // After repair only real line breaks remain among the control characters.
      for (const std::string* text : {&problem.text, &answer.text}) {
        INFO(where << " still holds a control character after repair");
        CHECK(std::none_of(text->begin(), text->end(), [](char c) { return c > 0 && c < ' ' && c != '\n'; }));
      }
      const std::string& gold = answer.text;
      if (aime && !parse_aime_integer(gold)) {
        WARN(where << " cannot be graded: AIME answer " << gold << " is not an integer 0-999");
        ++ungradable;
        continue;
      }
      const auto elements = split_top_level_commas(normalize_latex_answer(gold));
      if (std::any_of(elements.begin(), elements.end(),
                      [](const std::string& element) { return !evaluate_latex(element); })) {
        WARN(where << ": " << gold << " has no trustworthy numeric value; graded by normalised text only");
        ++text_only;
      }
      ++items;
      for (const std::string& response : correct_responses(gold, aime)) {
        INFO(where << " gold " << gold << " response " << response);
        CHECK(grades_correct(response, gold, aime));
        ++checks;
      }
      for (const std::string& response : wrong_responses(gold, aime)) {
        INFO(where << " gold " << gold << " perturbed response " << response);
        CHECK_FALSE(grades_correct(response, gold, aime));
        ++checks;
      }
    }
    CHECK(ungradable == 0);
    WARN(fmt::format(
        "{}: {} items, {} checks, {} repaired by repair_mangled_latex, {} graded by text only, {} ungradable", file,
        items, checks, repaired_items, text_only, ungradable));
  }
}
