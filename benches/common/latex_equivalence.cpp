// compare_latex_answers: split into elements, then value or text per element.
#include "common/latex_equivalence.h"

#include <fmt/format.h>

#include <optional>
#include <vector>

#include "common/latex_evaluate.h"
#include "common/latex_normalize.h"
#include "common/latex_text.h"

namespace qdrift::scoring {

namespace {

struct Elements {
  std::vector<std::string> items;
  bool ordered = false;  // a tuple "(a,b)" rather than a set of values "a, b"
};

// Splits a normalised answer into its elements; a single value is one element.
Elements elements_of(const std::string& normalized) {
  const std::string_view text = normalized;
  if (text.size() >= 2 && (text.front() == '(' || text.front() == '[')) {
    auto close = closing_bracket(text, 0);
    if (close && *close + 1 == text.size()) {
      auto inner = split_top_level_commas(text.substr(1, text.size() - 2));
      if (inner.size() > 1) return {inner, true};
    }
  }
  if (text.starts_with("\\{") && text.ends_with("\\}")) {
    auto close = closing_bracket(text, 0);
    if (close && *close + 1 == text.size()) return {split_top_level_commas(text.substr(2, text.size() - 4)), false};
  }
  return {split_top_level_commas(text), false};
}

LatexComparison compare_values(const std::string& answer, const std::string& gold) {
  const std::string left = normalize_latex_answer(answer);  // elements may still carry "x=" or spaces
  const std::string right = normalize_latex_answer(gold);
  if (left == right) return {true, "same text"};
  const std::optional<double> left_value = evaluate_latex(left);
  const std::optional<double> right_value = evaluate_latex(right);
  if (left_value && right_value) {
    if (values_close(*left_value, *right_value)) return {true, "same value"};
    return {false, fmt::format("different value ({:.10g} vs {:.10g})", *left_value, *right_value)};
  }
  if (right_value) return {false, "answer does not evaluate"};
  return {false, "different text"};
}

// Ordered lists pair up by position; unordered ones by a greedy matching, which
// suffices because the values an answer lists are distinct, so at most one
// answer element can match each gold element.
LatexComparison compare_lists(const Elements& answer, const Elements& gold) {
  if (answer.items.size() != gold.items.size()) {
    return {false, fmt::format("{} values, expected {}", answer.items.size(), gold.items.size())};
  }
  std::vector<bool> used(answer.items.size(), false);
  for (std::size_t g = 0; g < gold.items.size(); ++g) {
    bool matched = false;
    for (std::size_t a = 0; a < answer.items.size() && !matched; ++a) {
      if (used[a] || (gold.ordered && a != g)) continue;
      if (compare_values(answer.items[a], gold.items[g]).equal) {
        used[a] = true;
        matched = true;
      }
    }
    if (!matched) return {false, fmt::format("no match for element {} of {}", g + 1, gold.items.size())};
  }
  return {true, gold.ordered ? "same tuple" : "same values in some order"};
}

}  // namespace

LatexComparison compare_latex_answers(std::string_view answer, std::string_view gold) {
  const std::string left = normalize_latex_answer(answer);
  const std::string right = normalize_latex_answer(gold);
  if (left.empty()) return {false, "empty answer"};
  if (left == right) return {true, "same text"};
  const Elements answer_elements = elements_of(left);
  const Elements gold_elements = elements_of(right);
  if (answer_elements.items.size() == 1 && gold_elements.items.size() == 1) return compare_values(left, right);
  return compare_lists(answer_elements, gold_elements);
}

}  // namespace qdrift::scoring
