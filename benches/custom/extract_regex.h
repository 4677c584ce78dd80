// The `extract` regex of a custom bench spec: PCRE2 (Perl/Python syntax, UTF-8,
// Unicode classes), applied to a response; the LAST match wins, because a model
// restates and corrects itself and its closing statement is its answer.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "qdrift/status.h"

namespace qdrift::custom {

class ExtractRegex {
 public:
  // Fails with BadInput ("missing closing parenthesis at offset 7"); the caller
  // prefixes the spec file and key.
  static Result<ExtractRegex> compile(std::string_view pattern);

  // The first capture group of the last match (the whole match when the
  // pattern has no group, "" when the group did not take part); nullopt when
  // nothing matches.
  std::optional<std::string> last_match(std::string_view text) const;

 private:
  struct Code;
  explicit ExtractRegex(std::shared_ptr<const Code> code) : code_(std::move(code)) {}
  std::shared_ptr<const Code> code_;
};

}  // namespace qdrift::custom
