#pragma once
// Status and Result<T>: the error vocabulary of util/, codec/, storage/, io/, graph/ and query/.
// A Status is OK or a code plus a message meant for a person ("file:line:col: what is wrong").
// Both are [[nodiscard]]: dropping one is a bug; say `IgnoreError()` where it really is intended.
// Value types; thread-compatible.

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace geokg {

class [[nodiscard]] Status {
 public:
  enum class Code { kOk, kNotFound, kCorruption, kInvalidArgument, kIOError, kVersionMismatch };

  Status() = default;
  static Status OK() { return Status(); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status InvalidArgument(std::string msg) {
    return Status(Code::kInvalidArgument, std::move(msg));
  }
  static Status IOError(std::string msg) { return Status(Code::kIOError, std::move(msg)); }
  static Status VersionMismatch(std::string msg) {
    return Status(Code::kVersionMismatch, std::move(msg));
  }

  bool ok() const { return code_ == Code::kOk; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsCorruption() const { return code_ == Code::kCorruption; }
  bool IsInvalidArgument() const { return code_ == Code::kInvalidArgument; }
  bool IsIOError() const { return code_ == Code::kIOError; }
  bool IsVersionMismatch() const { return code_ == Code::kVersionMismatch; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "Corruption: <message>", or "OK".
  std::string ToString() const;

  // Returns a copy whose message is "<context>: <message>".
  Status WithContext(const std::string& context) const {
    if (ok()) return *this;
    return Status(code_, context + ": " + message_);
  }

  // The one sanctioned way to drop a Status (grep for it).
  void IgnoreError() const {}

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok() && "Result constructed from an OK Status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  // The error; OK when this holds a value.
  Status status() const { return ok() ? Status::OK() : std::get<Status>(v_); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace geokg

// Propagates a non-OK Status from the enclosing function.
#define GEOKG_RETURN_IF_ERROR(expr)        \
  do {                                     \
    ::geokg::Status _geokg_st = (expr);    \
    if (!_geokg_st.ok()) return _geokg_st; \
  } while (0)

#define GEOKG_CONCAT_INNER(a, b) a##b
#define GEOKG_CONCAT(a, b) GEOKG_CONCAT_INNER(a, b)
// `GEOKG_ASSIGN_OR_RETURN(auto x, MakeX());` binds the value or returns the error.
#define GEOKG_ASSIGN_OR_RETURN(lhs, expr) \
  GEOKG_ASSIGN_OR_RETURN_IMPL(GEOKG_CONCAT(_geokg_res_, __LINE__), lhs, expr)
#define GEOKG_ASSIGN_OR_RETURN_IMPL(res, lhs, expr) \
  auto res = (expr);                                \
  if (!res.ok()) return res.status();               \
  lhs = std::move(res).value()
