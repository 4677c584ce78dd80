// Errors as values. A Status says what went wrong and of which kind; Result<T>
// carries a value or a Status. Only main() turns a Status into an exit code, so
// every module returns these instead of exiting or throwing across its boundary.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace qdrift {

enum class ErrorKind {
  kOk,
  kUsage,      // bad flags or arguments
  kBadInput,   // a file or dataset that cannot be used as given
  kEndpoint,   // the server is unreachable, refuses, or answers nonsense
  kIo,         // the filesystem failed us
  kInterrupted,  // stopped by SIGINT/SIGTERM; the checkpoint holds what was done
  kInternal,   // a bug in qdrift
};

class Status {
 public:
  Status() = default;  // ok
  static Status Ok() { return {}; }
  static Status Usage(std::string m) { return {ErrorKind::kUsage, std::move(m)}; }
  static Status BadInput(std::string m) { return {ErrorKind::kBadInput, std::move(m)}; }
  static Status Endpoint(std::string m) { return {ErrorKind::kEndpoint, std::move(m)}; }
  static Status Io(std::string m) { return {ErrorKind::kIo, std::move(m)}; }
  static Status Internal(std::string m) { return {ErrorKind::kInternal, std::move(m)}; }
  static Status Interrupted(std::string m) { return {ErrorKind::kInterrupted, std::move(m)}; }

  bool ok() const { return kind_ == ErrorKind::kOk; }
  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }

 private:
  Status(ErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}
  ErrorKind kind_ = ErrorKind::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace qdrift

// Returns the Status of `expr` from the enclosing function when it is an error.
// The status variable is named per line, so a QDRIFT_TRY inside a lambda
// passed to another QDRIFT_TRY shadows nothing.
#define QDRIFT_TRY(expr) QDRIFT_TRY_AT_(expr, __LINE__)
#define QDRIFT_TRY_AT_(expr, line) QDRIFT_TRY_NAMED_(expr, QDRIFT_CAT_(qdrift_status_, line))
#define QDRIFT_CAT_(a, b) a##b
#define QDRIFT_TRY_NAMED_(expr, name)    \
  do {                                   \
    ::qdrift::Status name = (expr);      \
    if (!name.ok()) return name;         \
  } while (0)
