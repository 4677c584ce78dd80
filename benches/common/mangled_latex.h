// Repair of LaTeX whose backslashes were eaten by string escapes.
//
// Some public copies of math problems were written with "\frac" inside a JSON or
// Python string literal, where "\f" is a form feed: the text now holds U+000C
// followed by "rac". The same happens to "\t" (TAB: \times, \theta, \triangle),
// "\b" (backspace: \binom, \beta), "\r" (CR: \right, \rho), "\n" (newline: \neq,
// \nu) and, from Python literals only, "\a" (BEL: \alpha) and "\v" (VT: \vec).
//
// A control character is turned back into a backslash only when the letters
// after it spell a command from a fixed table AND the next character is not a
// letter (so "\f"+"rac{" is repaired, "\f"+"ractal" is not). How much evidence
// each character needs depends on whether it also occurs legitimately:
//   FF, BS, BEL, VT  never in problem text: repaired whenever a command follows.
//   CR               legitimate only before LF: repaired whenever a command follows.
//   TAB              real whitespace: repaired when a command follows and either the
//                    tab is inside math ($...$, \(...\), $$...$$, \[...\]) or the letters
//                    after the tab are not a word of their own ("\tan" leaves "an").
//   LF               real line breaks are everywhere, including at the start of a
//                    display-math line ("\[" LF "u = 1"): repaired only inside
//                    inline math, where a line break right before "eq b$" has no
//                    other reading.
// Anything left that looks wrong is reported, not changed: FF, BS, BEL, VT and a
// CR not before LF always; TAB or LF when followed by a table command (for LF,
// unless the letters are a lone variable such as "u", the start of a real line).
//
// Not handled: a mangled "\u" (JSON rejects "\u" without four hex digits, so such
// files do not parse), and commands missing from the table.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace qdrift::scoring {

struct LatexRepair {
  std::string text;                     // the repaired text
  std::vector<std::string> repairs;     // one line per repair: "form feed+rac -> \frac at byte 57"
  std::vector<std::string> unrepaired;  // suspicious characters left as they were, and why

  bool changed() const { return !repairs.empty(); }
  bool suspicious() const { return !unrepaired.empty(); }
};

LatexRepair repair_mangled_latex(std::string_view text);

}  // namespace qdrift::scoring
