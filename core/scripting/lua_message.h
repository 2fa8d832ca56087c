// core/scripting — messages, SenML records and codec results ↔ Lua tables
// (internal; the field mapping is documented in docs/lua.md).
//
// msg = {id, publisher, group, profile, protocol, subtopic, content_type,
//        created (integer ns), records = {{n, u, t, v|vs|vb|vd, s, ut}, ...}
//        (SenML), or payload = <decoded JSON> (JSON)}
// Record times `t` are seconds since the epoch (float); a returned t below
// 2^28 is relative to the message's `created` (SenML's rule); a t within
// 1 µs of the input record at the same position keeps that record's exact
// nanoseconds.
//
// The push functions RAISE (run them in protected mode); the read functions
// are NO-RAISE (see lua_internal.h).
// Thread-safety: see lua_internal.h.
#pragma once

#include <cstdint>
#include <lua.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/message.h"
#include "conflux/scripts.h"

namespace conflux::core::scripting::detail {

void push_message(lua_State* L, const Message& m);
void push_records(lua_State* L, const std::vector<SenmlRecord>& records);
// "" pushes an empty table; otherwise the JSON text must be an object.
void push_meta(lua_State* L, std::string_view json);

// The value(s) `transform` returned at idx: nil (drop: `out` stays empty),
// a message table, or an array of message tables (split).
bool read_transform_result(lua_State* L, int idx, const Message& in, std::vector<Message>& out,
                           std::string& error);
// Records from the array at idx. `base_ns`: time of records without t and
// the origin of relative times; `orig`: the input records (or null).
bool read_records(lua_State* L, int idx, std::int64_t base_ns, const std::vector<SenmlRecord>* orig,
                  std::vector<SenmlRecord>& out, std::string& error);
// `decode`'s value at idx: a non-empty array whose first element has a
// string `n` is SenML records; any other table is one JSON document.
bool read_decoded(lua_State* L, int idx, std::int64_t now_ns, DecodedPayload& out,
                  std::string& error);

}  // namespace conflux::core::scripting::detail
