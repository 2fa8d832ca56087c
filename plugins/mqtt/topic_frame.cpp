// plugins/mqtt — TopicFrame encoding (format: topic_frame.h).
#include "topic_frame.h"

#include <cstdint>

namespace conflux::mqtt {

std::array<char, kTopicFrameHeader> topic_frame_header(std::string_view topic) {
  auto length = static_cast<std::uint32_t>(topic.size());
  std::array<char, kTopicFrameHeader> header{};
  for (std::size_t i = 0; i < kTopicFrameHeader; ++i)
    header[i] = static_cast<char>((length >> (8 * i)) & 0xff);
  return header;
}

std::string encode_topic_frame(std::string_view topic, std::string_view payload) {
  auto header = topic_frame_header(topic);
  std::string out;
  out.reserve(kTopicFrameHeader + topic.size() + payload.size());
  out.append(header.data(), header.size());
  out.append(topic);
  out.append(payload);
  return out;
}

Result<TopicFrame> decode_topic_frame(std::string_view value) {
  if (value.size() < kTopicFrameHeader)
    return fail(ErrorCode::invalid_argument, "topic frame shorter than its length field");
  std::uint32_t length = 0;
  for (std::size_t i = 0; i < kTopicFrameHeader; ++i)
    length |= static_cast<std::uint32_t>(static_cast<unsigned char>(value[i])) << (8 * i);
  if (length == 0) return fail(ErrorCode::invalid_argument, "topic frame with an empty topic");
  if (value.size() - kTopicFrameHeader < length)
    return fail(ErrorCode::invalid_argument,
                "topic frame truncated: the topic length is " + std::to_string(length) + ", " +
                    std::to_string(value.size() - kTopicFrameHeader) + " bytes follow");
  return TopicFrame{value.substr(kTopicFrameHeader, length),
                    value.substr(kTopicFrameHeader + length)};
}

}  // namespace conflux::mqtt
