// core/pipeline — the outbox payload of a durable subscription: one stored
// message as compact JSON text, so a sink can read it with any JSON library.
// The schema (version 1) is documented in docs/pipeline.md:
//
//   {"v":1,"id":"…","publisher":"…","group":"…","profile":"…",
//    "protocol":"http","subtopic":"a.b","content_type":"…","created":<ns>,
//    "format":"senml","records":[{"name":"…","unit":"…","time":<ns>,
//      "value":1.5,"string_value":"…","bool_value":true,"data_value":"…",
//      "sum":2.0,"update_time":0}]}
//   {"v":1,…,"format":"json","json":{…the stored document…}}
//
// Optional record fields are absent when unset; the raw payload bytes are not
// included (the normalized body carries the content).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "conflux/message.h"
#include "conflux/status.h"

namespace conflux::core {

inline constexpr int kOutboxPayloadVersion = 1;

// Encodes `message` (format senml or json) as a version-1 payload.
std::string encode_outbox_payload(const Message& message);

// Decodes a payload made by encode_outbox_payload. invalid_argument for text
// that is not such a payload (the message names the field); an unknown
// version fails with failed_precondition naming it.
Result<Message> decode_outbox_payload(std::string_view payload);

}  // namespace conflux::core
