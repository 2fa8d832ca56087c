// core/pipeline — format → transform → identity (see prepare_stage.h).
// Thread-safety: pure apart from the hook (which must be thread-safe).
#include "core/pipeline/prepare_stage.h"

#include "core/messages/format.h"
#include "core/pipeline/message_ids.h"

namespace conflux::core {
namespace {

void complete_identity(Message& m, std::int64_t created) {
  if (m.id.empty()) m.id = new_message_id();
  if (m.created == 0) m.created = created;
}

}  // namespace

std::expected<std::vector<Message>, PrepareError> prepare_messages(const Message& raw,
                                                                   const ProfileConfig& profile,
                                                                   TransformHook* hook) {
  auto formatted = format_message(raw, profile, raw.created);
  if (!formatted)
    return std::unexpected(
        PrepareError{format_reject_reason(formatted.error().code), std::move(formatted).error()});
  if (!hook) {
    for (auto& m : *formatted) complete_identity(m, raw.created);
    return std::move(*formatted);
  }
  std::vector<Message> out;
  out.reserve(formatted->size());
  for (auto& m : *formatted) {
    auto transformed = hook->transform(std::move(m));
    if (!transformed)
      return std::unexpected(PrepareError{RejectReason::transform, std::move(transformed).error()});
    for (auto& t : *transformed) {
      if (t.format != MessageFormat::senml && t.format != MessageFormat::json)
        return std::unexpected(PrepareError{
            RejectReason::transform,
            Error{ErrorCode::internal, "transform returned a message without a body format"}});
      complete_identity(t, raw.created);
      out.push_back(std::move(t));
    }
  }
  return out;
}

}  // namespace conflux::core
