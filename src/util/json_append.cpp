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

void JsonMembers::key(std::string_view key) {
  if (!first_) out_ += ',';
  first_ = false;
  out_ += '"';
  out_ += key;  // keys are qdrift's own names: nothing to escape
  out_ += "\":";
}

JsonMembers& JsonMembers::text(std::string_view key, std::string_view value) {
  this->key(key);
  append_json_string(out_, value);
  return *this;
}

JsonMembers& JsonMembers::integer(std::string_view key, std::int64_t value) {
  this->key(key);
  out_ += std::to_string(value);
  return *this;
}

JsonMembers& JsonMembers::number(std::string_view key, double value) {
  this->key(key);
  append_json_number(out_, value);
  return *this;
}

JsonMembers& JsonMembers::boolean(std::string_view key, bool value) {
  this->key(key);
  out_ += value ? "true" : "false";
  return *this;
}

JsonMembers& JsonMembers::null(std::string_view key) {
  this->key(key);
  out_ += "null";
  return *this;
}

JsonMembers& JsonMembers::raw(std::string_view key, std::string_view value) {
  this->key(key);
  out_ += value;
  return *this;
}

}  // namespace qdrift
