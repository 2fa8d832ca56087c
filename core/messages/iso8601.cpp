// core/messages/iso8601.cpp — parse_iso8601(): a small recursive-descent
// reader for the ISO 8601 extended forms.
//
// Thread-safety: pure function.
#include "core/messages/iso8601.h"

#include <optional>

#include "core/messages/error_text.h"

namespace conflux::core::messages_detail {
namespace {

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool done() const { return pos_ == text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }
  std::string_view rest() const { return text_.substr(pos_); }

  bool take(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }

  std::optional<int> digits(std::size_t count) {
    if (text_.size() - pos_ < count) return std::nullopt;
    int n = 0;
    for (std::size_t i = 0; i < count; ++i) {
      char c = text_[pos_ + i];
      if (c < '0' || c > '9') return std::nullopt;
      n = n * 10 + (c - '0');
    }
    pos_ += count;
    return n;
  }

  bool at_digit() const { return peek() >= '0' && peek() <= '9'; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

std::unexpected<std::string> expected(std::string_view what, const Reader& reader) {
  return std::unexpected("expected " + std::string(what) + " at " + error_quote(reader.rest()));
}

}  // namespace

std::expected<WallTime, std::string> parse_iso8601(std::string_view value) {
  Reader in(value);
  WallTime time;
  auto year = in.digits(4);
  if (!year) return expected("a 4-digit year", in);
  if (!in.take('-')) return expected("'-'", in);
  auto month = in.digits(2);
  if (!month) return expected("a 2-digit month", in);
  if (!in.take('-')) return expected("'-'", in);
  auto day = in.digits(2);
  if (!day) return expected("a 2-digit day", in);
  time.year = *year;
  if (*month < 1 || *month > 12) return std::unexpected(std::string("month out of range"));
  time.month = static_cast<unsigned>(*month);
  if (*day < 1 || static_cast<unsigned>(*day) > days_in_month(time.year, time.month))
    return std::unexpected(std::string("day out of range"));
  time.day = static_cast<unsigned>(*day);
  if (in.done()) return time;

  if (!in.take('T') && !in.take('t') && !in.take(' ')) return expected("'T'", in);
  auto hour = in.digits(2);
  if (!hour) return expected("a 2-digit hour", in);
  if (!in.take(':')) return expected("':'", in);
  auto minute = in.digits(2);
  if (!minute) return expected("2-digit minutes", in);
  if (*hour > 23 || *minute > 59) return std::unexpected(std::string("time of day out of range"));
  time.hour = *hour;
  time.minute = *minute;
  if (in.take(':')) {
    auto second = in.digits(2);
    if (!second) return expected("2-digit seconds", in);
    if (*second > 59) return std::unexpected(std::string("second out of range"));
    time.second = *second;
    if (in.take('.') || in.take(',')) {
      if (!in.at_digit()) return expected("digits", in);
      std::size_t count = 0;
      while (in.at_digit()) {
        int digit = *in.digits(1);
        if (count++ < 9) time.nanos = time.nanos * 10 + digit;
      }
      for (; count < 9; ++count) time.nanos *= 10;
    }
  }
  if (in.done()) return time;

  if (in.take('Z') || in.take('z')) {
    time.offset = 0;
  } else if (in.peek() == '+' || in.peek() == '-') {
    bool negative = in.peek() == '-';
    in.take(in.peek());
    auto hours = in.digits(2);
    if (!hours) return expected("a 2-digit offset hour", in);
    int minutes = 0;
    if (!in.done()) {
      in.take(':');
      auto m = in.digits(2);
      if (!m) return expected("2-digit offset minutes", in);
      minutes = *m;
    }
    if (*hours > 23 || minutes > 59) return std::unexpected(std::string("offset out of range"));
    std::int64_t offset = (*hours * 60 + minutes) * 60;
    time.offset = negative ? -offset : offset;
  } else {
    return expected("'Z' or an offset", in);
  }
  if (!in.done()) return std::unexpected("extra text " + error_quote(in.rest()));
  return time;
}

}  // namespace conflux::core::messages_detail
