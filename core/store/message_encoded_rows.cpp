// core/store/message_encoded_rows.cpp — encoding message rows ahead of the
// write job.
//
// Thread-safety: see the header.
#include "core/store/message_encoded_rows.h"

#include "core/store/message_codec.h"

namespace conflux::core::store {

Status EncodedRows::add(const Message& message) {
  if (message.format != MessageFormat::senml && message.format != MessageFormat::json)
    return fail(ErrorCode::invalid_argument, "message store: message format is not senml or json");
  if (message.publisher.empty())
    return fail(ErrorCode::invalid_argument, "message store: message has no publisher");
  const PublisherKey publisher = publisher_key(message.publisher);
  const RowHeader header{message.publisher, message.id, message.subtopic, message.protocol,
                         message.created};
  if (message.format == MessageFormat::json) {
    const std::size_t offset = values_.size();
    encode_json_row(values_, header, message.json);
    push(MessageFormat::json, publisher, message.created, offset);
    counts_.add(MessageFormat::json, publisher, message.created, 1);
    return ok();
  }
  if (message.records.empty()) return ok();
  const SenmlRowEncoder encoder(header);
  // The records of a message mostly share one hour: count runs, not rows.
  std::int64_t run_time = message.records.front().time;
  std::int64_t run_hour = hour_of(run_time);
  std::int64_t run_rows = 0;
  for (const auto& record : message.records) {
    const std::size_t offset = values_.size();
    encoder.append(values_, record);
    push(MessageFormat::senml, publisher, record.time, offset);
    if (const std::int64_t hour = hour_of(record.time); hour != run_hour) {
      counts_.add(MessageFormat::senml, publisher, run_time, run_rows);
      run_time = record.time;
      run_hour = hour;
      run_rows = 0;
    }
    ++run_rows;
  }
  counts_.add(MessageFormat::senml, publisher, run_time, run_rows);
  return ok();
}

void EncodedRows::push(MessageFormat format, const PublisherKey& publisher, std::int64_t time,
                       std::size_t offset) {
  const std::size_t size = values_.size() - offset;
  rows_.push_back(Row{publisher, format, static_cast<std::uint32_t>(size), offset, time});
  bytes_ += row_footprint(size);
  ++(format == MessageFormat::json ? json_rows_ : senml_rows_);
}

void EncodedRows::reserve(std::size_t rows, std::size_t value_bytes) {
  rows_.reserve(rows);
  values_.reserve(value_bytes);
}

void EncodedRows::clear() noexcept {
  rows_.clear();
  values_.clear();
  counts_ = CountDeltas();
  bytes_ = 0;
  senml_rows_ = 0;
  json_rows_ = 0;
}

}  // namespace conflux::core::store
