// core/store/entity_table.cpp — EntityTable writes and reads: index keys are
// computed and unique conflicts checked before anything is written, so a
// refused write changes nothing even when the caller ignores the error.
// Thread-safety: see entity_table.h.
#include "core/store/entity_table.h"

#include <fmt/format.h>

#include <algorithm>

namespace conflux::core::store {
namespace {

constexpr std::size_t kMaxKey = 511;  // LMDB's default maximum key size

Result<std::vector<std::string>> keys_of(const IndexSpec& spec, std::string_view value) {
  CONFLUX_ASSIGN_OR_RETURN(auto keys, spec.keys(value));
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::vector<std::string> minus(const std::vector<std::string>& a,
                               const std::vector<std::string>& b) {
  std::vector<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

Status check_key(std::string_view table, std::string_view what, std::string_view key) {
  if (key.empty()) {
    return fail(ErrorCode::invalid_argument, fmt::format("{}: {} is empty", table, what));
  }
  if (key.size() > kMaxKey) {
    return fail(ErrorCode::invalid_argument,
                fmt::format("{}: {} is longer than {} bytes", table, what, kMaxKey));
  }
  return ok();
}

}  // namespace

Result<EntityTable> EntityTable::open(LmdbEnv& env, std::string table,
                                      std::vector<IndexSpec> indexes) {
  CONFLUX_ASSIGN_OR_RETURN(Dbi rows, env.database(table));
  std::vector<Index> opened;
  for (auto& spec : indexes) {
    if (spec.name.empty() || !spec.keys) {
      return fail(ErrorCode::invalid_argument,
                  fmt::format("{}: an index needs a name and a key function", table));
    }
    CONFLUX_ASSIGN_OR_RETURN(Dbi dbi, env.database(fmt::format("{}.{}", table, spec.name),
                                                   spec.unique ? 0 : MDB_DUPSORT));
    opened.push_back(Index{std::move(spec), dbi});
  }
  return EntityTable(std::move(table), rows, std::move(opened));
}

const EntityTable::Index* EntityTable::find_index(std::string_view name) const {
  for (const auto& ix : indexes_)
    if (ix.spec.name == name) return &ix;
  return nullptr;
}

Status EntityTable::add_entries(WriteTxn& txn, const Index& index, std::string_view key,
                                const std::vector<std::string>& keys) const {
  for (const auto& k : keys) {
    CONFLUX_RETURN_IF_ERROR(txn.put(index.dbi, k, key, index.spec.unique ? 0 : MDB_NODUPDATA));
  }
  return ok();
}

Status EntityTable::remove_entries(WriteTxn& txn, const Index& index, std::string_view key,
                                   const std::vector<std::string>& keys) const {
  for (const auto& k : keys) {
    auto gone = index.spec.unique ? txn.del(index.dbi, k) : txn.del(index.dbi, k, key);
    if (!gone) return std::unexpected(std::move(gone).error());
  }
  return ok();
}

Status EntityTable::write_row(WriteTxn& txn, std::string_view key, std::string_view value,
                              std::optional<std::string_view> old) const {
  CONFLUX_RETURN_IF_ERROR(check_key(table_, "key", key));
  struct Change {
    const Index* index;
    std::vector<std::string> removed;
    std::vector<std::string> added;
  };
  std::vector<Change> changes;
  // Phase 1: compute and check everything; nothing is written yet.
  for (const auto& ix : indexes_) {
    CONFLUX_ASSIGN_OR_RETURN(auto now, keys_of(ix.spec, value));
    std::vector<std::string> before;
    if (old) {
      CONFLUX_ASSIGN_OR_RETURN(before, keys_of(ix.spec, *old));
    }
    Change c{&ix, minus(before, now), minus(now, before)};
    for (const auto& k : c.added) {
      CONFLUX_RETURN_IF_ERROR(check_key(table_, fmt::format("{} key", ix.spec.name), k));
      if (ix.spec.unique) {
        CONFLUX_ASSIGN_OR_RETURN(auto holder, txn.get(ix.dbi, k));
        if (holder && *holder != key) {
          return fail(ErrorCode::already_exists,
                      fmt::format("{}: {} already exists", table_, ix.spec.name));
        }
      }
    }
    changes.push_back(std::move(c));
  }
  // Phase 2: write.
  for (const auto& c : changes) {
    CONFLUX_RETURN_IF_ERROR(remove_entries(txn, *c.index, key, c.removed));
    CONFLUX_RETURN_IF_ERROR(add_entries(txn, *c.index, key, c.added));
  }
  return txn.put(rows_, key, value);
}

Status EntityTable::insert(WriteTxn& txn, std::string_view key, std::string_view value) const {
  CONFLUX_RETURN_IF_ERROR(check_key(table_, "key", key));
  CONFLUX_ASSIGN_OR_RETURN(auto existing, txn.get(rows_, key));
  if (existing)
    return fail(ErrorCode::already_exists, fmt::format("{}: key already exists", table_));
  return write_row(txn, key, value, std::nullopt);
}

Status EntityTable::update(WriteTxn& txn, std::string_view key, std::string_view value) const {
  CONFLUX_RETURN_IF_ERROR(check_key(table_, "key", key));
  CONFLUX_ASSIGN_OR_RETURN(auto existing, txn.get(rows_, key));
  if (!existing) return fail(ErrorCode::not_found, fmt::format("{}: not found", table_));
  const std::string old(*existing);
  return write_row(txn, key, value, old);
}

Status EntityTable::upsert(WriteTxn& txn, std::string_view key, std::string_view value) const {
  CONFLUX_RETURN_IF_ERROR(check_key(table_, "key", key));
  CONFLUX_ASSIGN_OR_RETURN(auto existing, txn.get(rows_, key));
  if (!existing) return write_row(txn, key, value, std::nullopt);
  const std::string old(*existing);
  return write_row(txn, key, value, old);
}

Status EntityTable::erase(WriteTxn& txn, std::string_view key) const {
  CONFLUX_RETURN_IF_ERROR(check_key(table_, "key", key));
  CONFLUX_ASSIGN_OR_RETURN(auto existing, txn.get(rows_, key));
  if (!existing) return fail(ErrorCode::not_found, fmt::format("{}: not found", table_));
  const std::string old(*existing);
  std::vector<std::pair<const Index*, std::vector<std::string>>> entries;
  for (const auto& ix : indexes_) {
    CONFLUX_ASSIGN_OR_RETURN(auto keys, keys_of(ix.spec, old));
    entries.emplace_back(&ix, std::move(keys));
  }
  for (const auto& [ix, keys] : entries)
    CONFLUX_RETURN_IF_ERROR(remove_entries(txn, *ix, key, keys));
  CONFLUX_ASSIGN_OR_RETURN(bool gone, txn.del(rows_, key));
  (void)gone;
  return ok();
}

Result<std::optional<std::string_view>> EntityTable::get(const Txn& txn,
                                                         std::string_view key) const {
  if (key.empty() || key.size() > kMaxKey) return std::optional<std::string_view>();
  return txn.get(rows_, key);
}

Result<std::optional<std::string>> EntityTable::find_unique(const Txn& txn, std::string_view index,
                                                            std::string_view index_key) const {
  const Index* ix = find_index(index);
  if (ix == nullptr || !ix->spec.unique) {
    return fail(ErrorCode::invalid_argument, fmt::format("{}: no unique index {}", table_, index));
  }
  if (index_key.empty() || index_key.size() > kMaxKey) return std::optional<std::string>();
  CONFLUX_ASSIGN_OR_RETURN(auto pk, txn.get(ix->dbi, index_key));
  if (!pk) return std::optional<std::string>();
  return std::optional<std::string>(std::string(*pk));
}

Result<std::size_t> EntityTable::count(const Txn& txn) const { return txn.count(rows_); }

}  // namespace conflux::core::store
