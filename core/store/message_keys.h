// core/store/message_keys.h — key encodings of the message store's LMDB
// databases (see docs/storage-format.md, "Messages").
//
//   row key    (messages.senml / messages.json):  publisher16 | time8 | seq8
//   index key  (messages.by_time):        format1 | time8 | publisher16 | seq8
//   count key  (messages.counts):         format1 | publisher16 | hour8
//
// publisher16 is the UUID's 16 bytes when the publisher id is a canonical
// lowercase UUID, otherwise a 128-bit hash of the id (the id itself is kept in
// the row value and verified on read). time8 is the time in ns with the sign
// bit flipped, big-endian, so byte order equals numeric order for negative
// times too. seq8 is a big-endian store-wide counter.
//
// Thread-safety: pure functions on values.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "conflux/message.h"

namespace conflux::core::store {

using PublisherKey = std::array<std::uint8_t, 16>;

inline constexpr std::size_t kRowKeySize = 32;
inline constexpr std::size_t kIndexKeySize = 33;
inline constexpr std::size_t kCountKeySize = 25;
inline constexpr std::int64_t kNsPerHour = 3'600'000'000'000;

// The 16 bytes of a canonical lowercase UUID text
// ("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"), or nullopt.
std::optional<PublisherKey> parse_uuid(std::string_view text) noexcept;
// Canonical lowercase text of 16 UUID bytes.
std::string format_uuid(const PublisherKey& bytes);

// The 16-byte key of a publisher id: UUID bytes, or the stable 128-bit hash
// (two FNV-1a 64 passes with different offsets, each finished by the
// SplitMix64 mixer).
PublisherKey publisher_key(std::string_view publisher) noexcept;
// True when `publisher` is stored as its UUID bytes (no copy in the value).
bool publisher_is_uuid(std::string_view publisher) noexcept;

// Sign-safe big-endian time encoding.
void put_time(std::uint8_t* out, std::int64_t time_ns) noexcept;
std::int64_t get_time(const std::uint8_t* in) noexcept;
void put_u64_be(std::uint8_t* out, std::uint64_t v) noexcept;
std::uint64_t get_u64_be(const std::uint8_t* in) noexcept;

using RowKey = std::array<std::uint8_t, kRowKeySize>;
using IndexKey = std::array<std::uint8_t, kIndexKeySize>;
using CountKey = std::array<std::uint8_t, kCountKeySize>;

RowKey make_row_key(const PublisherKey& publisher, std::int64_t time_ns,
                    std::uint64_t seq) noexcept;
IndexKey make_index_key(MessageFormat format, std::int64_t time_ns, const PublisherKey& publisher,
                        std::uint64_t seq) noexcept;
CountKey make_count_key(MessageFormat format, const PublisherKey& publisher,
                        std::int64_t hour) noexcept;

// The parts of a row key (or of an index key, which holds the same parts).
struct RowKeyParts {
  PublisherKey publisher{};
  std::int64_t time = 0;
  std::uint64_t seq = 0;
};
std::optional<RowKeyParts> parse_row_key(std::string_view key) noexcept;
// Also returns the format byte of the index key.
std::optional<RowKeyParts> parse_index_key(std::string_view key, MessageFormat* format) noexcept;
RowKey row_key_of(const RowKeyParts& parts) noexcept;
IndexKey index_key_of(MessageFormat format, const RowKeyParts& parts) noexcept;

// The hour bucket of a time (floor division, so negative times work).
std::int64_t hour_of(std::int64_t time_ns) noexcept;

inline std::string_view as_view(const auto& bytes) noexcept {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace conflux::core::store
