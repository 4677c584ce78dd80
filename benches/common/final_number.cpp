// Final-number extraction: a forward scan for number tokens plus the two
// phrase rules that anchor a number to a marker.
#include "common/final_number.h"

#include <array>
#include <cctype>

namespace qdrift::scoring {

namespace {

constexpr std::string_view kUnicodeMinus = "\xE2\x88\x92";  // U+2212, which some models print

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::size_t digit_run(std::string_view text, std::size_t pos) {
  std::size_t end = pos;
  while (end < text.size() && is_digit(text[end])) ++end;
  return end - pos;
}

// The end of the unsigned number whose first digit is at `pos`: thousands
// groups only when the leading run has 1-3 digits and every group exactly 3.
std::size_t unsigned_number_end(std::string_view text, std::size_t pos) {
  std::size_t end = pos + digit_run(text, pos);
  if (end - pos <= 3) {
    while (end < text.size() && text[end] == ',' && digit_run(text, end + 1) == 3) end += 4;
  }
  if (end + 1 < text.size() && text[end] == '.' && is_digit(text[end + 1])) end += 1 + digit_run(text, end + 1);
  return end;
}

// A '-' is a sign unless the last non-space character before it ends an
// operand (a digit or ')'), which makes it a subtraction.
bool minus_is_sign(std::string_view text, std::size_t minus_pos) {
  std::size_t k = minus_pos;
  while (k > 0 && text[k - 1] == ' ') --k;
  if (k == 0) return true;
  const char before = text[k - 1];
  if (k == minus_pos) return !(is_alnum(before) || before == ')');
  return !(is_digit(before) || before == ')');
}

struct NumberToken {
  std::size_t end = 0;
  std::string canonical;
};

// Whether the number whose first digit is at `digit_pos` carries a minus
// sign, looking back over "-", "-$", "$-" and U+2212.
bool preceded_by_sign(std::string_view text, std::size_t digit_pos) {
  std::size_t start = digit_pos;
  if (start > 0 && text[start - 1] == '$') --start;
  if (start > 0 && text[start - 1] == '-') return minus_is_sign(text, start - 1);
  return start >= kUnicodeMinus.size() &&
         text.substr(start - kUnicodeMinus.size(), kUnicodeMinus.size()) == kUnicodeMinus;
}

std::optional<NumberToken> token_from_digit(std::string_view text, std::size_t digit_pos) {
  const std::size_t end = unsigned_number_end(text, digit_pos);
  auto canonical = canonical_decimal(text.substr(digit_pos, end - digit_pos));
  if (!canonical) return std::nullopt;
  if (preceded_by_sign(text, digit_pos) && *canonical != "0") canonical->insert(0, "-");
  return NumberToken{end, *canonical};
}

// A number starting at `pos` itself (right after a marker): "$-1,000.50", "-$5", "+3", "42".
std::optional<NumberToken> number_at(std::string_view text, std::size_t pos) {
  bool negative = false;
  std::size_t digit = pos;
  for (int step = 0; step < 2 && digit < text.size(); ++step) {
    if (text[digit] == '$' || text[digit] == '+') {
      ++digit;
    } else if (text[digit] == '-') {
      negative = true;
      ++digit;
    } else if (text.substr(digit, kUnicodeMinus.size()) == kUnicodeMinus) {
      negative = true;
      digit += kUnicodeMinus.size();
    }
  }
  if (digit >= text.size() || !is_digit(text[digit])) return std::nullopt;
  auto token = token_from_digit(text, digit);
  if (token && negative && token->canonical != "0" && token->canonical[0] != '-') token->canonical.insert(0, "-");
  return token;
}

// Skips what sits between a marker and its number: spaces, ':', "is", markdown
// emphasis, and LaTeX wrappers such as "$\boxed{".
std::size_t skip_to_value(std::string_view text, std::size_t pos) {
  static constexpr std::array<std::string_view, 8> kWrappers = {"is",      "\\(",       "\\[",       "\\boxed{",
                                                                "\\text{", "\\textbf{", "\\mathbf{", "&"};
  for (bool moved = true; moved && pos < text.size();) {
    moved = false;
    const char c = text[pos];
    if (c == ' ' || c == '\t' || c == '\n' || c == ':' || c == '*' || c == '_' || c == '`' || c == '=' ||
        (c == '$' && pos + 1 < text.size() && text[pos + 1] == '\\')) {
      ++pos;
      moved = true;
      continue;
    }
    for (std::string_view wrapper : kWrappers) {
      if (text.substr(pos, wrapper.size()) == wrapper) {
        pos += wrapper.size();
        moved = true;
        break;
      }
    }
  }
  return pos;
}

std::string ascii_lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

// The number after the last occurrence of `marker` that is followed by one.
std::optional<std::string> after_last_marker(std::string_view text, std::string_view lower, std::string_view marker) {
  std::optional<std::string> found;
  for (std::size_t at = lower.find(marker); at != std::string_view::npos; at = lower.find(marker, at + 1)) {
    if (auto token = number_at(text, skip_to_value(text, at + marker.size()))) found = token->canonical;
  }
  return found;
}

}  // namespace

std::string_view describe(NumberRule rule) {
  switch (rule) {
    case NumberRule::kFinalAnswerPhrase:
      return "\"The final answer is N\"";
    case NumberRule::kHashes:
      return "\"#### N\"";
    case NumberRule::kLastNumber:
      return "last number";
  }
  return "?";
}

std::optional<FinalNumber> find_final_number(std::string_view text) {
  const std::string lower = ascii_lower(text);
  if (auto number = after_last_marker(text, lower, "final answer"))
    return FinalNumber{*number, NumberRule::kFinalAnswerPhrase};
  if (auto number = after_last_marker(text, lower, "####")) return FinalNumber{*number, NumberRule::kHashes};
  std::optional<std::string> last;
  for (std::size_t pos = 0; pos < text.size();) {
    if (!is_digit(text[pos])) {
      ++pos;
      continue;
    }
    auto token = token_from_digit(text, pos);
    if (token) last = token->canonical;
    pos = token ? token->end : pos + 1;
  }
  if (last) return FinalNumber{*last, NumberRule::kLastNumber};
  return std::nullopt;
}

std::optional<std::string> extract_final_number(std::string_view text) {
  auto found = find_final_number(text);
  if (!found) return std::nullopt;
  return found->number;
}

std::optional<std::string> parse_gsm8k_gold(std::string_view answer_field) {
  const std::size_t at = answer_field.rfind("####");
  if (at == std::string_view::npos) return std::nullopt;
  return canonical_decimal(answer_field.substr(at + 4));
}

std::optional<std::string> canonical_decimal(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  bool negative = false;
  for (bool moved = true; moved && !text.empty();) {
    moved = true;
    if (text.front() == '$' || text.front() == '+') {
      text.remove_prefix(1);
    } else if (text.front() == '-' && !negative) {
      negative = true;
      text.remove_prefix(1);
    } else if (text.starts_with(kUnicodeMinus) && !negative) {
      negative = true;
      text.remove_prefix(kUnicodeMinus.size());
    } else {
      moved = false;
    }
  }
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  std::string integer, fraction;
  bool in_fraction = false;
  for (char c : text) {
    if (c == ',' && !in_fraction && !integer.empty()) continue;
    if (c == '.' && !in_fraction) {
      in_fraction = true;
    } else if (is_digit(c)) {
      (in_fraction ? fraction : integer).push_back(c);
    } else {
      return std::nullopt;
    }
  }
  if (integer.empty() && fraction.empty()) return std::nullopt;
  const std::size_t first_nonzero = integer.find_first_not_of('0');
  integer = first_nonzero == std::string::npos ? "0" : integer.substr(first_nonzero);
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  std::string out = fraction.empty() ? integer : integer + "." + fraction;
  if (negative && out != "0") out.insert(0, "-");
  return out;
}

bool numbers_equal(std::string_view a, std::string_view b) {
  auto left = canonical_decimal(a);
  auto right = canonical_decimal(b);
  return left && right && *left == *right;
}

}  // namespace qdrift::scoring
