// core/messages/senml_resolver.h — the SenML record as read from the wire
// (fields present, types checked) and the resolver that applies base fields
// (RFC 8428 §4.5, §4.6), validates each record and collects resolved records.
//
// Thread-safety: a SenmlResolver is used by one thread; RawSenmlRecord is a
// plain value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "conflux/message.h"
#include "conflux/status.h"

namespace conflux::core::messages_detail {

// The SenML labels this reader understands (RFC 8428 Table 2).
enum class SenmlField : std::uint8_t {
  bn,
  bt,
  bu,
  bv,
  bs,
  bver,
  n,
  u,
  v,
  vs,
  vb,
  vd,
  s,
  t,
  ut,
};
inline constexpr int kSenmlFieldCount = 15;

// The JSON label of `field`, e.g. "bver".
const char* senml_label(SenmlField field);

// One record as sent. `present` has bit (1 << field) for every label seen;
// members of absent fields hold stale values and must not be read. Times are
// already exact nanoseconds.
struct RawSenmlRecord {
  std::uint32_t present = 0;
  std::string bn, bu, n, u, vs, vd;
  std::int64_t bt_ns = 0, t_ns = 0;
  double bv = 0, bs = 0, v = 0, s = 0, ut = 0;
  bool vb = false;
  std::int64_t bver = 0;

  bool has(SenmlField field) const { return (present >> static_cast<int>(field)) & 1U; }
};

// Feeds records in pack order; carries base fields from one record to the
// next. Records that hold only base fields (e.g. `{"bn":"dev:"}`, RFC 8428
// §5.1.7) set bases and produce no resolved record.
class SenmlResolver {
 public:
  // The SenML version this reader implements (RFC 8428 §4.4).
  static constexpr std::int64_t kVersion = 10;

  explicit SenmlResolver(std::int64_t now_ns) : now_ns_(now_ns) {}

  // Resolves record `index`; `raw` may be moved from. Errors name the index.
  Status add(std::size_t index, RawSenmlRecord& raw);

  // The resolved records sorted by time (stable); fails when the pack held
  // no record with a value or sum.
  Result<std::vector<SenmlRecord>> finish() &&;

 private:
  std::int64_t now_ns_;
  std::string base_name_;
  std::string base_unit_;
  std::int64_t base_time_ns_ = 0;
  double base_value_ = 0;
  double base_sum_ = 0;
  bool has_base_sum_ = false;
  std::int64_t version_ = kVersion;
  std::vector<SenmlRecord> records_;
};

}  // namespace conflux::core::messages_detail
