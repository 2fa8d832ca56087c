// core/store/message_codec.h — the binary value of a stored message row
// (value version 1) and a zero-copy view for reading it.
//
// Layout (all lengths are LEB128 varints, doubles are 8 bytes little-endian
// IEEE-754):
//   u8 version (= 1)
//   u8 flags: bit0 publisher id inline (not a UUID), bit1 message id is 16
//             UUID bytes, bit2 JSON row
//   [publisher: len + bytes]            when bit0
//   message id: 16 bytes when bit1, else len + bytes
//   subtopic: len + bytes; protocol: len + bytes
//   created - time: zigzag varint (0 for JSON rows, whose time is `created`)
//   SenML rows: presence varint: bit0 name, bit1 unit, bit2 value,
//     bit3 string_value, bit4 bool_value, bit5 bool is true, bit6 data_value,
//     bit7 sum, bit8 update_time; then the present fields in that order
//     (strings len + bytes, numbers as doubles; bool carries no bytes)
//   JSON rows: the document text up to the end of the value
// The record time (SenML `t`, JSON `created`) lives in the key only.
//
// Thread-safety: pure functions; a RowView points into the buffer it was
// decoded from and is valid as long as that buffer (an LMDB read txn).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "conflux/message.h"
#include "conflux/message_reader.h"
#include "core/store/message_keys.h"

namespace conflux::core::store {

inline constexpr std::uint8_t kRowValueVersion = 1;

// The per-message part of a row.
struct RowHeader {
  std::string_view publisher;
  std::string_view message_id;
  std::string_view subtopic;
  std::string_view protocol;
  std::int64_t created = 0;
};

// Appends the value of one SenML row (the record's time goes in the key).
void encode_senml_row(std::string& out, const RowHeader& header, const SenmlRecord& record);
// Appends the value of one JSON row; its time (the key's) is header.created.
void encode_json_row(std::string& out, const RowHeader& header, std::string_view json);

// The SenML encoder for the records of one message: the per-message part of
// the value is encoded once. Produces the same bytes as encode_senml_row.
class SenmlRowEncoder {
 public:
  explicit SenmlRowEncoder(const RowHeader& header);
  // Replaces `out` with the value of `record`.
  void encode(std::string& out, const SenmlRecord& record) const;
  // Appends the value of `record` to `out` (several rows in one buffer).
  void append(std::string& out, const SenmlRecord& record) const;

 private:
  std::string prefix_;  // version .. protocol
  std::int64_t created_ = 0;
};

// A decoded row; string views point into the LMDB value.
struct RowView {
  MessageFormat format = MessageFormat::senml;
  RowKeyParts key;
  bool publisher_inline = false;
  std::string_view publisher;  // when publisher_inline
  bool message_id_uuid = false;
  PublisherKey message_id_bytes{};  // when message_id_uuid
  std::string_view message_id;      // otherwise
  std::string_view subtopic;
  std::string_view protocol;
  std::int64_t created = 0;
  // SenML
  std::string_view name;
  std::string_view unit;
  std::optional<double> value;
  std::optional<std::string_view> string_value;
  std::optional<bool> bool_value;
  std::optional<std::string_view> data_value;
  std::optional<double> sum;
  double update_time = 0;
  // JSON
  std::string_view json;

  // The publisher id (the inline id or the key's UUID text).
  std::string publisher_id() const;
  // True when this row belongs to `publisher` (exact id match).
  bool publisher_equals(std::string_view publisher) const noexcept;
  std::string message_id_text() const;
};

enum class DecodeOutcome { ok, unknown_version, corrupt };

// Decodes `value` of a row of `format` whose key parts are `key`.
DecodeOutcome decode_row(MessageFormat format, const RowKeyParts& key, std::string_view value,
                         RowView* out) noexcept;

// Copies a view into an owning record.
StoredRecord to_stored(const RowView& row);

}  // namespace conflux::core::store
