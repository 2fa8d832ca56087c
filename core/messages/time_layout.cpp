// core/messages/time_layout.cpp — compile_layout(): tokenizes a Go layout
// into chunks (after Go's nextStdChunk).
//
// Thread-safety: pure function.
#include "core/messages/time_layout.h"

#include <array>
#include <optional>
#include <utility>

namespace conflux::core::messages_detail {
namespace {

using E = LayoutElement;

struct Element {
  E element;
  std::size_t length;
  int digits = 0;
};

bool is_digit(std::string_view s, std::size_t i) {
  return i < s.size() && s[i] >= '0' && s[i] <= '9';
}

bool at(std::string_view s, std::size_t i, std::string_view what) {
  return s.substr(i, what.size()) == what;
}

// The layout element starting at layout[i], if one does.
std::optional<Element> element_at(std::string_view l, std::size_t i) {
  switch (l[i]) {
    case 'J':
      if (at(l, i, "January")) return Element{E::long_month, 7};
      if (at(l, i, "Jan")) return Element{E::month, 3};
      break;
    case 'M':
      if (at(l, i, "Monday")) return Element{E::long_weekday, 6};
      if (at(l, i, "Mon")) return Element{E::weekday, 3};
      if (at(l, i, "MST")) return Element{E::zone_abbreviation, 3};
      break;
    case '0':
      if (i + 1 < l.size() && l[i + 1] >= '1' && l[i + 1] <= '6') {
        static constexpr std::array<E, 6> kTwoDigit = {
            E::zero_month, E::zero_day, E::zero_hour12, E::zero_minute, E::zero_second, E::year};
        return Element{kTwoDigit[l[i + 1] - '1'], 2};
      }
      if (at(l, i, "002")) return Element{E::zero_year_day, 3};
      break;
    case '1':
      if (at(l, i, "15")) return Element{E::hour, 2};
      return Element{E::num_month, 1};
    case '2':
      if (at(l, i, "2006")) return Element{E::long_year, 4};
      return Element{E::day, 1};
    case '_':
      if (at(l, i, "_2")) {
        if (at(l, i + 1, "2006")) break;  // a literal '_' before the year
        return Element{E::under_day, 2};
      }
      if (at(l, i, "__2")) return Element{E::under_year_day, 3};
      break;
    case '3':
      return Element{E::hour12, 1};
    case '4':
      return Element{E::minute, 1};
    case '5':
      return Element{E::second, 1};
    case 'P':
      if (at(l, i, "PM")) return Element{E::pm_upper, 2};
      break;
    case 'p':
      if (at(l, i, "pm")) return Element{E::pm_lower, 2};
      break;
    case '-':
      if (at(l, i, "-070000")) return Element{E::num_zone_seconds, 7};
      if (at(l, i, "-07:00:00")) return Element{E::num_zone_colon_seconds, 9};
      if (at(l, i, "-0700")) return Element{E::num_zone, 5};
      if (at(l, i, "-07:00")) return Element{E::num_zone_colon, 6};
      if (at(l, i, "-07")) return Element{E::num_zone_short, 3};
      break;
    case 'Z':
      if (at(l, i, "Z070000")) return Element{E::iso_zone_seconds, 7};
      if (at(l, i, "Z07:00:00")) return Element{E::iso_zone_colon_seconds, 9};
      if (at(l, i, "Z0700")) return Element{E::iso_zone, 5};
      if (at(l, i, "Z07:00")) return Element{E::iso_zone_colon, 6};
      if (at(l, i, "Z07")) return Element{E::iso_zone_short, 3};
      break;
    case '.':
    case ',':
      if (i + 1 < l.size() && (l[i + 1] == '0' || l[i + 1] == '9')) {
        char repeated = l[i + 1];
        std::size_t j = i + 1;
        while (j < l.size() && l[j] == repeated) ++j;
        if (!is_digit(l, j)) {
          int digits = static_cast<int>(j - (i + 1));
          return Element{repeated == '0' ? E::fraction_fixed : E::fraction_optional, j - i, digits};
        }
      }
      break;
  }
  return std::nullopt;
}

}  // namespace

Result<TimeLayout> compile_layout(std::string_view layout) {
  TimeLayout compiled;
  compiled.text = std::string(layout);
  bool has_year = false, has_month = false, has_day = false, has_year_day = false;
  std::string literal;
  for (std::size_t i = 0; i < layout.size();) {
    auto element = element_at(layout, i);
    if (!element) {
      literal.push_back(layout[i++]);
      continue;
    }
    if (!literal.empty()) compiled.chunks.push_back({E::literal, std::exchange(literal, {}), 0});
    compiled.chunks.push_back({element->element, {}, element->digits});
    i += element->length;
    switch (element->element) {
      case E::long_year:
      case E::year:
        has_year = true;
        break;
      case E::long_month:
      case E::month:
      case E::num_month:
      case E::zero_month:
        has_month = true;
        break;
      case E::day:
      case E::under_day:
      case E::zero_day:
        has_day = true;
        break;
      case E::under_year_day:
      case E::zero_year_day:
        has_year_day = true;
        break;
      default:
        break;
    }
  }
  if (!literal.empty()) compiled.chunks.push_back({E::literal, std::move(literal), 0});
  if (!has_year || !((has_month && has_day) || has_year_day))
    return fail(ErrorCode::invalid_argument, "layout has no year, month and day");
  return compiled;
}

}  // namespace conflux::core::messages_detail
