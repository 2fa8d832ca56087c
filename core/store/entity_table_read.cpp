// core/store/entity_table_read.cpp — EntityTable pagination (scan, by_index)
// and the consistency check `verify`. Thread-safety: see entity_table.h.
#include <fmt/format.h>

#include "core/store/entity_table.h"

namespace conflux::core::store {
namespace {

// Fills `page` from the entry `e` on, walking with `step`: skips `offset`
// entries, takes up to `limit`; `row_of` turns an entry into a Row.
template <class Step, class RowOf>
Status fill_page(Cursor::Found e, Step step, RowOf row_of, const PageRequest& req, Page& page) {
  std::size_t skipped = 0;
  for (; e && *e; e = step()) {
    if (skipped < req.offset) {
      ++skipped;
      continue;
    }
    if (page.rows.size() == req.limit) {
      page.next = page.rows.empty() ? std::string() : page.rows.back().key;
      return ok();
    }
    CONFLUX_ASSIGN_OR_RETURN(auto row, row_of(**e));
    page.rows.push_back(std::move(row));
  }
  if (!e) return std::unexpected(std::move(e).error());
  return ok();
}

}  // namespace

Result<Page> EntityTable::scan(const Txn& txn, const PageRequest& req,
                               std::string_view prefix) const {
  Page page;
  CONFLUX_ASSIGN_OR_RETURN(auto cur, txn.cursor(rows_));
  auto in_range = [&](const Cursor::Found& e) { return e && *e && (*e)->key.starts_with(prefix); };
  if (prefix.empty()) {
    CONFLUX_ASSIGN_OR_RETURN(page.total, txn.count(rows_));
  } else {
    for (auto e = cur.seek(prefix); in_range(e); e = cur.next()) ++page.total;
  }
  const std::string_view start = req.after.empty() || req.after < prefix ? prefix : req.after;
  Cursor::Found first = start.empty() ? cur.first() : cur.seek(start);
  if (first && *first && !req.after.empty() && (*first)->key == req.after) first = cur.next();
  if (first && *first && !(*first)->key.starts_with(prefix)) first = std::optional<Entry>();
  auto step = [&]() -> Cursor::Found {
    auto e = cur.next();
    if (e && *e && !(*e)->key.starts_with(prefix)) return std::optional<Entry>();
    return e;
  };
  auto row_of = [](const Entry& e) -> Result<Row> {
    return Row{std::string(e.key), std::string(e.value)};
  };
  CONFLUX_RETURN_IF_ERROR(fill_page(std::move(first), step, row_of, req, page));
  return page;
}

Result<Page> EntityTable::by_index(const Txn& txn, std::string_view index,
                                   std::string_view index_key, const PageRequest& req) const {
  const Index* ix = find_index(index);
  if (ix == nullptr) {
    return fail(ErrorCode::invalid_argument, fmt::format("{}: no index {}", table_, index));
  }
  Page page;
  if (index_key.empty() || index_key.size() > 511) return page;
  auto row_of = [&](const Entry& e) -> Result<Row> {
    // e.value is the primary key.
    CONFLUX_ASSIGN_OR_RETURN(auto value, txn.get(rows_, e.value));
    if (!value) {
      return fail(ErrorCode::internal,
                  fmt::format("{}: index {} points at a missing row", table_, ix->spec.name));
    }
    return Row{std::string(e.value), std::string(*value)};
  };
  CONFLUX_ASSIGN_OR_RETURN(auto cur, txn.cursor(ix->dbi));
  CONFLUX_ASSIGN_OR_RETURN(auto found, cur.find(index_key));
  if (!found) return page;
  if (ix->spec.unique) {
    page.total = 1;
    if (req.offset > 0 || req.limit == 0 || (!req.after.empty() && req.after >= found->value)) {
      return page;
    }
    CONFLUX_ASSIGN_OR_RETURN(auto row, row_of(*found));
    page.rows.push_back(std::move(row));
    return page;
  }
  CONFLUX_ASSIGN_OR_RETURN(page.total, cur.dup_count());
  Cursor::Found first = std::optional<Entry>(*found);
  if (!req.after.empty()) {
    first = cur.seek_dup(index_key, req.after);
    if (first && *first && (*first)->value == req.after) first = cur.next_dup();
  }
  auto step = [&] { return cur.next_dup(); };
  // Rows are keyed by primary key: report the pk as the row key.
  CONFLUX_RETURN_IF_ERROR(fill_page(std::move(first), step, row_of, req, page));
  return page;
}

Status EntityTable::verify(const Txn& txn) const {
  auto mismatch = [&](const Index& ix, std::string_view what) -> Status {
    return fail(ErrorCode::internal,
                fmt::format("{}.{}: inconsistent index: {}", table_, ix.spec.name, what));
  };
  CONFLUX_ASSIGN_OR_RETURN(auto rows, txn.cursor(rows_));
  for (const auto& ix : indexes_) {
    std::size_t expected = 0;
    for (auto e = rows.first(); e && *e; e = rows.next()) {
      CONFLUX_ASSIGN_OR_RETURN(auto keys, ix.spec.keys((*e)->value));
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      expected += keys.size();
      CONFLUX_ASSIGN_OR_RETURN(auto icur, txn.cursor(ix.dbi));
      for (const auto& k : keys) {
        if (ix.spec.unique) {
          CONFLUX_ASSIGN_OR_RETURN(auto pk, txn.get(ix.dbi, k));
          if (!pk || *pk != (*e)->key) return mismatch(ix, "a row's key is not indexed");
        } else {
          CONFLUX_ASSIGN_OR_RETURN(auto hit, icur.seek_dup(k, (*e)->key));
          if (!hit || hit->value != (*e)->key) return mismatch(ix, "a row's key is not indexed");
        }
      }
    }
    CONFLUX_ASSIGN_OR_RETURN(auto entries, txn.count(ix.dbi));
    if (entries != expected) return mismatch(ix, "entries without a matching row");
  }
  return ok();
}

}  // namespace conflux::core::store
