// JSON text that never throws: nlohmann's dump() throws type_error 316 on a
// string that is not UTF-8, and a model's answer, a user's file or a flag can
// carry such bytes. Each is written as U+FFFD instead of ending the process.
// Also the text of a parse error, for the same reason.
// Include only from .cpp files (it needs the full nlohmann header).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "util/utf8.h"

namespace qdrift {

template <typename Json>
std::string json_text(const Json& value, int indent = -1) {
  return value.dump(indent, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

// A parse failure as a user should read it: nlohmann's what() without its
// "[json.exception.parse_error.101] " id, and as valid UTF-8 (it quotes the
// bytes it last read, which may be broken).
inline std::string json_error_text(const nlohmann::json::exception& error) {
  std::string_view what = error.what();
  if (const auto bracket = what.find("] "); bracket != std::string_view::npos) what.remove_prefix(bracket + 2);
  return printable_utf8(what);
}

}  // namespace qdrift
