// Language identification for the IFEval checkers. The reference uses the
// Python port of langdetect; we use CLD2 (Debian's libcld2) and report codes
// the way langdetect spells them (ISO 639-1, "zh-cn"/"zh-tw" for Chinese).
#pragma once

#include <string>
#include <string_view>

namespace qdrift::ifeval {

struct DetectedLanguage {
  // False when the text has no letters at all: langdetect raises "No features
  // in text" there, and the reference then counts the instruction as followed.
  bool has_features = false;
  std::string code;  // "" when CLD2 cannot tell
};

DetectedLanguage detect_language(std::string_view text);

}  // namespace qdrift::ifeval
