// CLD2 behind the langdetect-shaped interface of language.h.
#include "ifeval/language.h"

#include <cld2/public/compact_lang_det.h>

#include <cstdio>  // compact_lang_det.h uses FILE without including it

#include "ifeval/text.h"

namespace qdrift::ifeval {
namespace {

// CLD2 keeps a few legacy codes; langdetect (and ISO 639-1) use the current ones.
std::string to_langdetect_code(std::string_view cld2_code) {
  if (cld2_code == "iw") return "he";
  if (cld2_code == "ji") return "yi";
  if (cld2_code == "in") return "id";
  if (cld2_code == "zh") return "zh-cn";
  if (cld2_code == "zh-Hant") return "zh-tw";
  if (cld2_code == "nb") return "no";
  return std::string(cld2_code);
}

}  // namespace

DetectedLanguage detect_language(std::string_view text) {
  DetectedLanguage detected;
  for (char32_t c : decode_utf8(text)) {
    if (is_alpha(c)) {
      detected.has_features = true;
      break;
    }
  }
  if (!detected.has_features) return detected;
  // CLD2 wants valid UTF-8; re-encoding turns any invalid byte into U+FFFD.
  const std::string valid = encode_utf8(decode_utf8(text));
  // ExtDetectLanguageSummary, not DetectLanguage: the latter answers ENGLISH
  // when it cannot tell, which would pass "YES" as English.
  CLD2::Language top3[3];
  int percent3[3];
  int text_bytes = 0;
  bool is_reliable = false;
  const CLD2::Language language = CLD2::ExtDetectLanguageSummary(
      valid.data(), static_cast<int>(valid.size()), /*is_plain_text=*/true, top3, percent3, &text_bytes, &is_reliable);
  // An unreliable guess still counts: langdetect always names its best guess.
  if (language != CLD2::UNKNOWN_LANGUAGE) detected.code = to_langdetect_code(CLD2::LanguageCode(language));
  return detected;
}

}  // namespace qdrift::ifeval
