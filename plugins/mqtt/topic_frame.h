// plugins/mqtt — TopicFrame: an MQTT topic and its payload framed into one
// stored value. Used by the inbound log (InboundLog entries) and by the
// outbox queue "commands" (CommandDelivery items).
//
// Format (stored on disk: never change it, existing entries must decode):
//
//   topic length (u32, little-endian) | topic bytes | payload bytes
//
// The payload is the rest of the value (any bytes, possibly none). A topic
// is at most 65535 bytes in MQTT, far below the u32 limit.
//
// decode_topic_frame refuses a value shorter than the length field, a topic
// length of 0 (MQTT topics are never empty) and a topic length beyond the
// value's end (truncated input).
//
// Thread-safety: pure functions.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "conflux/status.h"

namespace conflux::mqtt {

inline constexpr std::size_t kTopicFrameHeader = 4;

// A decoded frame; views into the decoded value.
struct TopicFrame {
  std::string_view topic;
  std::string_view payload;
};

// The length field that starts the frame of `topic` (for writers that
// append the topic and the payload themselves).
std::array<char, kTopicFrameHeader> topic_frame_header(std::string_view topic);

// header | topic | payload.
std::string encode_topic_frame(std::string_view topic, std::string_view payload);

// The topic and payload of `value`; invalid_argument when it is not a frame.
Result<TopicFrame> decode_topic_frame(std::string_view value);

}  // namespace conflux::mqtt
