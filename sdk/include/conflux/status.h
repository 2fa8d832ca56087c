// conflux/status.h — error values that cross the plugin boundary.
//
// Every SDK function that can fail returns `Status` (no value) or `Result<T>`
// (a value or an `Error`). Both are `std::expected` underneath and are
// [[nodiscard]]: ignoring one is a compile warning. No exceptions cross the
// plugin boundary; use these instead.
//
// Thread-safety: plain values; safe to move between threads.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace conflux {

// What went wrong, coarse enough to map to HTTP and MQTT outcomes.
enum class ErrorCode {
  invalid_argument,     // 400: the caller sent something malformed
  unauthenticated,      // 401: missing or bad credentials
  permission_denied,    // 403: authenticated, not allowed
  not_found,            // 404
  already_exists,       // 409: conflicts with existing state
  failed_precondition,  // 409: state does not allow the operation now
  payload_too_large,    // 413
  unsupported_media,    // 415: wrong content type
  resource_exhausted,   // 429/503: a queue or quota is full
  unavailable,          // 503: a dependency is unreachable; retry later
  timeout,              // 504: a deadline passed
  cancelled,            // the operation was stopped (shutdown)
  internal,             // 500: a bug or an unexpected failure
};

// The name of an error code, e.g. "not_found".
constexpr std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::invalid_argument:
      return "invalid_argument";
    case ErrorCode::unauthenticated:
      return "unauthenticated";
    case ErrorCode::permission_denied:
      return "permission_denied";
    case ErrorCode::not_found:
      return "not_found";
    case ErrorCode::already_exists:
      return "already_exists";
    case ErrorCode::failed_precondition:
      return "failed_precondition";
    case ErrorCode::payload_too_large:
      return "payload_too_large";
    case ErrorCode::unsupported_media:
      return "unsupported_media";
    case ErrorCode::resource_exhausted:
      return "resource_exhausted";
    case ErrorCode::unavailable:
      return "unavailable";
    case ErrorCode::timeout:
      return "timeout";
    case ErrorCode::cancelled:
      return "cancelled";
    case ErrorCode::internal:
      return "internal";
  }
  return "unknown";
}

// An error: a code for programs and a message for people.
struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;

  friend bool operator==(const Error&, const Error&) = default;
};

// A value of type T, or an Error.
template <class T>
class [[nodiscard]] Result : public std::expected<T, Error> {
 public:
  using std::expected<T, Error>::expected;
};

// Success, or an Error.
class [[nodiscard]] Status : public std::expected<void, Error> {
 public:
  using std::expected<void, Error>::expected;
};

// The successful Status.
inline Status ok() noexcept { return {}; }

// A failure convertible to any Status or Result<T>.
inline std::unexpected<Error> fail(ErrorCode code, std::string message) {
  return std::unexpected<Error>(Error{code, std::move(message)});
}

}  // namespace conflux

#define CONFLUX_CONCAT_INNER_(a, b) a##b
#define CONFLUX_CONCAT_(a, b) CONFLUX_CONCAT_INNER_(a, b)

// Evaluates `expr` (a Status or Result); returns its error from the enclosing
// function when it failed.
#define CONFLUX_RETURN_IF_ERROR(expr)                             \
  do {                                                            \
    if (auto conflux_status_ = (expr); !conflux_status_) {        \
      return std::unexpected(std::move(conflux_status_).error()); \
    }                                                             \
  } while (false)

// `CONFLUX_ASSIGN_OR_RETURN(auto x, make_x());` declares `x` from the value of a
// Result, or returns its error from the enclosing function.
#define CONFLUX_ASSIGN_OR_RETURN(lhs, expr) \
  CONFLUX_ASSIGN_OR_RETURN_IMPL_(CONFLUX_CONCAT_(conflux_result_, __LINE__), lhs, expr)
#define CONFLUX_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)      \
  auto tmp = (expr);                                        \
  if (!tmp) return std::unexpected(std::move(tmp).error()); \
  lhs = std::move(*tmp)
