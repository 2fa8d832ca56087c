// core/store/lmdb_cursor.cpp — Cursor: positioning calls over mdb_cursor_get
// returning the entry or nullopt, and cursor writes that record a full map
// in the owning WriteTxn. Thread-safety: see lmdb_env.h.
#include <utility>

#include "core/store/lmdb_env.h"

namespace conflux::core::store {
namespace {

MDB_val val(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }
std::string_view view(const MDB_val& v) { return {static_cast<const char*>(v.mv_data), v.mv_size}; }

}  // namespace

Cursor::Cursor(Cursor&& other) noexcept
    : cursor_(std::exchange(other.cursor_, nullptr)), faults_(other.faults_) {}

Cursor& Cursor::operator=(Cursor&& other) noexcept {
  if (this != &other) {
    if (cursor_ != nullptr) mdb_cursor_close(cursor_);
    cursor_ = std::exchange(other.cursor_, nullptr);
    faults_ = other.faults_;
  }
  return *this;
}

Cursor::~Cursor() {
  if (cursor_ != nullptr) mdb_cursor_close(cursor_);
}

Cursor::Found Cursor::move(MDB_cursor_op op, std::string_view key, std::string_view value) {
  MDB_val k = val(key);
  MDB_val v = val(value);
  int rc = mdb_cursor_get(cursor_, &k, &v, op);
  if (rc == MDB_NOTFOUND) return std::optional<Entry>();
  if (rc != MDB_SUCCESS) return std::unexpected(lmdb_status(rc, "cursor").error());
  return std::optional<Entry>(Entry{view(k), view(v)});
}

Cursor::Found Cursor::first() { return move(MDB_FIRST); }
Cursor::Found Cursor::last() { return move(MDB_LAST); }
Cursor::Found Cursor::next() { return move(MDB_NEXT); }
Cursor::Found Cursor::prev() { return move(MDB_PREV); }
Cursor::Found Cursor::current() { return move(MDB_GET_CURRENT); }
Cursor::Found Cursor::seek(std::string_view key) { return move(MDB_SET_RANGE, key); }
Cursor::Found Cursor::find(std::string_view key) { return move(MDB_SET_KEY, key); }
Cursor::Found Cursor::seek_dup(std::string_view key, std::string_view value) {
  return move(MDB_GET_BOTH_RANGE, key, value);
}
Cursor::Found Cursor::next_dup() { return move(MDB_NEXT_DUP); }
Cursor::Found Cursor::next_key() { return move(MDB_NEXT_NODUP); }
Cursor::Found Cursor::prev_key() { return move(MDB_PREV_NODUP); }

Result<std::size_t> Cursor::dup_count() {
  std::size_t n = 0;
  int rc = mdb_cursor_count(cursor_, &n);
  if (rc != MDB_SUCCESS) return std::unexpected(lmdb_status(rc, "cursor count").error());
  return n;
}

Status Cursor::put(std::string_view key, std::string_view value, unsigned flags) {
  MDB_val k = val(key);
  MDB_val v = val(value);
  int rc = mdb_cursor_put(cursor_, &k, &v, flags);
  if (faults_ != nullptr) {
    if (rc == MDB_MAP_FULL) *faults_ |= WriteTxn::kMapFull;
    if (rc == MDB_TXN_FULL) *faults_ |= WriteTxn::kTxnFull;
  }
  return lmdb_status(rc, "cursor put");
}

Status Cursor::del(unsigned flags) {
  int rc = mdb_cursor_del(cursor_, flags);
  if (faults_ != nullptr) {
    if (rc == MDB_MAP_FULL) *faults_ |= WriteTxn::kMapFull;
    if (rc == MDB_TXN_FULL) *faults_ |= WriteTxn::kTxnFull;
  }
  return lmdb_status(rc, "cursor delete");
}

}  // namespace conflux::core::store
