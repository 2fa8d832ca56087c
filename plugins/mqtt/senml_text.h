// plugins/mqtt — normalized message bodies as text: resolved SenML records
// as a SenML JSON array (times in seconds, no base fields), a JSON message
// as its document.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "conflux/message.h"

namespace conflux::mqtt {

std::string senml_json(const std::vector<SenmlRecord>& records);

// The normalized body of `message`: SenML JSON for senml, the document for
// json, the raw payload when not normalized.
std::string normalized_body(const Message& message);

}  // namespace conflux::mqtt
