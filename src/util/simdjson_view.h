// A simdjson DOM value seen through the interface of NlohmannView
// (util/json_reader.h), so checks written over a view run over simdjson's tape:
// no allocation per value. Run files load several times faster, and each chat
// reply is read this way. Include only from .cpp files: simdjson.h is large.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "qdrift/status.h"

namespace qdrift {

class SimdjsonView {
 public:
  using Type = simdjson::dom::element_type;
  explicit SimdjsonView(simdjson::dom::element e) : e_(e) {}
  bool is_object() const { return e_.type() == Type::OBJECT; }
  bool is_array() const { return e_.type() == Type::ARRAY; }
  bool is_null() const { return e_.type() == Type::NULL_VALUE; }
  bool is_boolean() const { return e_.type() == Type::BOOL; }
  bool is_string() const { return e_.type() == Type::STRING; }
  bool is_number() const { return is_number_integer() || e_.type() == Type::DOUBLE; }
  bool is_number_integer() const { return e_.type() == Type::INT64 || e_.type() == Type::UINT64; }
  // simdjson types an integer UINT64 only above INT64_MAX; smaller ones read as int64 either way.
  bool is_number_unsigned() const { return e_.type() == Type::UINT64; }
  std::optional<SimdjsonView> find(const char* key) const {
    simdjson::dom::object object;
    simdjson::dom::element child;
    if (e_.get(object) != simdjson::SUCCESS || object.at_key(key).get(child) != simdjson::SUCCESS) return std::nullopt;
    return SimdjsonView(child);
  }
  bool get_bool() const { return e_.get_bool().value_unsafe(); }
  std::string get_string() const { return std::string(e_.get_string().value_unsafe()); }
  double get_double() const {
    if (e_.type() == Type::INT64) return static_cast<double>(get_int64());
    if (e_.type() == Type::UINT64) return static_cast<double>(get_uint64());
    return e_.get_double().value_unsafe();
  }
  std::int64_t get_int64() const { return e_.get_int64().value_unsafe(); }
  std::uint64_t get_uint64() const { return e_.get_uint64().value_unsafe(); }
  const char* type_name() const {  // nlohmann's names, so messages do not depend on the parser
    switch (e_.type()) {
      case Type::OBJECT: return "object";
      case Type::ARRAY: return "array";
      case Type::STRING: return "string";
      case Type::BOOL: return "boolean";
      case Type::NULL_VALUE: return "null";
      default: return "number";
    }
  }
  std::string dump() const { return simdjson::minify(e_); }
  std::size_t size() const {
    simdjson::dom::array array;
    return e_.get(array) == simdjson::SUCCESS ? array.size() : 0;
  }
  // For the rare small section whose reader takes nlohmann's DOM (the tripwire).
  nlohmann::json as_nlohmann() const { return nlohmann::json::parse(dump()); }
  template <typename F>
  Status each(F&& f) const {
    simdjson::dom::array array;
    if (e_.get(array) != simdjson::SUCCESS) return Status::Ok();
    std::size_t i = 0;
    for (simdjson::dom::element child : array) QDRIFT_TRY(f(i++, SimdjsonView(child)));
    return Status::Ok();
  }
  template <typename F>
  Status each_member(F&& f) const {
    simdjson::dom::object object;
    if (e_.get(object) != simdjson::SUCCESS) return Status::Ok();
    for (const simdjson::dom::key_value_pair& field : object) QDRIFT_TRY(f(field.key, SimdjsonView(field.value)));
    return Status::Ok();
  }

 private:
  simdjson::dom::element e_;
};

}  // namespace qdrift
