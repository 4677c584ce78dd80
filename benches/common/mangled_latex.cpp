// repair_mangled_latex: one pass that tracks math mode and looks each control
// character up in a table of the commands its escape could have eaten.
#include "common/mangled_latex.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <optional>

namespace qdrift::scoring {

namespace {

struct Command {
  char control;           // the character the escape produced
  std::string_view name;  // the command, without its backslash
  bool leaves_a_word;     // the letters after the control character are a word or a lone
                          // variable on their own ("\tan" leaves "an", "\nu" leaves "u")
};

// Commands a backslash escape can eat, keyed by the control character it
// becomes: "\f"+"rac" -> FF, "\t"+"imes" -> TAB, "\b"+"inom" -> BS, ...
// One row group per control character (clang-format would put one command per line).
// clang-format off
constexpr std::array kCommands = {
    Command{'\f', "frac", false}, Command{'\f', "forall", false}, Command{'\f', "flat", false},
    Command{'\f', "fbox", false}, Command{'\f', "frown", false},
    Command{'\t', "times", false}, Command{'\t', "theta", false}, Command{'\t', "triangle", false},
    Command{'\t', "triangleq", false}, Command{'\t', "triangleleft", false}, Command{'\t', "triangleright", false},
    Command{'\t', "tan", true}, Command{'\t', "tanh", false}, Command{'\t', "tau", false},
    Command{'\t', "text", false}, Command{'\t', "textbf", false}, Command{'\t', "textit", false},
    Command{'\t', "textrm", false}, Command{'\t', "textstyle", false}, Command{'\t', "tfrac", false},
    Command{'\t', "tbinom", false}, Command{'\t', "tilde", false}, Command{'\t', "to", true},
    Command{'\t', "top", true}, Command{'\t', "therefore", false},
    Command{'\b', "binom", false}, Command{'\b', "beta", false}, Command{'\b', "bar", false},
    Command{'\b', "boxed", false}, Command{'\b', "begin", false}, Command{'\b', "big", false},
    Command{'\b', "bigg", false}, Command{'\b', "bigl", false}, Command{'\b', "bigr", false},
    Command{'\b', "biggl", false}, Command{'\b', "biggr", false}, Command{'\b', "bigcup", false},
    Command{'\b', "bigcap", false}, Command{'\b', "bmod", false}, Command{'\b', "bot", false},
    Command{'\b', "bullet", false}, Command{'\b', "bf", false}, Command{'\b', "backslash", false},
    Command{'\b', "because", false}, Command{'\b', "boldsymbol", false}, Command{'\b', "blacksquare", false},
    Command{'\r', "right", false}, Command{'\r', "rho", false}, Command{'\r', "rangle", false},
    Command{'\r', "rfloor", false}, Command{'\r', "rceil", false}, Command{'\r', "rbrace", false},
    Command{'\r', "rm", false}, Command{'\r', "rightarrow", false}, Command{'\r', "rightleftharpoons", false},
    Command{'\r', "rvert", false}, Command{'\r', "rVert", false},
    Command{'\n', "neq", false}, Command{'\n', "ne", true}, Command{'\n', "nu", true}, Command{'\n', "nabla", false},
    Command{'\n', "not", false}, Command{'\n', "notin", false}, Command{'\n', "neg", false},
    Command{'\n', "nmid", false}, Command{'\n', "nleq", false}, Command{'\n', "ngeq", false},
    Command{'\n', "nsubseteq", false}, Command{'\n', "nparallel", false}, Command{'\n', "newline", false},
    Command{'\n', "noindent", false}, Command{'\n', "nolimits", false}, Command{'\n', "nexists", false},
    Command{'\a', "alpha", false}, Command{'\a', "approx", false}, Command{'\a', "angle", false},
    Command{'\a', "ast", false}, Command{'\a', "arctan", false}, Command{'\a', "arcsin", false},
    Command{'\a', "arccos", false}, Command{'\a', "aleph", false},
    Command{'\v', "vec", false}, Command{'\v', "varphi", false}, Command{'\v', "varepsilon", false},
    Command{'\v', "vartheta", false}, Command{'\v', "vdots", false}, Command{'\v', "vee", false},
    Command{'\v', "vert", false}, Command{'\v', "varnothing", false},
};
// clang-format on

enum class MathMode { kText, kInline, kDisplay };

bool is_letter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

std::string_view control_name(char c) {
  switch (c) {
    case '\f':
      return "form feed";
    case '\t':
      return "tab";
    case '\b':
      return "backspace";
    case '\r':
      return "carriage return";
    case '\n':
      return "newline";
    case '\a':
      return "bell";
    case '\v':
      return "vertical tab";
  }
  return "control character";
}

// The longest table command whose letters after the first follow `pos` and
// end there (the next character is not a letter).
std::optional<Command> command_after(std::string_view text, std::size_t pos) {
  std::optional<Command> best;
  for (const Command& command : kCommands) {
    if (command.control != text[pos]) continue;
    const std::string_view rest = command.name.substr(1);
    if (text.substr(pos + 1, rest.size()) != rest) continue;
    const std::size_t after = pos + 1 + rest.size();
    if (after < text.size() && is_letter(text[after])) continue;
    if (!best || command.name.size() > best->name.size()) best = command;
  }
  return best;
}

bool always_suspicious(char c) { return c == '\f' || c == '\b' || c == '\a' || c == '\v'; }

// Updates `mode` for a math delimiter at `pos` and returns how many characters
// it spans (0 when there is none): $, $$, \( \) \[ \], and escaped \$ \\ skipped.
std::size_t math_delimiter(std::string_view text, std::size_t pos, MathMode* mode) {
  const char c = text[pos];
  const char next = pos + 1 < text.size() ? text[pos + 1] : '\0';
  if (c == '\\') {
    if (next == '(' || next == '[') *mode = next == '(' ? MathMode::kInline : MathMode::kDisplay;
    if (next == ')' || next == ']') *mode = MathMode::kText;
    return next == '\0' ? 1 : 2;
  }
  if (c != '$') return 0;
  if (next == '$') {
    if (*mode != MathMode::kInline) *mode = *mode == MathMode::kDisplay ? MathMode::kText : MathMode::kDisplay;
    return 2;
  }
  if (*mode != MathMode::kDisplay) *mode = *mode == MathMode::kInline ? MathMode::kText : MathMode::kInline;
  return 1;
}

}  // namespace

LatexRepair repair_mangled_latex(std::string_view text) {
  LatexRepair result;
  result.text.reserve(text.size() + 8);
  MathMode mode = MathMode::kText;
  for (std::size_t pos = 0; pos < text.size();) {
    if (const std::size_t span = math_delimiter(text, pos, &mode)) {
      result.text.append(text.substr(pos, span));
      pos += span;
      continue;
    }
    const char c = text[pos];
    const bool control = c == '\f' || c == '\t' || c == '\b' || c == '\r' || c == '\n' || c == '\a' || c == '\v';
    if (!control || (c == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n')) {
      result.text.push_back(c);
      ++pos;
      continue;
    }
    const std::optional<Command> command = command_after(text, pos);
    bool repair = false;
    if (command) {
      if (always_suspicious(c) || c == '\r') repair = true;
      if (c == '\t') repair = mode != MathMode::kText || !command->leaves_a_word;
      if (c == '\n') repair = mode == MathMode::kInline;
    }
    if (repair) {
      result.repairs.push_back(
          fmt::format("{}+{} -> \\{} at byte {}", control_name(c), command->name.substr(1), command->name, pos));
      result.text.push_back('\\');
      result.text.push_back(command->name[0]);
    } else {
      result.text.push_back(c);
      if (command && !(c == '\n' && command->leaves_a_word)) {
        result.unrepaired.push_back(fmt::format("{} before \"{}\" at byte {} left as is: {}", control_name(c),
                                                command->name.substr(1), pos,
                                                c == '\n' ? "a line break may be real outside inline math"
                                                          : "outside math the letters after it read as a word"));
      } else if (!command && (always_suspicious(c) || c == '\r')) {
        result.unrepaired.push_back(
            fmt::format("{} at byte {} is not followed by a known command", control_name(c), pos));
      }
    }
    ++pos;
  }
  return result;
}

}  // namespace qdrift::scoring
