// core/store/value_version.cpp — version byte helpers and the data-loss
// error (see value_version.h). Thread-safety: pure functions.
#include "core/store/value_version.h"

#include <fmt/format.h>

namespace conflux::core::store {

Error data_loss(std::string_view what) {
  return Error{ErrorCode::internal, fmt::format("{}{}", kDataLossPrefix, what)};
}

bool is_data_loss(const Error& error) noexcept {
  return error.code == ErrorCode::internal && error.message.starts_with(kDataLossPrefix);
}

std::string versioned(std::uint8_t version, std::string_view body) {
  std::string out;
  out.reserve(body.size() + 1);
  out.push_back(static_cast<char>(version));
  out.append(body);
  return out;
}

void append_version(std::string& out, std::uint8_t version) {
  out.push_back(static_cast<char>(version));
}

Result<std::uint8_t> value_version(std::string_view value, std::string_view what) {
  if (value.empty()) return std::unexpected(data_loss(fmt::format("{}: empty value", what)));
  return static_cast<std::uint8_t>(value.front());
}

Result<std::string_view> unversioned(std::string_view value, std::uint8_t expected,
                                     std::string_view what) {
  CONFLUX_ASSIGN_OR_RETURN(auto version, value_version(value, what));
  if (version != expected) {
    return std::unexpected(data_loss(
        fmt::format("{}: unknown value version {} (expected {})", what, version, expected)));
  }
  return value.substr(1);
}

}  // namespace conflux::core::store
