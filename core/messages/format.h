// core/messages — owns message normalization: SenML (RFC 8428, JSON) parsing,
// validation and base-field resolution; JSON messages read through a
// profile's transformer; profile message config parsing.
//
// Pure functions: no I/O, no clock (the reception time is an argument).
//
// Thread-safety: every function is thread-safe.
#pragma once

#include <cstdint>
#include <string>
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
// record index (0-based) and field, e.g. "record 2: field 'v' must be a number",
// "record 0: exactly one of v, vs, vb, vd (or s) is required",
// "record 1: name 'a b' has characters outside [A-Za-z0-9:./_-]".
//
// Rules beyond the RFC's letter:
// - Times are exact: bt and t are read from their decimal text into integer
//   nanoseconds (1.276020076001e+09 → 1276020076001000000), then added.
//   Times must fit int64 nanoseconds (years 1678..2261).
// - A record has at most one of v, vs, vb, vd; it may have none when it has
//   s. A record holding only base fields (and/or bver), such as
//   {"bn":"dev:"} in RFC 8428 §5.1.7, sets bases and yields no record; a pack
//   must yield at least one.
// - value = bv + v (bv applies only to v). sum = bs + s whenever either is in
//   effect, so a carried-over bs gives later records a sum.
// - bver is a positive integer ≤ 10, the same in every record (a bver after
//   the first record must equal the first record's, default 10).
// - Unknown labels are ignored unless they end in '_' (rejected); a label
//   given twice in one record is rejected; vd must be base64 text; ut must
//   not be negative.
Result<std::vector<SenmlRecord>> parse_senml(std::string_view payload, std::int64_t now_ns);

// Reads a JSON payload through `transformer`. A top-level array yields one
// document per element (each must be an object; an empty array is an error);
// an object yields one. For each document: the time (time_field read with
// time_format in time_location; `now_ns` when time_field is empty; a missing
// time field is an error), then data_field extraction (must exist and be an
// object), then data_filters (keep only those paths; absent ones are
// skipped). Paths are dotted ("meta.ts"). Each result is (created_ns, compact
// JSON text with members in name order, plus — for array payloads — the
// element's own compact text). Supported time formats: see
// core/messages/time_format.h. Errors are invalid_argument naming the
// element index ("element 1: ...", or "document: ..." for an object payload)
// and the field; a transformer that cannot work (time_field without
// time_format, an unknown time_format or time_location) is
// failed_precondition, whatever the payload.
struct JsonDocument {
  std::int64_t created = 0;
  std::string json;
  std::string source;  // the array element's compact text; "" for an object payload
};
Result<std::vector<JsonDocument>> parse_json_messages(std::string_view payload,
                                                      const TransformerConfig& transformer,
                                                      std::int64_t now_ns);

// Normalizes `raw` for `profile`: the profile's content type decides (a
// profile without one fails with failed_precondition "profile has no usable
// message config"; an unsupported one is failed_precondition too; the
// message's own content_type is not consulted). The reception time is
// `raw.created`, or `now_ns` when that is 0. SenML gives one message with
// resolved records (created = reception time); JSON gives one message per
// document (ids empty; `created` from the document). Fields other than
// format/records/json/created are copied from `raw`, except that a message
// split from a JSON array carries its element's text as `payload` (not the
// whole array, which would be copied once per element).
Result<std::vector<Message>> format_message(const Message& raw, const ProfileConfig& profile,
                                            std::int64_t now_ns);

// Parses a profile's `config` JSON object (Mainflux shape):
//   {"content_type": "application/senml+json", "write": true, "webhook": false,
//    "transformer": {"data_field": "", "data_filters": [], "time_field": "",
//                    "time_format": "", "time_location": ""}}
// "Content-Type"/"content-type" are accepted for content_type; its value is
// matched case-insensitively, ignoring parameters ("; charset=utf-8"), and
// "senml+json"/"json" are accepted; the result holds kSenmlJson or kJson.
// Members left out (or null) keep the ProfileConfig defaults; unknown
// members are ignored (other areas own them). Unknown content types, a bad
// time_format, an unknown time_location, a time_field without time_format,
// empty path segments or wrong member types fail with invalid_argument
// naming the field ("profile config: transformer.time_format ..."). An empty
// object, or empty text, gives a ProfileConfig with an empty content_type
// (no usable config).
Result<ProfileConfig> parse_profile_config(std::string_view config_json);

}  // namespace conflux::core
