// Python-`re`-like regexes over PCRE2 (8-bit, UTF + UCP).
#define PCRE2_CODE_UNIT_WIDTH 8
#include "ifeval/pattern.h"

#include <pcre2.h>

#include <cstdio>
#include <cstdlib>

namespace qdrift::ifeval {

struct Pattern::Code {
  pcre2_code* code = nullptr;
  ~Code() { pcre2_code_free(code); }
};

namespace {

struct MatchData {
  explicit MatchData(const pcre2_code* code) : data(pcre2_match_data_create_from_pattern(code, nullptr)) {}
  ~MatchData() { pcre2_match_data_free(data); }
  MatchData(const MatchData&) = delete;
  MatchData& operator=(const MatchData&) = delete;
  pcre2_match_data* data;
};

// Length of the UTF-8 sequence starting at `pos` (1 for a stray byte).
std::size_t code_point_size(std::string_view text, std::size_t pos) {
  std::size_t size = 1;
  while (pos + size < text.size() && (static_cast<unsigned char>(text[pos + size]) & 0xC0) == 0x80) ++size;
  return size;
}

// Calls `on_match(begin, end)` for each non-overlapping match, left to right.
template <typename OnMatch>
void for_each_match(const pcre2_code* code, std::string_view text, OnMatch on_match) {
  MatchData match(code);
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  std::size_t offset = 0;
  while (offset <= text.size()) {
    const int rc = pcre2_match(code, subject, text.size(), offset, 0, match.data, nullptr);
    if (rc < 0) return;  // no match, or an error we treat as no match
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match.data);
    const std::size_t begin = ovector[0];
    const std::size_t end = ovector[1];
    if (end < begin) return;  // \K games; none of our patterns play them
    on_match(begin, end);
    // After an empty match, step one code point so the scan always advances.
    offset = end > begin ? end : (end < text.size() ? end + code_point_size(text, end) : text.size() + 1);
  }
}

}  // namespace

Result<Pattern> Pattern::compile(std::string_view regex, unsigned flags) {
  uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
  if (flags & kIgnoreCase) options |= PCRE2_CASELESS;
  if (flags & kMultiline) options |= PCRE2_MULTILINE;
  pcre2_compile_context* context = pcre2_compile_context_create(nullptr);
  pcre2_set_newline(context, PCRE2_NEWLINE_LF);  // Python's `.`, `^` and `$` know only "\n"
  int error = 0;
  PCRE2_SIZE error_offset = 0;
  pcre2_code* code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(regex.data()), regex.size(), options, &error, &error_offset, context);
  pcre2_compile_context_free(context);
  if (code == nullptr) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof message);
    return Status::BadInput("invalid regular expression '" + std::string(regex) + "' at offset " +
                            std::to_string(error_offset) + ": " + reinterpret_cast<const char*>(message));
  }
  auto owned = std::make_shared<Code>();
  owned->code = code;
  return Pattern(std::move(owned));
}

Pattern Pattern::fixed(std::string_view regex, unsigned flags) {
  Result<Pattern> pattern = compile(regex, flags);
  if (!pattern.ok()) {
    std::fprintf(stderr, "qdrift: internal error: %s\n", pattern.status().message().c_str());
    std::abort();
  }
  return std::move(pattern).value();
}

bool Pattern::search(std::string_view text) const {
  MatchData match(code_->code);
  return pcre2_match(code_->code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0, 0, match.data, nullptr) >=
         0;
}

std::size_t Pattern::count(std::string_view text) const {
  std::size_t matches = 0;
  for_each_match(code_->code, text, [&](std::size_t, std::size_t) { ++matches; });
  return matches;
}

std::vector<Pattern::Span> Pattern::find_all(std::string_view text) const {
  std::vector<Span> spans;
  for_each_match(code_->code, text, [&](std::size_t begin, std::size_t end) { spans.emplace_back(begin, end); });
  return spans;
}

std::vector<std::string_view> Pattern::split(std::string_view text) const {
  std::vector<std::string_view> pieces;
  std::size_t last = 0;
  for_each_match(code_->code, text, [&](std::size_t begin, std::size_t end) {
    pieces.push_back(text.substr(last, begin - last));
    last = end;
  });
  pieces.push_back(text.substr(last));
  return pieces;
}

std::string Pattern::replace_all(std::string_view text, std::string_view replacement) const {
  const uint32_t options = PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH;
  std::string out(text.size() * 2 + 64, '\0');
  for (int attempt = 0; attempt < 2; ++attempt) {
    PCRE2_SIZE out_size = out.size();
    const int rc = pcre2_substitute(code_->code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0, options,
                                    nullptr, nullptr, reinterpret_cast<PCRE2_SPTR>(replacement.data()),
                                    replacement.size(), reinterpret_cast<PCRE2_UCHAR*>(out.data()), &out_size);
    if (rc >= 0) {
      out.resize(out_size);
      return out;
    }
    if (rc != PCRE2_ERROR_NOMEMORY) break;
    out.assign(out_size, '\0');  // out_size now holds the size needed
  }
  return std::string(text);
}

}  // namespace qdrift::ifeval
