// core/store/message_keys.cpp — key encodings of the message store.
//
// Thread-safety: pure functions.
#include "core/store/message_keys.h"

#include <cstring>

namespace conflux::core::store {
namespace {

constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;
constexpr std::uint64_t kFnvOffsetA = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvOffsetB = 0x84222325cbf29ce4ULL;

std::uint64_t fnv1a(std::uint64_t h, std::string_view s) noexcept {
  for (unsigned char c : s) {
    h ^= c;
    h *= kFnvPrime;
  }
  return h;
}

std::uint64_t splitmix64(std::uint64_t z) noexcept {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

constexpr std::uint64_t kSignBit = 0x8000000000000000ULL;

}  // namespace

std::optional<PublisherKey> parse_uuid(std::string_view text) noexcept {
  if (text.size() != 36) return std::nullopt;
  PublisherKey out{};
  std::size_t byte = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    int hi = hex_value(text[i]);
    int lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[byte++] = static_cast<std::uint8_t>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::string format_uuid(const PublisherKey& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0xf]);
  }
  return out;
}

bool publisher_is_uuid(std::string_view publisher) noexcept {
  return parse_uuid(publisher).has_value();
}

PublisherKey publisher_key(std::string_view publisher) noexcept {
  if (auto uuid = parse_uuid(publisher)) return *uuid;
  PublisherKey out{};
  put_u64_be(out.data(), splitmix64(fnv1a(kFnvOffsetA, publisher)));
  put_u64_be(out.data() + 8, splitmix64(fnv1a(kFnvOffsetB, publisher)));
  return out;
}

void put_u64_be(std::uint8_t* out, std::uint64_t v) noexcept {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<std::uint8_t>(v & 0xff);
    v >>= 8;
  }
}

std::uint64_t get_u64_be(const std::uint8_t* in) noexcept {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | in[i];
  return v;
}

void put_time(std::uint8_t* out, std::int64_t time_ns) noexcept {
  put_u64_be(out, static_cast<std::uint64_t>(time_ns) ^ kSignBit);
}

std::int64_t get_time(const std::uint8_t* in) noexcept {
  return static_cast<std::int64_t>(get_u64_be(in) ^ kSignBit);
}

RowKey make_row_key(const PublisherKey& publisher, std::int64_t time_ns,
                    std::uint64_t seq) noexcept {
  RowKey key{};
  std::memcpy(key.data(), publisher.data(), 16);
  put_time(key.data() + 16, time_ns);
  put_u64_be(key.data() + 24, seq);
  return key;
}

IndexKey make_index_key(MessageFormat format, std::int64_t time_ns, const PublisherKey& publisher,
                        std::uint64_t seq) noexcept {
  IndexKey key{};
  key[0] = static_cast<std::uint8_t>(format);
  put_time(key.data() + 1, time_ns);
  std::memcpy(key.data() + 9, publisher.data(), 16);
  put_u64_be(key.data() + 25, seq);
  return key;
}

CountKey make_count_key(MessageFormat format, const PublisherKey& publisher,
                        std::int64_t hour) noexcept {
  CountKey key{};
  key[0] = static_cast<std::uint8_t>(format);
  std::memcpy(key.data() + 1, publisher.data(), 16);
  put_time(key.data() + 17, hour);
  return key;
}

std::optional<RowKeyParts> parse_row_key(std::string_view key) noexcept {
  if (key.size() != kRowKeySize) return std::nullopt;
  const auto* p = reinterpret_cast<const std::uint8_t*>(key.data());
  RowKeyParts parts;
  std::memcpy(parts.publisher.data(), p, 16);
  parts.time = get_time(p + 16);
  parts.seq = get_u64_be(p + 24);
  return parts;
}

std::optional<RowKeyParts> parse_index_key(std::string_view key, MessageFormat* format) noexcept {
  if (key.size() != kIndexKeySize) return std::nullopt;
  const auto* p = reinterpret_cast<const std::uint8_t*>(key.data());
  if (format) *format = static_cast<MessageFormat>(p[0]);
  RowKeyParts parts;
  parts.time = get_time(p + 1);
  std::memcpy(parts.publisher.data(), p + 9, 16);
  parts.seq = get_u64_be(p + 25);
  return parts;
}

RowKey row_key_of(const RowKeyParts& parts) noexcept {
  return make_row_key(parts.publisher, parts.time, parts.seq);
}

IndexKey index_key_of(MessageFormat format, const RowKeyParts& parts) noexcept {
  return make_index_key(format, parts.time, parts.publisher, parts.seq);
}

std::int64_t hour_of(std::int64_t time_ns) noexcept {
  std::int64_t q = time_ns / kNsPerHour;
  if (time_ns % kNsPerHour < 0) --q;
  return q;
}

}  // namespace conflux::core::store
