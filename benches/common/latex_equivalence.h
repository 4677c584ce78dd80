// Whether a model's math answer (HMMT) equals the gold one.
//
// Both sides are normalised (latex_normalize.h). Then:
//   - identical normalised text is equal;
//   - an answer with top-level commas is a list: "(1,2)" or "[1,2]" is an ordered
//     tuple, "1, 2" or "\{1,2\}" a set of values (HMMT's "compute all possible
//     values"). Lists compare elementwise — in order when the gold is a tuple, as a
//     matching in any order otherwise — and must have the same length;
//   - single values compare numerically (latex_evaluate.h) when both evaluate,
//     within a relative 1e-9, so "\frac{\sqrt{12}}{2}" equals "\sqrt{3}" and
//     "0.5" equals "\frac12";
//   - otherwise by normalised text.
// Not handled: symbolic equality of expressions with variables ("x+1" vs "1+x"),
// values outside double range beyond text equality ("3^{2025}" equals only a
// spelling that normalises to the same text), intervals, and answers mixing
// prose with math. The gold answer should be passed through repair_mangled_latex
// when the dataset is loaded.
#pragma once

#include <string>
#include <string_view>

namespace qdrift::scoring {

struct LatexComparison {
  bool equal = false;
  std::string how;  // for the score explanation: "same value", "different value", "same text", ...
};

LatexComparison compare_latex_answers(std::string_view answer, std::string_view gold);

}  // namespace qdrift::scoring
