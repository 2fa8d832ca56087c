// core/store/lmdb_txn.cpp — Txn, ReadTxn and WriteTxn: thin wrappers over
// mdb_get/mdb_put/mdb_del that return Status and remember (in a WriteTxn)
// whether LMDB reported a full map or transaction, so the writer can grow
// and replay. Thread-safety: see lmdb_env.h.
#include <utility>

#include "core/store/lmdb_env.h"
#include "core/store/reader_gate.h"

namespace conflux::core::store {
namespace {

MDB_val val(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }
std::string_view view(const MDB_val& v) { return {static_cast<const char*>(v.mv_data), v.mv_size}; }

}  // namespace

Status Txn::check(int rc, std::string_view what) const {
  if (rc == MDB_SUCCESS) return ok();
  if (writable_) {
    if (rc == MDB_MAP_FULL) faults_ |= WriteTxn::kMapFull;
    if (rc == MDB_TXN_FULL) faults_ |= WriteTxn::kTxnFull;
  }
  return lmdb_status(rc, what);
}

Result<std::optional<std::string_view>> Txn::get(Dbi dbi, std::string_view key) const {
  MDB_val k = val(key);
  MDB_val v{};
  int rc = mdb_get(txn_, dbi, &k, &v);
  if (rc == MDB_NOTFOUND) return std::optional<std::string_view>();
  if (rc != MDB_SUCCESS) return std::unexpected(check(rc, "get").error());
  return std::optional<std::string_view>(view(v));
}

Result<Cursor> Txn::cursor(Dbi dbi) const {
  MDB_cursor* c = nullptr;
  int rc = mdb_cursor_open(txn_, dbi, &c);
  if (rc != MDB_SUCCESS) return std::unexpected(check(rc, "open cursor").error());
  return Cursor(c, writable_ ? &faults_ : nullptr);
}

Result<std::size_t> Txn::count(Dbi dbi) const {
  MDB_stat st{};
  int rc = mdb_stat(txn_, dbi, &st);
  if (rc != MDB_SUCCESS) return std::unexpected(check(rc, "stat").error());
  return st.ms_entries;
}

ReadTxn::ReadTxn(ReadTxn&& other) noexcept
    : Txn(std::exchange(other.txn_, nullptr)), gate_(std::exchange(other.gate_, nullptr)) {}

ReadTxn& ReadTxn::operator=(ReadTxn&& other) noexcept {
  if (this != &other) {
    close();
    txn_ = std::exchange(other.txn_, nullptr);
    gate_ = std::exchange(other.gate_, nullptr);
  }
  return *this;
}

ReadTxn::~ReadTxn() { close(); }

void ReadTxn::close() noexcept {
  if (txn_ != nullptr) mdb_txn_abort(std::exchange(txn_, nullptr));
  if (gate_ != nullptr) std::exchange(gate_, nullptr)->leave();
}

Status WriteTxn::put(Dbi dbi, std::string_view key, std::string_view value, unsigned flags) {
  MDB_val k = val(key);
  MDB_val v = val(value);
  return check(mdb_put(txn_, dbi, &k, &v, flags), "put");
}

Result<std::span<char>> WriteTxn::reserve(Dbi dbi, std::string_view key, std::size_t size,
                                          unsigned flags) {
  MDB_val k = val(key);
  MDB_val v{size, nullptr};
  if (auto s = check(mdb_put(txn_, dbi, &k, &v, flags | MDB_RESERVE), "reserve"); !s) {
    return std::unexpected(std::move(s).error());
  }
  return std::span<char>(static_cast<char*>(v.mv_data), size);
}

Result<bool> WriteTxn::del(Dbi dbi, std::string_view key) {
  MDB_val k = val(key);
  int rc = mdb_del(txn_, dbi, &k, nullptr);
  if (rc == MDB_NOTFOUND) return false;
  if (auto s = check(rc, "delete"); !s) return std::unexpected(std::move(s).error());
  return true;
}

Result<bool> WriteTxn::del(Dbi dbi, std::string_view key, std::string_view value) {
  MDB_val k = val(key);
  MDB_val v = val(value);
  int rc = mdb_del(txn_, dbi, &k, &v);
  if (rc == MDB_NOTFOUND) return false;
  if (auto s = check(rc, "delete"); !s) return std::unexpected(std::move(s).error());
  return true;
}

Status WriteTxn::clear(Dbi dbi) { return check(mdb_drop(txn_, dbi, 0), "clear"); }

}  // namespace conflux::core::store
