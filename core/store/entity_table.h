// core/store/entity_table.h — a table of rows (primary key → encoded value)
// with secondary indexes kept in the same transaction as the row (DESIGN §6).
// The accounts and registry services build users, orgs, things, ... on it.
//
// Databases: the rows live in "<table>"; each index in "<table>.<index>".
// A unique index maps index key → primary key; a non-unique index is a
// DUPSORT database whose values are the primary keys (sorted). Index keys and
// primary keys of non-unique indexes are limited to 511 bytes (LMDB), primary
// keys and unique index keys to 511 bytes too; empty keys are refused.
//
// An index derives zero or more keys from a row's encoded value (its
// `keys` function; an empty list leaves the row out of the index). `insert`,
// `update`, `upsert` and `erase` keep every index consistent: update moves
// the entries whose keys changed; a unique key held by another row fails the
// whole write with already_exists "<table>: <index> already exists" and
// changes nothing (the caller's job should return that error so its nested
// transaction is discarded). `TypedTable<Codec>` adds typed rows on top.
//
// Pagination: `offset` skips rows, `after` resumes after a primary key
// (keyset; cheaper for deep pages); `limit` caps the page; `next` is the key
// to pass as `after` for the following page (empty at the end); `total`
// counts every match (O(1): LMDB keeps entry counts).
//
// Thread-safety: an EntityTable is immutable after `open` and may be shared
// by threads; each call uses the caller's transaction (write calls on the
// writer thread inside a job, reads from any thread with its ReadTxn).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/status.h"
#include "core/store/lmdb_env.h"

namespace conflux::core::store {

struct IndexSpec {
  std::string name;  // e.g. "email"; the database is "<table>.<name>"
  bool unique = false;
  // The index keys of a row, from its encoded value (version byte included).
  std::function<Result<std::vector<std::string>>(std::string_view value)> keys;
};

struct Row {
  std::string key;
  std::string value;
  friend bool operator==(const Row&, const Row&) = default;
};

struct PageRequest {
  std::size_t offset = 0;
  std::size_t limit = 100;
  std::string after;  // resume after this primary key (empty: from the start)
};

struct Page {
  std::vector<Row> rows;
  std::string next;  // `after` for the next page; empty when this is the last
  std::size_t total = 0;
};

class EntityTable {
 public:
  // Opens (creates) the table's databases; call at start-up.
  static Result<EntityTable> open(LmdbEnv& env, std::string table, std::vector<IndexSpec> indexes);

  const std::string& name() const noexcept { return table_; }

  // already_exists when `key` is taken or a unique index key is.
  Status insert(WriteTxn& txn, std::string_view key, std::string_view value) const;
  // not_found when `key` is absent.
  Status update(WriteTxn& txn, std::string_view key, std::string_view value) const;
  Status upsert(WriteTxn& txn, std::string_view key, std::string_view value) const;
  // not_found when `key` is absent.
  Status erase(WriteTxn& txn, std::string_view key) const;

  // The value (a view valid until the transaction ends or, in a WriteTxn,
  // the next write to this table).
  Result<std::optional<std::string_view>> get(const Txn& txn, std::string_view key) const;
  // The primary key holding `index_key` in a unique index.
  Result<std::optional<std::string>> find_unique(const Txn& txn, std::string_view index,
                                                 std::string_view index_key) const;
  // Rows whose `index` has `index_key`, in primary key order.
  Result<Page> by_index(const Txn& txn, std::string_view index, std::string_view index_key,
                        const PageRequest& page) const;
  // Rows in primary key order; `prefix` limits them to keys starting with it.
  Result<Page> scan(const Txn& txn, const PageRequest& page, std::string_view prefix = {}) const;
  Result<std::size_t> count(const Txn& txn) const;

  // Checks that every index entry points at a row producing that key and
  // every row's keys are indexed; internal error naming the first mismatch.
  Status verify(const Txn& txn) const;

 private:
  struct Index {
    IndexSpec spec;
    Dbi dbi = 0;
  };
  EntityTable(std::string table, Dbi rows, std::vector<Index> indexes)
      : table_(std::move(table)), rows_(rows), indexes_(std::move(indexes)) {}

  const Index* find_index(std::string_view name) const;
  Status add_entries(WriteTxn& txn, const Index& index, std::string_view key,
                     const std::vector<std::string>& keys) const;
  Status remove_entries(WriteTxn& txn, const Index& index, std::string_view key,
                        const std::vector<std::string>& keys) const;
  Status write_row(WriteTxn& txn, std::string_view key, std::string_view value,
                   std::optional<std::string_view> old) const;

  std::string table_;
  Dbi rows_ = 0;
  std::vector<Index> indexes_;
};

// Typed rows over an EntityTable. `Codec` provides:
//   static std::string encode(const T&);            // version byte first
//   static Result<T> decode(std::string_view);      // data_loss on unknown version
//   static std::string key(const T&);               // the primary key
template <class T, class Codec>
class TypedTable {
 public:
  struct TypedIndex {
    std::string name;
    bool unique = false;
    std::function<std::vector<std::string>(const T&)> keys;
  };

  static Result<TypedTable> open(LmdbEnv& env, std::string table, std::vector<TypedIndex> indexes) {
    std::vector<IndexSpec> specs;
    for (auto& ix : indexes) {
      specs.push_back(IndexSpec{
          ix.name, ix.unique,
          [keys = std::move(ix.keys)](std::string_view value) -> Result<std::vector<std::string>> {
            CONFLUX_ASSIGN_OR_RETURN(T row, Codec::decode(value));
            return keys(row);
          }});
    }
    CONFLUX_ASSIGN_OR_RETURN(auto t, EntityTable::open(env, std::move(table), std::move(specs)));
    return TypedTable(std::move(t));
  }

  Status insert(WriteTxn& txn, const T& row) const {
    return table_.insert(txn, Codec::key(row), Codec::encode(row));
  }
  Status update(WriteTxn& txn, const T& row) const {
    return table_.update(txn, Codec::key(row), Codec::encode(row));
  }
  Status upsert(WriteTxn& txn, const T& row) const {
    return table_.upsert(txn, Codec::key(row), Codec::encode(row));
  }
  Status erase(WriteTxn& txn, std::string_view key) const { return table_.erase(txn, key); }
  Result<std::optional<T>> get(const Txn& txn, std::string_view key) const {
    CONFLUX_ASSIGN_OR_RETURN(auto value, table_.get(txn, key));
    if (!value) return std::optional<T>();
    CONFLUX_ASSIGN_OR_RETURN(T row, Codec::decode(*value));
    return std::optional<T>(std::move(row));
  }
  const EntityTable& raw() const noexcept { return table_; }

 private:
  explicit TypedTable(EntityTable table) : table_(std::move(table)) {}
  EntityTable table_;
};

}  // namespace conflux::core::store
