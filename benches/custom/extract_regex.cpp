// ExtractRegex over PCRE2 (8-bit). The compiled code is shared and immutable;
// each search makes its own match data, so one regex serves many threads.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "custom/extract_regex.h"

#include <fmt/format.h>
#include <pcre2.h>

namespace qdrift::custom {

struct ExtractRegex::Code {
  pcre2_code* code = nullptr;
  ~Code() { pcre2_code_free(code); }
};

Result<ExtractRegex> ExtractRegex::compile(std::string_view pattern) {
  // MATCH_INVALID_UTF: a response with a stray byte is searched, not rejected.
  const uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
  int error = 0;
  PCRE2_SIZE error_offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), options, &error,
                                   &error_offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof message);
    return Status::BadInput(
        fmt::format("bad regex: {} at offset {}", reinterpret_cast<const char*>(message), error_offset));
  }
  auto owned = std::make_shared<Code>();
  owned->code = code;
  return ExtractRegex(std::move(owned));
}

std::optional<std::string> ExtractRegex::last_match(std::string_view text) const {
  pcre2_match_data* match = pcre2_match_data_create_from_pattern(code_->code, nullptr);
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  uint32_t groups = 0;
  pcre2_pattern_info(code_->code, PCRE2_INFO_CAPTURECOUNT, &groups);
  std::optional<std::string> last;
  std::size_t offset = 0;
  while (offset <= text.size()) {
    const int rc = pcre2_match(code_->code, subject, text.size(), offset, 0, match, nullptr);
    if (rc < 0) break;  // no more matches (or a match-time error, treated the same)
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match);
    const std::size_t begin = ovector[0], end = ovector[1];
    if (end < begin) break;  // \K tricks; not worth supporting
    if (groups == 0) {
      last = std::string(text.substr(begin, end - begin));
    } else if (rc >= 2 && ovector[2] != PCRE2_UNSET) {
      last = std::string(text.substr(ovector[2], ovector[3] - ovector[2]));
    } else {
      last = std::string();  // group 1 did not take part in this match
    }
    // After an empty match step one code point, so the scan always advances.
    std::size_t next = end;
    if (end == begin) {
      ++next;
      while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) ++next;
    }
    offset = next;
  }
  pcre2_match_data_free(match);
  return last;
}

}  // namespace qdrift::custom
