// core/messages/json_path.h — dotted paths into nested JSON objects, as the
// transformer's time_field, data_field and data_filters use them: "a.b.c"
// is member c of member b of member a. A member whose name itself contains
// dots is matched when it spells the whole rest of the path ("a.b" finds
// {"a.b": 1} before {"a": {"b": 1}}).
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "conflux/status.h"

namespace conflux::core::messages_detail {

// Checks that `path` is usable: non-empty, no empty segment ("a..b", ".a").
// Errors are invalid_argument with plain text naming the path.
Status validate_path(std::string_view path);

// The value at `path` in `document`, or nullptr when any step is missing or
// not an object.
const nlohmann::json* find_path(const nlohmann::json& document, std::string_view path);
nlohmann::json* find_path(nlohmann::json& document, std::string_view path);

// Copies the value at `path` in `source` (when present) into `target` at the
// same place, creating the enclosing objects. `target` must be an object.
void copy_path(const nlohmann::json& source, std::string_view path, nlohmann::json& target);

}  // namespace conflux::core::messages_detail
