// core/store/message_encoded_rows.h — the rows of a batch of messages,
// encoded before the write job (the pipeline encodes them on its worker
// thread) so the single writer thread only assigns sequence numbers and puts:
// per row its format, publisher key, time and value bytes (one buffer for all
// values), plus what the rows add to the store's bookkeeping (per-hour count
// deltas, bytes, rows per format). The value bytes are exactly those
// MessageStore::append writes (value version 1, docs/storage-format.md); the
// key's sequence number is assigned by the writer, in row order.
//
// Thread-safety: a value. Built by one thread, then read-only: it may be
// shared with the writer thread (the pipeline hands it to the write job).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/message.h"
#include "conflux/status.h"
#include "core/store/message_keys.h"
#include "core/store/message_state.h"

namespace conflux::core::store {

class EncodedRows {
 public:
  struct Row {
    PublisherKey publisher{};
    MessageFormat format = MessageFormat::senml;
    std::uint32_t size = 0;  // value bytes
    std::size_t offset = 0;  // of the value in the buffer
    std::int64_t time = 0;   // ns: the record time (SenML) or `created` (JSON)
  };

  // Encodes the rows of `message`: one per SenML record (format senml) or
  // one for the JSON document (format json); a message without records adds
  // nothing. invalid_argument (and nothing added) for a message of another
  // format or without a publisher — the errors of MessageStore::append.
  Status add(const Message& message);

  // Room for `rows` rows with `value_bytes` bytes of values.
  void reserve(std::size_t rows, std::size_t value_bytes);
  void clear() noexcept;

  std::span<const Row> rows() const noexcept { return rows_; }
  std::size_t size() const noexcept { return rows_.size(); }
  bool empty() const noexcept { return rows_.empty(); }
  std::string_view value(const Row& row) const noexcept {
    return std::string_view(values_).substr(row.offset, row.size);
  }

  // What the rows add to the bookkeeping.
  const CountDeltas& counts() const noexcept { return counts_; }
  std::uint64_t bytes() const noexcept { return bytes_; }  // sum of row_footprint
  std::uint64_t rows_of(MessageFormat format) const noexcept {
    return format == MessageFormat::json ? json_rows_ : senml_rows_;
  }

 private:
  void push(MessageFormat format, const PublisherKey& publisher, std::int64_t time,
            std::size_t offset);

  std::vector<Row> rows_;
  std::string values_;
  CountDeltas counts_;
  std::uint64_t bytes_ = 0;
  std::uint64_t senml_rows_ = 0;
  std::uint64_t json_rows_ = 0;
};

}  // namespace conflux::core::store
