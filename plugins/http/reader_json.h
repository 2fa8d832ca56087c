// plugins/http — stored rows as the Mainflux readers print them.
//
// SenML row: {"publisher","subtopic"?,"protocol","name","unit"?,"time",
//   "value"|"string_value"|"bool_value"|"data_value","sum"?,"update_time"?}
//   with `time` in seconds as an exact decimal of the stored ns
//   (1276020076001000000 → 1276020076.001).
// JSON row: {"created": ns,"subtopic","publisher","protocol","payload": doc}.
// Page: {"offset","limit","format","total","messages":[...]}, format being
// "messages" for SenML rows and "json" for JSON rows.
//
// Thread-safety: pure functions.
#pragma once

#include <conflux/message_reader.h>

#include <cstdint>
#include <string>

namespace conflux::http_adapter {

// Appends the decimal seconds of `ns` ("1276020076.001", "-0.5", "12").
void append_seconds(std::string& out, std::int64_t ns);
// Appends the shortest text that reads back as `v` ("120.1", "68").
void append_number(std::string& out, double v);

void append_row(std::string& out, const StoredRecord& row);
std::string page_json(const MessageQuery& query, const MessagePage& page);

}  // namespace conflux::http_adapter
