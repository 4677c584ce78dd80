// The prompt template of a custom bench spec: text with `{field}` placeholders
// filled from a dataset row, `{{` and `}}` standing for literal braces (the
// same rules as Python's str.format, without format specs). Parsed once when
// the spec loads, so a malformed template is reported before any row is read.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "qdrift/status.h"

namespace qdrift::custom {

class PromptTemplate {
 public:
  // Fails with BadInput ("unmatched '{' at offset 12", "empty placeholder {} at
  // offset 3"); the caller prefixes the spec file and key.
  static Result<PromptTemplate> parse(std::string_view text);

  // The placeholder names, in order of appearance, each once.
  const std::vector<std::string>& fields() const { return fields_; }
  bool uses(std::string_view field) const;

  // The template with every placeholder replaced by its value. A name missing
  // from `values` is BadInput naming it, as `no field "name"`.
  Result<std::string> render(const std::map<std::string, std::string, std::less<>>& values) const;

 private:
  struct Segment {
    bool is_field = false;
    std::string text;  // literal text, or the field name
  };
  std::vector<Segment> segments_;
  std::vector<std::string> fields_;
};

}  // namespace qdrift::custom
