// core/scripting — internals shared by the interpreter files (not a public
// header): the per-state context (limits, the call's log lines), registry
// keys, and the helpers the sandbox, the conflux module and the message
// conversion use.
//
// Rules for code in this area (Lua reports errors with longjmp):
// - functions marked RAISES may raise a Lua error; they run only in protected
//   mode (inside lua_pcall) and must not hold C++ objects with destructors
//   across a Lua API call;
// - functions marked NO-RAISE use only Lua API calls that never raise
//   (raw gets, lua_next on unmodified tables, lua_checkstack, type tests,
//   lua_tolstring on real strings) and may use C++ freely.
//
// Thread-safety: a lua_State and its context belong to one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <lua.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/log.h"

namespace conflux::core::scripting::detail {

inline constexpr std::int64_t kNoDeadline = std::numeric_limits<std::int64_t>::max();
inline constexpr int kHookInstructions = 1000;  // instructions between deadline checks
inline constexpr std::size_t kMaxLogLines = 20;
inline constexpr std::size_t kMaxLogLineBytes = 512;

enum class Kill : std::uint8_t { none, timeout, memory };

// The message conversion's string cache (lua_message.cpp): the Lua strings
// of the last converted message's header fields and of its first records'
// names and units, so the next message from the same sender reuses them
// instead of hashing and interning the text again. Registry slot `ref`
// holds a table whose element i + 1 is the Lua string of `text[i]` (valid
// when `valid[i]`). Not reachable from scripts.
//
// The same table holds the field names of messages and records (elements
// kSlots + 1 + Field), interned once, so building a message table neither
// looks them up nor compares their text.
enum Field : int {
  kFieldId,
  kFieldPublisher,
  kFieldGroup,
  kFieldProfile,
  kFieldProtocol,
  kFieldSubtopic,
  kFieldContentType,
  kFieldCreated,
  kFieldRecords,
  kFieldPayload,
  kFieldN,
  kFieldU,
  kFieldT,
  kFieldV,
  kFieldVs,
  kFieldVb,
  kFieldVd,
  kFieldS,
  kFieldUt,
  kFieldCount
};
inline constexpr const char* kFieldNames[kFieldCount] = {
    "id",      "publisher", "group",   "profile", "protocol", "subtopic", "content_type",
    "created", "records",   "payload", "n",       "u",        "t",        "v",
    "vs",      "vb",        "vd",      "s",       "ut"};

struct StringCache {
  // Slots 0-5: publisher, group, profile, protocol, subtopic, content_type;
  // then name and unit of the first kRecordSlots records.
  static constexpr int kHeaderSlots = 6;
  static constexpr int kRecordSlots = 16;
  static constexpr int kSlots = kHeaderSlots + 2 * kRecordSlots;
  static constexpr int kSize = kSlots + kFieldCount;
  static constexpr std::size_t kMaxBytes = 128;  // longer strings are not cached
  int ref = LUA_NOREF;
  std::string text[kSlots];
  bool valid[kSlots] = {};
};

// The allocator's cache of freed small blocks (Lua's tables, strings and
// closures are mostly small and short-lived): per size class of 16 bytes up
// to 256 bytes, a free list of at most kKeep blocks; anything else goes to
// malloc. Blocks in the cache do not count as used (they are the
// allocator's, not the script's); it holds at most ~280 KB.
struct BlockCache {
  static constexpr std::size_t kGrain = 16;
  static constexpr std::size_t kMaxBlock = 256;
  static constexpr std::size_t kClasses = kMaxBlock / kGrain;
  static constexpr std::uint16_t kKeep = 128;
  void* head[kClasses] = {};
  std::uint16_t count[kClasses] = {};

  BlockCache() = default;
  BlockCache(const BlockCache&) = delete;
  BlockCache& operator=(const BlockCache&) = delete;
  ~BlockCache();
};

struct StateCtx {
  // Memory (the allocator).
  std::size_t used = 0;
  std::size_t limit = 0;
  BlockCache blocks;
  // Deadline (the count hook); steady-clock ns.
  std::int64_t deadline_ns = kNoDeadline;
  std::int64_t timeout_ns = 0;
  Kill killed = Kill::none;
  char kill_message[256] = {};
  // Per call.
  std::vector<std::string>* logs = nullptr;
  int env_writes = 0;  // keys the call may have added to its environment (lua_state.cpp)
  // Fixed.
  StringCache strings;
  Logger* log = nullptr;
  std::string name;
  std::string scratch;  // json.encode output
};

inline StateCtx& ctx(lua_State* L) { return **static_cast<StateCtx**>(lua_getextraspace(L)); }

// Registry keys (lightuserdata addresses).
inline char kArrayMtKey;    // metatable marking JSON arrays
inline char kSandboxKey;    // the sandbox globals table G
inline char kProxyRealKey;  // in a read-only proxy's metatable: the real table
inline char kNullTag;       // &kNullTag is conflux.json.null

std::int64_t steady_ns() noexcept;

// The allocator enforcing StateCtx::limit (ud is the StateCtx), small
// blocks through StateCtx::blocks.
void* limited_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize) noexcept;
// The count hook: raises once the deadline passed, and at every later check
// of that call.
void deadline_hook(lua_State* L, lua_Debug* ar);

// RAISES. Opens the safe libraries and builds the sandbox globals (stored at
// registry[kSandboxKey]). Called through lua_pcall with no arguments.
int open_sandbox(lua_State* L);
// RAISES. Pushes a read-only proxy of the table at `idx`.
void push_proxy(lua_State* L, int idx);
// RAISES. Replaces every table value of the table at `idx` (except key
// `keep`) by a read-only proxy, recursively.
void freeze_globals(lua_State* L, int idx, const char* keep);
// RAISES. Pushes the conflux module table (its sub-tables already proxied).
void push_conflux_module(lua_State* L);
// RAISES. Marks the table at the top as a JSON array.
void mark_array(lua_State* L);

// RAISES. Parses JSON text and pushes the value (objects → tables, arrays →
// tables marked as arrays, null → conflux.json.null).
void push_json(lua_State* L, std::string_view text);
// NO-RAISE. Encodes the value at `idx` as compact JSON into `out`; false
// with `error` set for functions, userdata, NaN/Inf, non-string keys or
// nesting deeper than 100.
bool encode_json(lua_State* L, int idx, std::string& out, std::string& error);

// NO-RAISE. True when the value at idx is a table marked as a JSON array.
bool is_marked_array(lua_State* L, int idx);
// NO-RAISE. The real table behind a read-only proxy at `idx` pushed (true),
// or nothing pushed (false) when it is not a proxy.
bool push_proxy_real(lua_State* L, int idx);

// RAISES. The conflux.log body: level then values, joined by spaces.
void log_line(lua_State* L, LogLevel level, int first_arg);

}  // namespace conflux::core::scripting::detail
