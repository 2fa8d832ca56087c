// core/store/message_export.h — writes query rows as CSV or a JSON array,
// one row at a time into a ChunkWriter.
//
// CSV (RFC 4180: fields holding , " CR or LF are quoted, quotes doubled;
// lines end with \n), header and columns as in Mainflux:
//   SenML: subtopic,publisher,protocol,name,unit,value,string_value,
//          bool_value,data_value,sum,time,update_time
//          (absent values empty; time in seconds as an exact decimal, e.g.
//          1276020076.001; update_time in seconds, 0 when unset)
//   JSON:  created,subtopic,publisher,protocol,payload
//          (created in ns; payload the document text)
// JSON: an array of objects shaped like the reader's messages:
//   SenML {"subtopic"?,"publisher","protocol","name","unit"?,"time",
//          "value"?,"string_value"?,"bool_value"?,"data_value"?,"sum"?,
//          "update_time"?} (time in seconds; optional members only when set)
//   JSON  {"created","subtopic","publisher","protocol","payload":<document>}
//
// Thread-safety: used by one thread.
#pragma once

#include <cstdint>
#include <string>

#include "conflux/message_reader.h"
#include "core/store/message_chunk_writer.h"
#include "core/store/message_codec.h"

namespace conflux::core::store {

// ns as seconds, exact: 1276020076001000000 -> "1276020076.001".
std::string format_seconds(std::int64_t ns);
// Appends `s` as a JSON string literal (invalid UTF-8 replaced by U+FFFD).
void append_json_string(std::string& out, std::string_view s);

class RowExporter {
 public:
  RowExporter(ExportFormat format, MessageFormat rows, ChunkWriter& out)
      : format_(format), rows_(rows), out_(out) {}

  void begin();  // CSV header or "["
  void row(const RowView& row);
  void end();  // "]" for JSON; flushes

 private:
  void csv_row(const RowView& row);
  void json_row(const RowView& row);

  ExportFormat format_;
  MessageFormat rows_;
  ChunkWriter& out_;
  bool first_ = true;
  std::string line_;
};

}  // namespace conflux::core::store
