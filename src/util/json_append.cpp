// append_json_string / append_json_number: nlohmann's output, without its tree.
#include "util/json_append.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/json_text.h"
#include "util/utf8.h"

namespace qdrift {

using nlohmann::json;

void append_json_string(std::string& out, std::string_view text) {
  if (first_invalid_utf8(text) != std::string_view::npos) {
    out += json_text(json(std::string(text)));
    return;
  }
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
          out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
        else
          out += c;
    }
  }
  out += '"';
}

void append_json_number(std::string& out, double value) {
  std::string text = fmt::format("{}", value);
  if (text.find_first_of("eEn") != std::string::npos) {
    out += json(value).dump();  // exponents and non-finite values: nlohmann's own rules
    return;
  }
  if (text.find('.') == std::string::npos) text += ".0";
  out += text;
}

}  // namespace qdrift
