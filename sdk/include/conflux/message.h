// conflux/message.h — the message model every adapter, transform and sink
// shares, and the subtopic rules.
//
// A Message is what one device sent in one request: its raw payload plus the
// normalized body the pipeline's format stage fills in (resolved SenML records
// or one JSON document). Times are nanoseconds since the Unix epoch.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/status.h"

namespace conflux {

enum class MessageFormat : std::uint8_t {
  unknown = 0,  // not normalized yet
  senml = 1,    // `records` holds resolved SenML records
  json = 2,     // `json` holds one JSON document (compact text)
};

constexpr std::string_view to_string(MessageFormat f) noexcept {
  switch (f) {
    case MessageFormat::senml:
      return "senml";
    case MessageFormat::json:
      return "json";
    case MessageFormat::unknown:
      return "unknown";
  }
  return "unknown";
}

// A fully resolved SenML record (RFC 8428 §4.6): base fields applied, time
// absolute. Exactly one of value/string_value/bool_value/data_value is set,
// or none when `sum` is.
struct SenmlRecord {
  std::string name;                         // bn + n
  std::string unit;                         // u, else bu
  std::int64_t time = 0;                    // ns since epoch: bt + t, relative times resolved
  std::optional<double> value;              // v (+ bv)
  std::optional<std::string> string_value;  // vs
  std::optional<bool> bool_value;           // vb
  std::optional<std::string> data_value;    // vd (base64 text as sent)
  std::optional<double> sum;                // s (+ bs)
  double update_time = 0;                   // ut, seconds

  friend bool operator==(const SenmlRecord&, const SenmlRecord&) = default;
};

struct Message {
  std::string id;            // UUID; assigned by the pipeline when empty
  std::string publisher;     // the thing id that sent it
  std::string group;         // the thing's group id
  std::string profile;       // the thing's profile id
  std::string protocol;      // "http", "mqtt", "lora", "modbus", "http-downlink", ...
  std::string subtopic;      // normalized (see normalize_subtopic); "" for none
  std::string content_type;  // as received, e.g. "application/senml+json"
  std::int64_t created = 0;  // reception time, ns; set by the pipeline when 0
  std::string payload;       // the raw bytes as received

  MessageFormat format = MessageFormat::unknown;
  std::vector<SenmlRecord> records;  // format == senml
  std::string json;                  // format == json: one document, compact

  friend bool operator==(const Message&, const Message&) = default;
};

// Normalizes a raw subtopic as adapters receive it (URL path tail or MQTT
// topic tail): percent-decodes, turns '/' into '.', drops empty segments,
// and rejects wildcards ('*', '>', '#', '+') and undecodable escapes with
// invalid_argument naming the problem. "" stays "".
inline Result<std::string> normalize_subtopic(std::string_view raw) {
  std::string decoded;
  decoded.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '%') {
      auto hex = [](char h) -> int {
        if (h >= '0' && h <= '9') return h - '0';
        if (h >= 'a' && h <= 'f') return h - 'a' + 10;
        if (h >= 'A' && h <= 'F') return h - 'A' + 10;
        return -1;
      };
      if (i + 2 >= raw.size() || hex(raw[i + 1]) < 0 || hex(raw[i + 2]) < 0)
        return fail(ErrorCode::invalid_argument, "malformed subtopic: bad percent escape");
      c = static_cast<char>(hex(raw[i + 1]) * 16 + hex(raw[i + 2]));
      i += 2;
    }
    decoded.push_back(c);
  }
  std::string out;
  out.reserve(decoded.size());
  std::size_t start = 0;
  while (start <= decoded.size()) {
    auto end = decoded.find_first_of("/.", start);
    if (end == std::string::npos) end = decoded.size();
    std::string_view seg(decoded.data() + start, end - start);
    if (!seg.empty()) {
      for (char s : seg)
        if (s == '*' || s == '>' || s == '#' || s == '+')
          return fail(ErrorCode::invalid_argument,
                      "malformed subtopic: wildcards are not allowed in a published subtopic");
      if (!out.empty()) out.push_back('.');
      out.append(seg);
    }
    start = end + 1;
  }
  return out;
}

// How a profile tells the pipeline to read its things' JSON messages
// (Mainflux `config.transformer`).
struct TransformerConfig {
  std::string data_field;                 // dotted path of the data inside the payload; "" = whole
  std::vector<std::string> data_filters;  // keep only these fields (dotted paths); empty = all
  std::string time_field;                 // dotted path of the message time; "" = reception time
  std::string time_format;                // unix, unix_ms, unix_us, unix_ns, rfc3339, ...
  std::string time_location;              // IANA zone for formats without an offset; "" = UTC

  friend bool operator==(const TransformerConfig&, const TransformerConfig&) = default;
};

// The message part of a profile's config.
struct ProfileConfig {
  std::string
      content_type;  // "application/senml+json" or "application/json"; "" = no usable config
  TransformerConfig transformer;
  bool write_enabled = true;     // store messages
  bool webhook_enabled = false;  // hand messages to webhooks

  friend bool operator==(const ProfileConfig&, const ProfileConfig&) = default;
};

}  // namespace conflux
