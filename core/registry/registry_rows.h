// core/registry — internal helpers of the RegistryService source files:
// decoding every row of an index or table, and cutting a filtered page.
//
// Thread-safety: as the transaction passed in (one thread at a time).
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/registry/registry.h"

namespace conflux::core::registry {

template <class T, class Codec>
Result<std::vector<T>> RegistryService::rows_by(const store::Txn& txn,
                                                const store::TypedTable<T, Codec>& table,
                                                std::string_view index,
                                                std::string_view key) const {
  store::PageRequest all;
  all.limit = std::numeric_limits<std::size_t>::max();
  CONFLUX_ASSIGN_OR_RETURN(auto page, table.raw().by_index(txn, index, key, all));
  std::vector<T> out;
  out.reserve(page.rows.size());
  for (const auto& row : page.rows) {
    CONFLUX_ASSIGN_OR_RETURN(T value, Codec::decode(row.value));
    out.push_back(std::move(value));
  }
  return out;
}

template <class T, class Codec>
Result<std::vector<T>> RegistryService::all_rows(const store::Txn& txn,
                                                 const store::TypedTable<T, Codec>& table) const {
  store::PageRequest all;
  all.limit = std::numeric_limits<std::size_t>::max();
  CONFLUX_ASSIGN_OR_RETURN(auto page, table.raw().scan(txn, all));
  std::vector<T> out;
  out.reserve(page.rows.size());
  for (const auto& row : page.rows) {
    CONFLUX_ASSIGN_OR_RETURN(T value, Codec::decode(row.value));
    out.push_back(std::move(value));
  }
  return out;
}

// Keeps the rows matching the page's name and metadata filters (in the
// order given) and returns the requested slice with the filtered total.
template <class T>
Page<T> make_page(std::vector<T> rows, const PageParams& params) {
  Page<T> page;
  page.offset = params.offset;
  page.limit = params.limit;
  std::vector<T> kept;
  for (auto& r : rows)
    if (name_matches(r.name, params.name) && metadata_matches(r.metadata, params.metadata))
      kept.push_back(std::move(r));
  page.total = kept.size();
  if (params.offset < kept.size()) {
    auto end = std::min<std::uint64_t>(kept.size(), params.offset + params.limit);
    for (auto i = params.offset; i < end; ++i) page.items.push_back(std::move(kept[i]));
  }
  return page;
}

}  // namespace conflux::core::registry
