// Validated field access for qdrift's own files (run files, transcripts) and
// for servers' chat replies: each problem one message naming the place and the
// field, never an exception.
// Include only from .cpp files (it needs the full nlohmann header).
//
// The checks are written once over a *view* of a parsed value, so they run
// unchanged over nlohmann's DOM (NlohmannView, here) or simdjson's tape
// (SimdjsonView, util/simdjson_view.h: run files and chat replies, where speed matters).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
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

// The questions the readers ask of a value. Getters are called only after the
// matching is_…() said yes. each() walks an array, each_member() an object, in
// document order, stopping at the first error the callback returns.
class NlohmannView {
 public:
  NlohmannView(const nlohmann::json& j) : j_(&j) {}  // NOLINT: implicit, so Reader(json, where) reads naturally
  bool is_object() const { return j_->is_object(); }
  bool is_array() const { return j_->is_array(); }
  bool is_null() const { return j_->is_null(); }
  bool is_boolean() const { return j_->is_boolean(); }
  bool is_string() const { return j_->is_string(); }
  bool is_number() const { return j_->is_number(); }
  bool is_number_integer() const { return j_->is_number_integer(); }
  bool is_number_unsigned() const { return j_->is_number_unsigned(); }
  std::optional<NlohmannView> find(const char* key) const {
    auto it = j_->find(key);
    if (it == j_->end()) return std::nullopt;
    return NlohmannView(*it);
  }
  bool get_bool() const { return j_->get<bool>(); }
  std::string get_string() const { return j_->get<std::string>(); }
  double get_double() const { return j_->get<double>(); }
  std::int64_t get_int64() const { return j_->get<std::int64_t>(); }
  std::uint64_t get_uint64() const { return j_->get<std::uint64_t>(); }
  const char* type_name() const { return j_->type_name(); }
  std::string dump() const { return j_->dump(); }
  std::size_t size() const { return j_->size(); }
  const nlohmann::json& as_nlohmann() const { return *j_; }
  template <typename F>
  Status each(F&& f) const {
    for (std::size_t i = 0; i < j_->size(); ++i) QDRIFT_TRY(f(i, NlohmannView((*j_)[i])));
    return Status::Ok();
  }
  template <typename F>
  Status each_member(F&& f) const {
    for (auto it = j_->begin(); it != j_->end(); ++it) QDRIFT_TRY(f(std::string_view(it.key()), NlohmannView(*it)));
    return Status::Ok();
  }

 private:
  const nlohmann::json* j_;
};

// Field access that explains itself: "<where>: field 'x' has the wrong type (string)".
template <typename View>
class BasicReader {
 public:
  BasicReader(View j, const Where& where) : j_(j), where_(where) {}
  Status require_object() const {
    return j_.is_object() ? Status::Ok() : Status::BadInput(where_.str() + ": must be a JSON object");
  }
  // Reads `key` into `out`; an absent or null optional field leaves `out` as it was.
  template <typename T>
  Status get(const char* key, T& out, bool required = true) const {
    const std::optional<View> value = j_.find(key);
    if (!value || value->is_null()) {
      return required ? Status::BadInput(fmt::format("{}: missing field '{}'", where_.str(), key)) : Status::Ok();
    }
    const View& v = *value;
    bool ok = false;
    if constexpr (std::is_same_v<T, bool>) ok = v.is_boolean();
    else if constexpr (std::is_same_v<T, std::string>) ok = v.is_string();
    else if constexpr (std::is_floating_point_v<T>) ok = v.is_number();
    else ok = v.is_number_integer();
    if (!ok)
      return Status::BadInput(fmt::format("{}: field '{}' has the wrong type ({})", where_.str(), key, v.type_name()));
    if constexpr (std::is_same_v<T, bool>) {
      out = v.get_bool();
    } else if constexpr (std::is_same_v<T, std::string>) {
      out = v.get_string();
    } else if constexpr (std::is_floating_point_v<T>) {
      out = static_cast<T>(v.get_double());
    } else {
      // A plain cast would wrap a value that does not fit (a schema of 2^32 + 1 reads as 1).
      const bool fits = v.is_number_unsigned()
                            ? v.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<T>::max())
                            : std::in_range<T>(v.get_int64());
      if (!fits) return Status::BadInput(fmt::format("{}: field '{}' is out of range ({})", where_.str(), key, v.dump()));
      out = v.is_number_unsigned() ? static_cast<T>(v.get_uint64()) : static_cast<T>(v.get_int64());
    }
    return Status::Ok();
  }
  // A message about this place: "<where>: <what>".
  Status bad(const std::string& what) const { return Status::BadInput(where_.str() + ": " + what); }

 private:
  View j_;
  const Where& where_;
};

using Reader = BasicReader<NlohmannView>;

}  // namespace qdrift
