// core/store/message_codec.cpp — row value version 1 encoding and decoding.
//
// Thread-safety: pure functions.
#include "core/store/message_codec.h"

#include <bit>
#include <cstring>

namespace conflux::core::store {
namespace {

enum : std::uint8_t {
  kFlagPublisherInline = 1 << 0,
  kFlagMessageIdUuid = 1 << 1,
  kFlagJson = 1 << 2,
};

enum : std::uint32_t {
  kHasName = 1 << 0,
  kHasUnit = 1 << 1,
  kHasValue = 1 << 2,
  kHasStringValue = 1 << 3,
  kHasBoolValue = 1 << 4,
  kBoolTrue = 1 << 5,
  kHasDataValue = 1 << 6,
  kHasSum = 1 << 7,
  kHasUpdateTime = 1 << 8,
  kKnownPresence = (1 << 9) - 1,
};

void put_varint(std::string& out, std::uint64_t v) {
  char buf[10];
  std::size_t n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  out.append(buf, n);
}

void put_string(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

void put_double(std::string& out, double d) {
  auto bits = std::bit_cast<std::uint64_t>(d);
  char buf[8];
  for (char& b : buf) {
    b = static_cast<char>(bits & 0xff);
    bits >>= 8;
  }
  out.append(buf, 8);
}

std::uint64_t zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

std::int64_t unzigzag(std::uint64_t v) {
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

// Everything up to (not including) the created delta.
void put_prefix(std::string& out, const RowHeader& header, std::uint8_t extra_flags) {
  out.push_back(static_cast<char>(kRowValueVersion));
  std::uint8_t flags = extra_flags;
  bool publisher_inline = !publisher_is_uuid(header.publisher);
  auto id_uuid = parse_uuid(header.message_id);
  if (publisher_inline) flags |= kFlagPublisherInline;
  if (id_uuid) flags |= kFlagMessageIdUuid;
  out.push_back(static_cast<char>(flags));
  if (publisher_inline) put_string(out, header.publisher);
  if (id_uuid) {
    out.append(as_view(*id_uuid));
  } else {
    put_string(out, header.message_id);
  }
  put_string(out, header.subtopic);
  put_string(out, header.protocol);
}

void put_senml_fields(std::string& out, const SenmlRecord& record) {
  std::uint32_t presence = 0;
  if (!record.name.empty()) presence |= kHasName;
  if (!record.unit.empty()) presence |= kHasUnit;
  if (record.value) presence |= kHasValue;
  if (record.string_value) presence |= kHasStringValue;
  if (record.bool_value)
    presence |= kHasBoolValue | (*record.bool_value ? std::uint32_t{kBoolTrue} : 0u);
  if (record.data_value) presence |= kHasDataValue;
  if (record.sum) presence |= kHasSum;
  if (record.update_time != 0) presence |= kHasUpdateTime;
  put_varint(out, presence);
  if (presence & kHasName) put_string(out, record.name);
  if (presence & kHasUnit) put_string(out, record.unit);
  if (presence & kHasValue) put_double(out, *record.value);
  if (presence & kHasStringValue) put_string(out, *record.string_value);
  if (presence & kHasDataValue) put_string(out, *record.data_value);
  if (presence & kHasSum) put_double(out, *record.sum);
  if (presence & kHasUpdateTime) put_double(out, record.update_time);
}

// Bounds-checked reading from a value.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool byte(std::uint8_t* v) {
    if (pos_ >= data_.size()) return false;
    *v = static_cast<std::uint8_t>(data_[pos_++]);
    return true;
  }
  bool varint(std::uint64_t* v) {
    std::uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      std::uint8_t b = 0;
      if (!byte(&b)) return false;
      result |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) {
        *v = result;
        return true;
      }
    }
    return false;
  }
  bool bytes(std::size_t n, std::string_view* v) {
    if (data_.size() - pos_ < n) return false;
    *v = data_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool string(std::string_view* v) {
    std::uint64_t n = 0;
    return varint(&n) && n <= data_.size() && bytes(static_cast<std::size_t>(n), v);
  }
  bool real(double* v) {
    std::string_view raw;
    if (!bytes(8, &raw)) return false;
    std::uint64_t bits = 0;
    for (int i = 7; i >= 0; --i) bits = (bits << 8) | static_cast<std::uint8_t>(raw[i]);
    *v = std::bit_cast<double>(bits);
    return true;
  }
  std::string_view rest() {
    auto r = data_.substr(pos_);
    pos_ = data_.size();
    return r;
  }
  bool at_end() const { return pos_ == data_.size(); }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
};

}  // namespace

void encode_senml_row(std::string& out, const RowHeader& header, const SenmlRecord& record) {
  put_prefix(out, header, 0);
  put_varint(out, zigzag(header.created - record.time));
  put_senml_fields(out, record);
}

void encode_json_row(std::string& out, const RowHeader& header, std::string_view json) {
  put_prefix(out, header, kFlagJson);
  put_varint(out, zigzag(0));
  out.append(json);
}

SenmlRowEncoder::SenmlRowEncoder(const RowHeader& header) : created_(header.created) {
  put_prefix(prefix_, header, 0);
}

void SenmlRowEncoder::encode(std::string& out, const SenmlRecord& record) const {
  out.clear();
  append(out, record);
}

void SenmlRowEncoder::append(std::string& out, const SenmlRecord& record) const {
  out.append(prefix_);
  put_varint(out, zigzag(created_ - record.time));
  put_senml_fields(out, record);
}

DecodeOutcome decode_row(MessageFormat format, const RowKeyParts& key, std::string_view value,
                         RowView* out) noexcept {
  Reader in(value);
  std::uint8_t version = 0;
  if (!in.byte(&version)) return DecodeOutcome::corrupt;
  if (version != kRowValueVersion) return DecodeOutcome::unknown_version;
  std::uint8_t flags = 0;
  if (!in.byte(&flags)) return DecodeOutcome::corrupt;
  if (flags & ~(kFlagPublisherInline | kFlagMessageIdUuid | kFlagJson))
    return DecodeOutcome::corrupt;
  bool json = (flags & kFlagJson) != 0;
  if (json != (format == MessageFormat::json)) return DecodeOutcome::corrupt;
  RowView row;
  row.format = format;
  row.key = key;
  row.publisher_inline = (flags & kFlagPublisherInline) != 0;
  if (row.publisher_inline && !in.string(&row.publisher)) return DecodeOutcome::corrupt;
  row.message_id_uuid = (flags & kFlagMessageIdUuid) != 0;
  if (row.message_id_uuid) {
    std::string_view raw;
    if (!in.bytes(16, &raw)) return DecodeOutcome::corrupt;
    std::memcpy(row.message_id_bytes.data(), raw.data(), 16);
  } else if (!in.string(&row.message_id)) {
    return DecodeOutcome::corrupt;
  }
  if (!in.string(&row.subtopic) || !in.string(&row.protocol)) return DecodeOutcome::corrupt;
  std::uint64_t delta = 0;
  if (!in.varint(&delta)) return DecodeOutcome::corrupt;
  row.created = key.time + unzigzag(delta);
  if (json) {
    row.json = in.rest();
    *out = row;
    return DecodeOutcome::ok;
  }
  std::uint64_t presence = 0;
  if (!in.varint(&presence) || (presence & ~std::uint64_t{kKnownPresence}))
    return DecodeOutcome::corrupt;
  std::string_view s;
  double d = 0;
  if (presence & kHasName && !in.string(&row.name)) return DecodeOutcome::corrupt;
  if (presence & kHasUnit && !in.string(&row.unit)) return DecodeOutcome::corrupt;
  if (presence & kHasValue) {
    if (!in.real(&d)) return DecodeOutcome::corrupt;
    row.value = d;
  }
  if (presence & kHasStringValue) {
    if (!in.string(&s)) return DecodeOutcome::corrupt;
    row.string_value = s;
  }
  if (presence & kHasBoolValue) row.bool_value = (presence & kBoolTrue) != 0;
  if (presence & kHasDataValue) {
    if (!in.string(&s)) return DecodeOutcome::corrupt;
    row.data_value = s;
  }
  if (presence & kHasSum) {
    if (!in.real(&d)) return DecodeOutcome::corrupt;
    row.sum = d;
  }
  if (presence & kHasUpdateTime && !in.real(&row.update_time)) return DecodeOutcome::corrupt;
  if (!in.at_end()) return DecodeOutcome::corrupt;
  *out = row;
  return DecodeOutcome::ok;
}

std::string RowView::publisher_id() const {
  return publisher_inline ? std::string(publisher) : format_uuid(key.publisher);
}

bool RowView::publisher_equals(std::string_view id) const noexcept {
  if (publisher_inline) return publisher == id;
  auto uuid = parse_uuid(id);
  return uuid && *uuid == key.publisher;
}

std::string RowView::message_id_text() const {
  return message_id_uuid ? format_uuid(message_id_bytes) : std::string(message_id);
}

StoredRecord to_stored(const RowView& row) {
  StoredRecord out;
  out.message_id = row.message_id_text();
  out.publisher = row.publisher_id();
  out.subtopic = row.subtopic;
  out.protocol = row.protocol;
  out.created = row.created;
  out.format = row.format;
  if (row.format == MessageFormat::json) {
    out.json = row.json;
    return out;
  }
  SenmlRecord& r = out.senml;
  r.name = row.name;
  r.unit = row.unit;
  r.time = row.key.time;
  r.value = row.value;
  if (row.string_value) r.string_value = std::string(*row.string_value);
  r.bool_value = row.bool_value;
  if (row.data_value) r.data_value = std::string(*row.data_value);
  r.sum = row.sum;
  r.update_time = row.update_time;
  return out;
}

}  // namespace conflux::core::store
