// JSON text that never throws: nlohmann's dump() throws type_error 316 on a
// string that is not UTF-8, and a model's answer, a user's file or a flag can
// carry such bytes. Each is written as U+FFFD instead of ending the process.
// Include only from .cpp files (it needs the full nlohmann header).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace qdrift {

template <typename Json>
std::string json_text(const Json& value, int indent = -1) {
  return value.dump(indent, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

}  // namespace qdrift
