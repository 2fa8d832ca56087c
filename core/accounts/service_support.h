// core/accounts — private helpers of the AccountsService operation files:
// exception guards for the noexcept interface, whole-table reads decoded to
// rows, and in-memory pagination of filtered lists.
//
// Thread-safety: pure helpers; reads use the caller's transaction.
#pragma once

#include <algorithm>
#include <exception>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/accounts.h"
#include "core/store/entity_table.h"

namespace conflux::core::accounts {

// Runs `f`, turning an escaping exception into an internal error.
template <class F>
auto guarded(F&& f) noexcept -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, std::string("accounts: ") + e.what());
  } catch (...) {
    return fail(ErrorCode::internal, "accounts: unexpected failure");
  }
}

inline store::PageRequest everything() {
  return store::PageRequest{0, std::numeric_limits<std::size_t>::max(), {}};
}

template <class T, class Codec>
Result<std::vector<T>> decode_rows(const store::Page& page) {
  std::vector<T> out;
  out.reserve(page.rows.size());
  for (const auto& row : page.rows) {
    CONFLUX_ASSIGN_OR_RETURN(auto v, Codec::decode(row.value));
    out.push_back(std::move(v));
  }
  return out;
}

// Every row of `table` (whose primary key starts with `prefix`).
template <class T, class Codec>
Result<std::vector<T>> all_rows(const store::Txn& txn, const store::TypedTable<T, Codec>& table,
                                std::string_view prefix = {}) {
  CONFLUX_ASSIGN_OR_RETURN(auto page, table.raw().scan(txn, everything(), prefix));
  return decode_rows<T, Codec>(page);
}

// The rows whose `index` holds `key`.
template <class T, class Codec>
Result<std::vector<T>> rows_by(const store::Txn& txn, const store::TypedTable<T, Codec>& table,
                               std::string_view index, std::string_view key) {
  CONFLUX_ASSIGN_OR_RETURN(auto page, table.raw().by_index(txn, index, key, everything()));
  return decode_rows<T, Codec>(page);
}

template <class T>
Page<T> paginate(std::vector<T> items, const PageParams& p) {
  Page<T> page;
  page.total = items.size();
  page.offset = p.offset;
  page.limit = p.limit;
  if (p.offset < items.size()) {
    auto first = items.begin() + static_cast<std::ptrdiff_t>(p.offset);
    auto n = std::min<std::uint64_t>(p.limit, items.size() - p.offset);
    page.items.assign(std::make_move_iterator(first),
                      std::make_move_iterator(first + static_cast<std::ptrdiff_t>(n)));
  }
  return page;
}

}  // namespace conflux::core::accounts
