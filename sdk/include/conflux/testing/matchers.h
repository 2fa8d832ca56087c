// conflux/testing/matchers.h — GoogleTest matchers for Status and Result.
//
//   EXPECT_THAT(plugin.start(host), conflux::testing::IsOk());
//   EXPECT_THAT(parse(""), conflux::testing::IsError(conflux::ErrorCode::invalid_argument));
//   EXPECT_THAT(parse(""), conflux::testing::IsErrorWith(ErrorCode::invalid_argument, "empty"));
#pragma once

#include <gmock/gmock.h>

#include <string>

#include "conflux/status.h"

namespace conflux::testing {

MATCHER(IsOk, "succeeds") {
  if (arg) return true;
  *result_listener << "failed with " << to_string(arg.error().code) << ": " << arg.error().message;
  return false;
}

MATCHER_P(IsError, code, "fails with " + std::string(to_string(code))) {
  if (arg) {
    *result_listener << "succeeded";
    return false;
  }
  *result_listener << "failed with " << to_string(arg.error().code) << ": " << arg.error().message;
  return arg.error().code == code;
}

// Fails with `code` and a message containing `substring`.
MATCHER_P2(IsErrorWith, code, substring,
           "fails with " + std::string(to_string(code)) + " mentioning \"" +
               std::string(substring) + "\"") {
  if (arg) {
    *result_listener << "succeeded";
    return false;
  }
  *result_listener << "failed with " << to_string(arg.error().code) << ": " << arg.error().message;
  return arg.error().code == code && arg.error().message.find(substring) != std::string::npos;
}

}  // namespace conflux::testing
