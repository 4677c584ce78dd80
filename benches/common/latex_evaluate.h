// Numeric value of a normalised LaTeX answer, so "\frac{\sqrt{12}}{2}" and
// "\sqrt{3}" can be judged equal without a computer-algebra system.
//
// A recursive-descent evaluator over the text normalize_latex_answer produces:
//   expression := term (('+' | '-') term)*
//   term       := signed (('*' | '/' | implicit) signed)*   "2\sqrt{3}", "3\pi", "50(1-x)"
//   signed     := ('-' | '+') signed | power
//   power      := postfix ('^' (group | signed))?           right-associative
//   postfix    := primary '!'*                               factorial of 0..170
//   primary    := number | (expr) | {expr} | [expr] | \frac{a}{b} | \sqrt{x} | \sqrt[n]{x}
//               | \binom{n}{k} | \pi | e | \ln x | \exp x | \sin x | \cos x | \tan x
//               | \arcsin x | \arccos x | \arctan x | \log_b x
// \cdot and \times are accepted as '*' even if the text was not normalised.
// Anything else (a variable, \infty, \log without a base, a result that is not
// finite such as 3^{2025}) gives nullopt and the caller compares text instead.
// So does a value doubles cannot carry to the comparison's tolerance: a sum
// adding a term below 1e-9 of the other ("50(1-\frac{1}{2^{101}-1})", which
// would otherwise equal 50) or cancelling to under 1e-6 of its terms.
#pragma once

#include <optional>
#include <string_view>

namespace qdrift::scoring {

std::optional<double> evaluate_latex(std::string_view normalized);

// |a - b| within a relative 1e-9 (absolute 1e-12 near zero).
bool values_close(double a, double b);

}  // namespace qdrift::scoring
