// Regular expressions with Python `re` semantics, over PCRE2 in UTF + UCP mode:
// \w, \s, \b and case folding are Unicode-aware as in Python 3, `.` stops at
// "\n" only, and `$` also matches before a final newline. The reference checker
// is written in these regexes (and takes some kwargs as regexes), so keeping
// them as regexes is the surest way to agree with it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "qdrift/status.h"

namespace qdrift::ifeval {

class Pattern {
 public:
  enum Flags : unsigned { kNone = 0, kIgnoreCase = 1, kMultiline = 2 };
  using Span = std::pair<std::size_t, std::size_t>;  // byte offsets [first, second)

  // Fails with BadInput naming the error and where it is.
  static Result<Pattern> compile(std::string_view regex, unsigned flags = kNone);
  // For the checkers' own fixed patterns: a failure here is a bug, so it aborts.
  static Pattern fixed(std::string_view regex, unsigned flags = kNone);

  bool search(std::string_view text) const;
  std::size_t count(std::string_view text) const;  // len(re.findall(...))
  std::vector<Span> find_all(std::string_view text) const;
  std::vector<std::string_view> split(std::string_view text) const;  // re.split
  // re.sub with a PCRE2 replacement ("$1", "$0"); text unchanged on error.
  std::string replace_all(std::string_view text, std::string_view replacement) const;

 private:
  struct Code;
  explicit Pattern(std::shared_ptr<const Code> code) : code_(std::move(code)) {}
  std::shared_ptr<const Code> code_;
};

}  // namespace qdrift::ifeval
