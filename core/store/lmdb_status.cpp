// core/store/lmdb_status.cpp — maps LMDB return codes to Status (the mapping
// is listed in lmdb_env.h). Thread-safety: pure function.
#include <fmt/format.h>

#include "core/store/lmdb_env.h"

namespace conflux::core::store {

Status lmdb_status(int rc, std::string_view what) {
  switch (rc) {
    case MDB_SUCCESS:
      return ok();
    case MDB_KEYEXIST:
      return fail(ErrorCode::already_exists, fmt::format("{}: key exists", what));
    case MDB_NOTFOUND:
      return fail(ErrorCode::not_found, fmt::format("{}: not found", what));
    case MDB_MAP_FULL:
      return fail(ErrorCode::resource_exhausted, fmt::format("{}: storage full", what));
    case MDB_TXN_FULL:
      return fail(ErrorCode::resource_exhausted, fmt::format("{}: transaction too large", what));
    case MDB_READERS_FULL:
      return fail(ErrorCode::resource_exhausted,
                  fmt::format("{}: too many open read transactions", what));
    case ENOSPC:
      return fail(ErrorCode::resource_exhausted, fmt::format("{}: disk full", what));
    default:
      return fail(ErrorCode::internal, fmt::format("{}: {}", what, mdb_strerror(rc)));
  }
}

}  // namespace conflux::core::store
