// JSON text written by hand, for the lines a run writes once per request (the
// request body, the checkpoint line, the run file's item lines): nlohmann's tree
// costs more than everything else on the way. Both write exactly what nlohmann's
// dump() writes for the same value, so files and bodies keep their bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace qdrift {

// A JSON string: \" \\ \b \f \n \r \t, other control bytes as \u00xx, the
// rest raw; text that is not UTF-8 has each bad byte written as U+FFFD.
void append_json_string(std::string& out, std::string_view text);
// A number: shortest round trip, ".0" on whole numbers, as nlohmann.
void append_json_number(std::string& out, double value);

// The members of a JSON object being written into `out`, commas between them.
// The caller writes the braces, so one object can be written in parts (a
// checkpoint line is the sample's key, then the sample's fields).
class JsonMembers {
 public:
  explicit JsonMembers(std::string& out, bool first = true) : out_(out), first_(first) {}
  JsonMembers& text(std::string_view key, std::string_view value);
  JsonMembers& integer(std::string_view key, std::int64_t value);
  JsonMembers& number(std::string_view key, double value);
  JsonMembers& boolean(std::string_view key, bool value);
  JsonMembers& null(std::string_view key);
  // `value` is already JSON text (an object or array written by the caller).
  JsonMembers& raw(std::string_view key, std::string_view value);

 private:
  void key(std::string_view key);
  std::string& out_;
  bool first_;
};

}  // namespace qdrift
