// core/messages/senml_resolver.cpp — SenmlResolver: base-field carry-over,
// record validation, time resolution and the final time sort.
//
// Thread-safety: one resolver per thread.
#include "core/messages/senml_resolver.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <string_view>

#include "core/messages/error_text.h"

namespace conflux::core::messages_detail {
namespace {

constexpr std::uint32_t bit(SenmlField field) { return 1U << static_cast<int>(field); }

constexpr std::uint32_t kValueFields =
    bit(SenmlField::v) | bit(SenmlField::vs) | bit(SenmlField::vb) | bit(SenmlField::vd);
constexpr std::uint32_t kRegularFields = kValueFields | bit(SenmlField::n) | bit(SenmlField::u) |
                                         bit(SenmlField::s) | bit(SenmlField::t) |
                                         bit(SenmlField::ut);

// Times below 2^28 s are relative to "now" (RFC 8428 §4.5.3).
constexpr std::int64_t kRelativeTimeLimitNs = (std::int64_t{1} << 28) * 1'000'000'000;

// RFC 8428 §4.5.1 name characters.
constexpr std::array<bool, 256> kNameChars = [] {
  std::array<bool, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
  for (char c : std::string_view(":./_-")) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Base64 text: the URL-safe alphabet RFC 8428 prescribes, plus the standard
// alphabet and '=' padding that real devices send.
bool is_base64_text(std::string_view text) {
  std::size_t end = text.find_last_not_of('=');
  end = end == std::string_view::npos ? 0 : end + 1;
  if (text.size() - end > 2) return false;
  for (std::size_t i = 0; i < end; ++i) {
    char c = text[i];
    if (!is_alnum(c) && c != '-' && c != '_' && c != '+' && c != '/') return false;
  }
  return true;
}

std::string record_error(std::size_t index, std::string_view what) {
  return "record " + std::to_string(index) + ": " + std::string(what);
}

Status fail_record(std::size_t index, std::string_view what) {
  return fail(ErrorCode::invalid_argument, record_error(index, what));
}

Status check_name(std::size_t index, const std::string& name) {
  if (name.empty()) return fail_record(index, "name is empty (set bn or n)");
  if (!is_alnum(name.front()))
    return fail_record(index, "name " + error_quote(name) + " must start with a letter or digit");
  for (char c : name) {
    if (!kNameChars[static_cast<unsigned char>(c)])
      return fail_record(index,
                         "name " + error_quote(name) + " has characters outside [A-Za-z0-9:./_-]");
  }
  return ok();
}

}  // namespace

const char* senml_label(SenmlField field) {
  static constexpr const char* kLabels[kSenmlFieldCount] = {
      "bn", "bt", "bu", "bv", "bs", "bver", "n", "u", "v", "vs", "vb", "vd", "s", "t", "ut"};
  return kLabels[static_cast<int>(field)];
}

Status SenmlResolver::add(std::size_t index, RawSenmlRecord& raw) {
  // Base fields first: they apply to this record too.
  if (raw.has(SenmlField::bver)) {
    if (raw.bver > kVersion)
      return fail_record(index, "SenML version " + std::to_string(raw.bver) +
                                    " is not supported (this reader implements version " +
                                    std::to_string(kVersion) + ")");
    if (index == 0) {
      version_ = raw.bver;
    } else if (raw.bver != version_) {
      return fail_record(index, "field 'bver' is " + std::to_string(raw.bver) +
                                    " but earlier records use version " + std::to_string(version_));
    }
  }
  if (raw.has(SenmlField::bn)) base_name_ = std::move(raw.bn);
  if (raw.has(SenmlField::bu)) base_unit_ = std::move(raw.bu);
  if (raw.has(SenmlField::bt)) base_time_ns_ = raw.bt_ns;
  if (raw.has(SenmlField::bv)) base_value_ = raw.bv;
  if (raw.has(SenmlField::bs)) {
    base_sum_ = raw.bs;
    has_base_sum_ = true;
  }
  if ((raw.present & kRegularFields) == 0) return ok();  // a base-only record

  int values = std::popcount(raw.present & kValueFields);
  if (values > 1) return fail_record(index, "at most one of v, vs, vb, vd may be present");
  if (values == 0 && !raw.has(SenmlField::s))
    return fail_record(index, "exactly one of v, vs, vb, vd (or s) is required");

  SenmlRecord record;
  record.name.reserve(base_name_.size() + raw.n.size());
  record.name = base_name_;
  if (raw.has(SenmlField::n)) record.name += raw.n;
  CONFLUX_RETURN_IF_ERROR(check_name(index, record.name));
  record.unit = raw.has(SenmlField::u) ? std::move(raw.u) : base_unit_;

  if (raw.has(SenmlField::v)) {
    double value = base_value_ + raw.v;
    if (!std::isfinite(value)) return fail_record(index, "field 'v' plus 'bv' is out of range");
    record.value = value;
  } else if (raw.has(SenmlField::vs)) {
    record.string_value = std::move(raw.vs);
  } else if (raw.has(SenmlField::vb)) {
    record.bool_value = raw.vb;
  } else if (raw.has(SenmlField::vd)) {
    if (!is_base64_text(raw.vd)) return fail_record(index, "field 'vd' must be base64 text");
    record.data_value = std::move(raw.vd);
  }
  if (raw.has(SenmlField::s) || has_base_sum_) {
    double sum = (has_base_sum_ ? base_sum_ : 0) + (raw.has(SenmlField::s) ? raw.s : 0);
    if (!std::isfinite(sum)) return fail_record(index, "field 's' plus 'bs' is out of range");
    record.sum = sum;
  }

  std::int64_t time = base_time_ns_;
  if (raw.has(SenmlField::t) && __builtin_add_overflow(time, raw.t_ns, &time))
    return fail_record(index, "time 'bt' + 't' is out of range");
  if (time < kRelativeTimeLimitNs && __builtin_add_overflow(now_ns_, time, &time))
    return fail_record(index, "relative time is out of range");
  record.time = time;

  if (raw.has(SenmlField::ut)) {
    if (raw.ut < 0) return fail_record(index, "field 'ut' must not be negative");
    record.update_time = raw.ut;
  }
  records_.push_back(std::move(record));
  return ok();
}

Result<std::vector<SenmlRecord>> SenmlResolver::finish() && {
  if (records_.empty())
    return fail(ErrorCode::invalid_argument, "SenML pack has no record with a value or sum");
  if (!std::is_sorted(records_.begin(), records_.end(),
                      [](const SenmlRecord& a, const SenmlRecord& b) { return a.time < b.time; })) {
    std::stable_sort(records_.begin(), records_.end(),
                     [](const SenmlRecord& a, const SenmlRecord& b) { return a.time < b.time; });
  }
  return std::move(records_);
}

}  // namespace conflux::core::messages_detail
