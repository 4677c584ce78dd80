// Wall-clock text for file names and run metadata.
#pragma once

#include <string>

namespace qdrift {

// The current UTC time formatted by strftime, e.g. "%Y-%m-%dT%H:%M:%SZ".
std::string utc_now(const char* strftime_format);

}  // namespace qdrift
