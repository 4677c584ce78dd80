// Wall-clock text.
#include "util/clock.h"

#include <ctime>

namespace qdrift {

std::string utc_now(const char* strftime_format) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[64];
  const std::size_t length = std::strftime(buffer, sizeof buffer, strftime_format, &tm);
  return std::string(buffer, length);
}

}  // namespace qdrift
