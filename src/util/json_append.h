// JSON text written by hand, for the lines a run writes once per request (the
// request body, the checkpoint line, the run file's item lines): nlohmann's tree
// costs more than everything else on the way. Both write exactly what nlohmann's
// dump() writes for the same value, so files and bodies keep their bytes.
#pragma once

#include <string>
#include <string_view>

namespace qdrift {

// A JSON string: \" \\ \b \f \n \r \t, other control bytes as \u00xx, the
// rest raw; text that is not UTF-8 has each bad byte written as U+FFFD.
void append_json_string(std::string& out, std::string_view text);
// A number: shortest round trip, ".0" on whole numbers, as nlohmann.
void append_json_number(std::string& out, double value);

}  // namespace qdrift
