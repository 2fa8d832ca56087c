// core/store/value_version.h — the version byte every stored value starts
// with, and the "data loss" error a reader gets for a version it does not
// know (callers log it, count it and skip the value; never crash).
//
// ErrorCode has no data_loss member (it crosses the plugin boundary), so a
// data-loss error is ErrorCode::internal with a message starting "data loss:";
// `is_data_loss` recognises it.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "conflux/status.h"

namespace conflux::core::store {

inline constexpr std::string_view kDataLossPrefix = "data loss: ";

// An internal error whose message is "data loss: <what>".
Error data_loss(std::string_view what);
bool is_data_loss(const Error& error) noexcept;

// `version` followed by `body`.
std::string versioned(std::uint8_t version, std::string_view body);
// Appends the version byte to `out` (for encoders that build values in place).
void append_version(std::string& out, std::uint8_t version);

// The body of `value` when its version byte is `expected`; otherwise a
// data-loss error naming `what` (e.g. "things row") and the version found.
Result<std::string_view> unversioned(std::string_view value, std::uint8_t expected,
                                     std::string_view what);

// The version byte of `value` (data loss when `value` is empty).
Result<std::uint8_t> value_version(std::string_view value, std::string_view what);

}  // namespace conflux::core::store
