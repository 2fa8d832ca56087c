// core/messages/format_message.cpp — format_message(): the pipeline's format
// stage, choosing SenML or JSON by the profile's content type.
//
// Thread-safety: thread-safe (pure function).
#include <string>
#include <utility>

#include "core/messages/content_type.h"
#include "core/messages/error_text.h"
#include "core/messages/format.h"

namespace conflux::core {
namespace {

// `raw` without its payload and normalized body: the fields every formatted
// message copies.
Message envelope_of(const Message& raw) {
  Message envelope;
  envelope.id = raw.id;
  envelope.publisher = raw.publisher;
  envelope.group = raw.group;
  envelope.profile = raw.profile;
  envelope.protocol = raw.protocol;
  envelope.subtopic = raw.subtopic;
  envelope.content_type = raw.content_type;
  return envelope;
}

}  // namespace

Result<std::vector<Message>> format_message(const Message& raw, const ProfileConfig& profile,
                                            std::int64_t now_ns) {
  std::int64_t received = raw.created != 0 ? raw.created : now_ns;
  std::vector<Message> messages;
  switch (messages_detail::classify_content_type(profile.content_type)) {
    case messages_detail::ContentKind::none:
      return fail(ErrorCode::failed_precondition, "profile has no usable message config");
    case messages_detail::ContentKind::unsupported:
      return fail(ErrorCode::failed_precondition,
                  "profile content type " + messages_detail::error_quote(profile.content_type) +
                      " is not supported");
    case messages_detail::ContentKind::senml_json: {
      CONFLUX_ASSIGN_OR_RETURN(auto records, parse_senml(raw.payload, received));
      Message message = envelope_of(raw);
      message.payload = raw.payload;
      message.created = received;
      message.format = MessageFormat::senml;
      message.records = std::move(records);
      messages.push_back(std::move(message));
      return messages;
    }
    case messages_detail::ContentKind::json: {
      CONFLUX_ASSIGN_OR_RETURN(auto documents,
                               parse_json_messages(raw.payload, profile.transformer, received));
      messages.reserve(documents.size());
      for (auto& document : documents) {
        Message message = envelope_of(raw);
        message.payload = document.source.empty() ? raw.payload : std::move(document.source);
        message.created = document.created;
        message.format = MessageFormat::json;
        message.json = std::move(document.json);
        messages.push_back(std::move(message));
      }
      return messages;
    }
  }
  return fail(ErrorCode::internal, "unreachable content kind");
}

}  // namespace conflux::core
