// core/messages/senml.cpp — parse_senml(): a SAX handler over nlohmann's
// iterative parser reads the pack straight into RawSenmlRecord values (no
// DOM), checking each field's JSON type, and hands every record to the
// SenmlResolver as soon as it closes.
//
// Thread-safety: parse_senml is thread-safe (all state is per call).
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/messages/decimal.h"
#include "core/messages/error_text.h"
#include "core/messages/format.h"
#include "core/messages/json_reader.h"
#include "core/messages/senml_resolver.h"

namespace conflux::core {
namespace {

using messages_detail::DecimalError;
using messages_detail::RawSenmlRecord;
using messages_detail::SenmlField;
using messages_detail::SenmlResolver;
using nlohmann::json;

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;

enum class Expect : std::uint8_t { string, number, boolean, positive_integer };

Expect expected_type(SenmlField field) {
  switch (field) {
    case SenmlField::bn:
    case SenmlField::bu:
    case SenmlField::n:
    case SenmlField::u:
    case SenmlField::vs:
    case SenmlField::vd:
      return Expect::string;
    case SenmlField::vb:
      return Expect::boolean;
    case SenmlField::bver:
      return Expect::positive_integer;
    default:
      return Expect::number;
  }
}

const char* type_phrase(Expect expect) {
  switch (expect) {
    case Expect::string:
      return "a string";
    case Expect::number:
      return "a number";
    case Expect::boolean:
      return "a boolean";
    case Expect::positive_integer:
      return "a positive integer";
  }
  return "?";
}

// The field for a JSON member name; nullopt for labels this reader ignores.
std::optional<SenmlField> field_for(std::string_view key) {
  switch (key.size()) {
    case 1:
      switch (key[0]) {
        case 'n':
          return SenmlField::n;
        case 'u':
          return SenmlField::u;
        case 'v':
          return SenmlField::v;
        case 's':
          return SenmlField::s;
        case 't':
          return SenmlField::t;
      }
      break;
    case 2:
      if (key[0] == 'b') {
        switch (key[1]) {
          case 'n':
            return SenmlField::bn;
          case 't':
            return SenmlField::bt;
          case 'u':
            return SenmlField::bu;
          case 'v':
            return SenmlField::bv;
          case 's':
            return SenmlField::bs;
        }
      } else if (key[0] == 'v') {
        switch (key[1]) {
          case 's':
            return SenmlField::vs;
          case 'b':
            return SenmlField::vb;
          case 'd':
            return SenmlField::vd;
        }
      } else if (key == "ut") {
        return SenmlField::ut;
      }
      break;
    case 4:
      if (key == "bver") return SenmlField::bver;
      break;
  }
  return std::nullopt;
}

// SAX events → records. Depth 1 is the pack array, depth 2 a record; values
// nested deeper belong to ignored extension fields and are skipped.
class SenmlReader {
 public:
  explicit SenmlReader(std::int64_t now_ns) : resolver_(now_ns) {}

  bool null() { return scalar_type_error(); }
  bool boolean(bool value) {
    if (!at_field_value()) return at_record_level_or_deeper();
    if (expected_type(*field_) != Expect::boolean) return type_error();
    raw_.vb = value;
    return mark();
  }
  bool number_integer(json::number_integer_t value) {
    if (!at_field_value()) return at_record_level_or_deeper();
    return integer(value < 0, value < 0 ? 0 - static_cast<std::uint64_t>(value)
                                        : static_cast<std::uint64_t>(value));
  }
  bool number_unsigned(json::number_unsigned_t value) {
    if (!at_field_value()) return at_record_level_or_deeper();
    return integer(false, value);
  }
  bool number_float(json::number_float_t value, const json::string_t& text) {
    if (!at_field_value()) return at_record_level_or_deeper();
    if (expected_type(*field_) != Expect::number) return type_error();
    if (*field_ == SenmlField::bt || *field_ == SenmlField::t) {
      auto ns = messages_detail::scaled_decimal(text, 9);
      if (!ns)
        return field_error(ns.error() == DecimalError::out_of_range ? "is out of range"
                                                                    : "is not a decimal number");
      return set_time(*ns);
    }
    set_double(value);
    return mark();
  }
  bool string(json::string_t& value) {
    if (!at_field_value()) return at_record_level_or_deeper();
    if (expected_type(*field_) != Expect::string) return type_error();
    switch (*field_) {
      case SenmlField::bn:
        raw_.bn = value;
        break;
      case SenmlField::bu:
        raw_.bu = value;
        break;
      case SenmlField::n:
        raw_.n = value;
        break;
      case SenmlField::u:
        raw_.u = value;
        break;
      case SenmlField::vs:
        raw_.vs = value;
        break;
      default:
        raw_.vd = value;
        break;
    }
    return mark();
  }
  bool binary(json::binary_t&) { return scalar_type_error(); }

  bool start_object(std::size_t) {
    if (depth_ == 0) return top_level_error();
    if (depth_ == 1) {
      ++depth_;
      raw_.present = 0;
      field_.reset();
      return true;
    }
    if (depth_ == 2 && field_) return type_error();
    ++depth_;
    return true;
  }
  bool key(json::string_t& key) {
    if (depth_ != 2) return true;
    field_ = field_for(key);
    if (!field_ && !key.empty() && key.back() == '_')
      return error("record " + std::to_string(index_) + ": field " +
                   messages_detail::error_quote(key) + " must be understood but is not supported");
    if (field_ && raw_.has(*field_)) return field_error("appears twice");
    return true;
  }
  bool end_object() {
    if (--depth_ != 1) return true;
    if (auto status = resolver_.add(index_, raw_); !status) return error(status.error().message);
    ++index_;
    return true;
  }
  bool start_array(std::size_t) {
    if (depth_ == 0) {
      depth_ = 1;
      return true;
    }
    if (depth_ == 1) return element_type_error();
    if (depth_ == 2 && field_) return type_error();
    ++depth_;
    return true;
  }
  bool end_array() {
    if (--depth_ == 0 && index_ == 0) return error("SenML pack is an empty array");
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    if (error_.empty())
      error_ = "payload is not valid JSON: " + messages_detail::describe_parse_error(e);
    return false;
  }

  const std::string& error_text() const { return error_; }
  SenmlResolver& resolver() { return resolver_; }

 private:
  // True when the current event is the value of a known field of a record.
  bool at_field_value() const { return depth_ == 2 && field_.has_value(); }

  // A scalar outside a known field: the whole payload, an array element, or
  // an ignored field's value.
  bool at_record_level_or_deeper() {
    if (depth_ == 0) return top_level_error();
    if (depth_ == 1) return element_type_error();
    return true;
  }
  bool scalar_type_error() {
    if (!at_field_value()) return at_record_level_or_deeper();
    return type_error();
  }

  bool integer(bool negative, std::uint64_t magnitude) {
    switch (expected_type(*field_)) {
      case Expect::number:
        break;
      case Expect::positive_integer:
        if (negative || magnitude == 0) return type_error();
        raw_.bver = magnitude > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
                        ? std::numeric_limits<std::int64_t>::max()
                        : static_cast<std::int64_t>(magnitude);
        return mark();
      default:
        return type_error();
    }
    if (*field_ == SenmlField::bt || *field_ == SenmlField::t) {
      constexpr std::uint64_t kMaxSeconds =
          std::numeric_limits<std::int64_t>::max() / kNanosPerSecond;
      if (magnitude > kMaxSeconds) return field_error("is out of range");
      auto seconds = static_cast<std::int64_t>(magnitude);
      return set_time((negative ? -seconds : seconds) * kNanosPerSecond);
    }
    double value = static_cast<double>(magnitude);
    set_double(negative ? -value : value);
    return mark();
  }

  bool set_time(std::int64_t ns) {
    (*field_ == SenmlField::bt ? raw_.bt_ns : raw_.t_ns) = ns;
    return mark();
  }

  void set_double(double value) {
    switch (*field_) {
      case SenmlField::bv:
        raw_.bv = value;
        break;
      case SenmlField::bs:
        raw_.bs = value;
        break;
      case SenmlField::v:
        raw_.v = value;
        break;
      case SenmlField::s:
        raw_.s = value;
        break;
      default:
        raw_.ut = value;
        break;
    }
  }

  bool mark() {
    raw_.present |= 1U << static_cast<int>(*field_);
    return true;
  }

  bool type_error() {
    return field_error(std::string("must be ") + type_phrase(expected_type(*field_)));
  }
  bool field_error(std::string_view what) {
    return error("record " + std::to_string(index_) + ": field '" +
                 messages_detail::senml_label(*field_) + "' " + std::string(what));
  }
  bool top_level_error() { return error("SenML payload must be a JSON array of records"); }
  bool element_type_error() {
    return error("record " + std::to_string(index_) + ": must be a JSON object");
  }
  bool error(std::string message) {
    error_ = std::move(message);
    return false;
  }

  SenmlResolver resolver_;
  RawSenmlRecord raw_;
  std::optional<SenmlField> field_;
  std::size_t depth_ = 0;
  std::size_t index_ = 0;
  std::string error_;
};

}  // namespace

Result<std::vector<SenmlRecord>> parse_senml(std::string_view payload, std::int64_t now_ns) {
  SenmlReader reader(now_ns);
  bool ok = false;
  try {
    ok = json::sax_parse(payload.begin(), payload.end(), &reader);
  } catch (const json::exception& e) {
    return fail(ErrorCode::invalid_argument,
                "payload is not valid JSON: " + messages_detail::describe_parse_error(e));
  }
  if (!ok) return fail(ErrorCode::invalid_argument, reader.error_text());
  return std::move(reader.resolver()).finish();
}

}  // namespace conflux::core
