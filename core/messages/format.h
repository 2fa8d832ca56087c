// core/messages — owns message normalization: SenML (RFC 8428, JSON) parsing,
// validation and base-field resolution; JSON messages read through a
// profile's transformer; profile message config parsing.
//
// Pure functions: no I/O, no clock (the reception time is an argument).
//
// Thread-safety: every function is thread-safe.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "conflux/message.h"
#include "conflux/status.h"

namespace conflux::core {

// Content types the format stage understands.
inline constexpr std::string_view kSenmlJson = "application/senml+json";
inline constexpr std::string_view kJson = "application/json";

// Parses and resolves a SenML JSON pack (an array of records). Base fields
// carry over to later records (RFC 8428 §4.1): bn+n, bt+t, bu, bv+v, bs+s,
// bver. A resolved time below 2^28 seconds is relative to `now_ns`. Records
// come back sorted by time (stable). Errors are invalid_argument and name the
// record index and field, e.g. "record 2: field 'v' must be a number",
// "record 0: exactly one of v, vs, vb, vd (or s) is required",
// "record 1: name 'a b' has characters outside [A-Za-z0-9:./_-]".
Result<std::vector<SenmlRecord>> parse_senml(std::string_view payload, std::int64_t now_ns);

// Reads a JSON payload through `transformer`. A top-level array yields one
// document per element; an object yields one. For each document: the time
// (time_field read with time_format in time_location; reception time when
// time_field is empty), then data_field extraction, then data_filters. Each
// result is (created_ns, compact JSON text). Errors are invalid_argument
// naming the element index and the field.
struct JsonDocument {
  std::int64_t created = 0;
  std::string json;
};
Result<std::vector<JsonDocument>> parse_json_messages(std::string_view payload,
                                                      const TransformerConfig& transformer,
                                                      std::int64_t now_ns);

// Normalizes `raw` for `profile`: the profile's content type decides (a
// profile without one fails with failed_precondition "profile has no usable
// message config"); SenML gives one message with resolved records; JSON gives
// one message per document (ids empty; `created` from the document). Fields
// other than format/records/json/created are copied from `raw`.
Result<std::vector<Message>> format_message(const Message& raw, const ProfileConfig& profile,
                                            std::int64_t now_ns);

// Parses a profile's `config` JSON object (Mainflux shape):
//   {"content_type": "application/senml+json", "write": true, "webhook": false,
//    "transformer": {"data_field": "", "data_filters": [], "time_field": "",
//                    "time_format": "", "time_location": ""}}
// "Content-Type"/"content-type" are accepted for content_type. Unknown content
// types, a bad time_format or an unknown time_location fail with
// invalid_argument naming the field. An empty object gives a ProfileConfig
// with an empty content_type (no usable config).
Result<ProfileConfig> parse_profile_config(std::string_view config_json);

}  // namespace conflux::core
