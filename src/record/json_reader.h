// Validated field access for qdrift's own files (run files, transcripts): each
// problem one message naming the place and the field, never an exception.
// Include only from .cpp files (it needs the full nlohmann header).
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "qdrift/status.h"

namespace qdrift {

// A place in a file ("f: benches.arith.items[3].samples[0]"), built only when
// an error needs it: loading thousands of items must not format thousands of paths.
struct Where {
  const std::string* root = nullptr;
  const Where* parent = nullptr;
  const char* field = "";
  std::size_t index = std::string::npos;
  std::string str() const {
    std::string text = parent ? parent->str() : *root;
    text += field;
    if (index != std::string::npos) text += fmt::format("[{}]", index);
    return text;
  }
};

// Field access that explains itself: "<where>: field 'x' has the wrong type (string)".
class Reader {
 public:
  Reader(const nlohmann::json& j, const Where& where) : j_(j), where_(where) {}
  Status require_object() const {
    return j_.is_object() ? Status::Ok() : Status::BadInput(where_.str() + ": must be a JSON object");
  }
  // Reads `key` into `out`; an absent or null optional field leaves `out` as it was.
  template <typename T>
  Status get(const char* key, T& out, bool required = true) const {
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) {
      return required ? Status::BadInput(fmt::format("{}: missing field '{}'", where_.str(), key))
                      : Status::Ok();
    }
    bool ok = false;
    if constexpr (std::is_same_v<T, bool>) ok = it->is_boolean();
    else if constexpr (std::is_same_v<T, std::string>) ok = it->is_string();
    else if constexpr (std::is_floating_point_v<T>) ok = it->is_number();
    else ok = it->is_number_integer();
    if (!ok)
      return Status::BadInput(fmt::format("{}: field '{}' has the wrong type ({})", where_.str(), key,
                                          it->type_name()));
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
      // get<T>() would wrap a value that does not fit (a schema of 2^32 + 1 reads as 1).
      const bool fits = it->is_number_unsigned()
                            ? it->template get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<T>::max())
                            : std::in_range<T>(it->template get<std::int64_t>());
      if (!fits) return Status::BadInput(fmt::format("{}: field '{}' is out of range ({})", where_.str(), key, it->dump()));
    }
    out = it->template get<T>();
    return Status::Ok();
  }
  // A message about this place: "<where>: <what>".
  Status bad(const std::string& what) const { return Status::BadInput(where_.str() + ": " + what); }

 private:
  const nlohmann::json& j_;
  const Where& where_;
};

}  // namespace qdrift
