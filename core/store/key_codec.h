// core/store/key_codec.h — byte-order-preserving pieces of LMDB keys and
// values: big-endian unsigned integers, signed integers with the sign bit
// flipped (so negative values sort first), and prefix tests.
//
// Thread-safety: pure inline functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace conflux::core::store {

inline void append_u64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}
inline void append_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}
// Signed, ordered: the sign bit flipped, big-endian.
inline void append_i64(std::string& out, std::int64_t v) {
  append_u64(out, static_cast<std::uint64_t>(v) ^ (std::uint64_t{1} << 63));
}

// Reads from the front of `in` and advances it; nullopt when too short.
inline std::optional<std::uint64_t> take_u64(std::string_view& in) {
  if (in.size() < 8) return std::nullopt;
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  in.remove_prefix(8);
  return v;
}
inline std::optional<std::uint32_t> take_u32(std::string_view& in) {
  if (in.size() < 4) return std::nullopt;
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  in.remove_prefix(4);
  return v;
}
inline std::optional<std::int64_t> take_i64(std::string_view& in) {
  auto u = take_u64(in);
  if (!u) return std::nullopt;
  return static_cast<std::int64_t>(*u ^ (std::uint64_t{1} << 63));
}
// A u32 length followed by that many bytes.
inline void append_bytes(std::string& out, std::string_view bytes) {
  append_u32(out, static_cast<std::uint32_t>(bytes.size()));
  out.append(bytes);
}
inline std::optional<std::string_view> take_bytes(std::string_view& in) {
  auto n = take_u32(in);
  if (!n || in.size() < *n) return std::nullopt;
  auto bytes = in.substr(0, *n);
  in.remove_prefix(*n);
  return bytes;
}

}  // namespace conflux::core::store
