// The canonical text of a LaTeX answer, so that spellings of the same answer
// compare equal as strings and parse in latex_evaluate.
//
// What is removed or rewritten, and why:
//   - math delimiters ($, $$, \( \), \[ \]) and a wrapping \boxed{}: not part of the answer;
//   - a leading short name and '=' ("x = 5", "a_1=5"): models restate the variable;
//   - \left \right \bigl \bigr \displaystyle and spacing (\! \, \; \: \quad "\ " ~):
//     layout only;
//   - \dfrac \tfrac \cfrac -> \frac, \dbinom \tbinom -> \binom: display variants;
//   - \text{} \textbf{} \mathrm{} \mathbf{} \operatorname{} \mbox{} -> their content, and
//     a trailing \text{...} of words after a value is dropped as a unit ("5\text{ cm}");
//   - degrees (^\circ, ^{\circ}, \circ, \degree, U+00B0) and \% are dropped;
//   - \cdot \times \ast and U+00D7 -> '*'; U+2212 -> '-'; U+03C0 -> \pi;
//   - spaces, except one that ends a control word before a letter ("\pi r");
//   - shorthand arguments get braces: \frac12 -> \frac{1}{2}, \sqrt3 -> \sqrt{3},
//     and a digit run after ^ or _ is one group (2^10 -> 2^{10}, the plain-text reading);
//   - thousands separators when the whole answer is one such number ("1,000", "1{,}000");
//   - trailing '.', and a trailing '\' left by a line break.
// Not handled: units written as bare words ("5 cm"), \log without a base, matrices,
// intervals, inequalities and set-builder notation; such answers still compare as text.
#pragma once

#include <string>
#include <string_view>

namespace qdrift::scoring {

std::string normalize_latex_answer(std::string_view answer);

}  // namespace qdrift::scoring
