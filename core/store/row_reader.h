// core/store/row_reader.h — RowReader: reads the fields of an entity row body
// (after its version byte) in the order the encoder appended them with the
// key_codec.h helpers. A short read does not throw: it marks the reader, the
// remaining reads return empty values, and `done` reports the row as data loss
// ("<what>: truncated"), as it does when bytes are left over. Decoders read
// every field, then return `done(value)`.
//
//   RowReader r(body, "things row");
//   Thing t;
//   t.id = r.str();
//   t.created_at = r.i64();
//   return r.done(std::move(t));
//
// Thread-safety: a value type; one reader per row.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "conflux/status.h"
#include "core/store/key_codec.h"
#include "core/store/value_version.h"

namespace conflux::core::store {

class RowReader {
 public:
  RowReader(std::string_view body, std::string_view what) : body_(body), what_(what) {}

  std::string str() { return std::string(bytes()); }
  std::string_view bytes() {
    auto v = take_bytes(body_);
    if (!v) ok_ = false;
    return v.value_or(std::string_view());
  }
  std::int64_t i64() {
    auto v = take_i64(body_);
    if (!v) ok_ = false;
    return v.value_or(0);
  }
  std::uint64_t u64() {
    auto v = take_u64(body_);
    if (!v) ok_ = false;
    return v.value_or(0);
  }
  std::uint8_t byte() {
    if (body_.empty()) {
      ok_ = false;
      return 0;
    }
    auto b = static_cast<std::uint8_t>(body_.front());
    body_.remove_prefix(1);
    return b;
  }
  // Marks the row malformed (a field read fine but holds an impossible value).
  void reject() noexcept { ok_ = false; }
  bool ok() const noexcept { return ok_; }

  // `value` when every read succeeded and the body is used up; otherwise
  // data loss naming the row.
  template <class T>
  Result<T> done(T value) const {
    if (!ok_ || !body_.empty())
      return std::unexpected(data_loss(std::string(what_) + ": truncated"));
    return value;
  }

 private:
  std::string_view body_;
  std::string_view what_;
  bool ok_ = true;
};

}  // namespace conflux::core::store
