// Escaping text for XML and HTML (JUnit and the HTML report): the five characters
// that could end an element or an attribute.
#pragma once

#include <string>
#include <string_view>

namespace qdrift {

inline std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

}  // namespace qdrift
