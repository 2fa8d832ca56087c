// conflux/scripts.h — Lua scripts: run a script's payload codec, and manage
// scripts and their bindings (the operations behind the Mainflux-style
// scripts API the REST plugin serves). See docs/lua.md.
//
// A script belongs to a group and has a name unique in that group. It may
// define `transform(msg)` (applied by the core pipeline to the messages of
// the profiles and things it is assigned to: a profile's scripts first, then
// the thing's own), and/or the codec functions `decode(bytes, meta)` and
// `encode(records, meta)` that protocol plugins (LoRa, Modbus) call here.
//
// Every call runs the script in a sandbox under its limits (deadline per
// call, memory cap per interpreter); a failing call answers its error and is
// recorded in the script's run log. Creating or updating a script compiles
// and test-runs it first: a script that does not compile is refused with
// invalid_argument carrying the compiler's message and line, and nothing is
// stored. Updates take effect atomically (each message sees one version).
//
// Authorization is the caller's job: the service does not check that a
// thing or profile belongs to the script's group.
//
// Found with `host.find<conflux::Scripts>()`.
//
// Thread-safety: every method may be called from any thread, except from a
// pipeline callback or an LMDB completion (the management methods wait for a
// durable commit).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/message.h"
#include "conflux/status.h"

namespace conflux {

// What happens to a message when its transform fails.
enum class ScriptPolicy : std::uint8_t {
  pass = 0,  // the message goes on unchanged (default)
  drop = 1,  // the message is dropped
};

constexpr std::string_view to_string(ScriptPolicy p) noexcept {
  return p == ScriptPolicy::drop ? "drop" : "pass";
}
constexpr std::optional<ScriptPolicy> parse_script_policy(std::string_view s) noexcept {
  if (s == "pass") return ScriptPolicy::pass;
  if (s == "drop") return ScriptPolicy::drop;
  return std::nullopt;
}

// What a script is attached to.
enum class ScriptTarget : std::uint8_t { thing = 0, profile = 1 };

// Limits bounds (inclusive) and defaults.
inline constexpr std::uint32_t kScriptDefaultTimeoutMs = 10;
inline constexpr std::uint32_t kScriptMaxTimeoutMs = 10'000;
inline constexpr std::uint64_t kScriptDefaultMemoryBytes = std::uint64_t{8} << 20;
inline constexpr std::uint64_t kScriptMinMemoryBytes = std::uint64_t{256} << 10;
inline constexpr std::uint64_t kScriptMaxMemoryBytes = std::uint64_t{256} << 20;

// A stored script.
struct ScriptInfo {
  std::string id;
  std::string group_id;
  std::string name;
  std::string description;
  std::string source;  // Lua text
  std::uint32_t timeout_ms = kScriptDefaultTimeoutMs;
  std::uint64_t memory_bytes = kScriptDefaultMemoryBytes;
  ScriptPolicy policy = ScriptPolicy::pass;
  std::int64_t created = 0;    // ns since epoch
  std::int64_t updated = 0;    // ns since epoch
  std::uint64_t revision = 1;  // 1 at creation, +1 per update
  friend bool operator==(const ScriptInfo&, const ScriptInfo&) = default;
};

// Create / update input. On update, unset optionals keep their values.
struct ScriptDraft {
  std::string name;
  std::string description;
  std::string source;
  std::optional<std::uint32_t> timeout_ms;
  std::optional<std::uint64_t> memory_bytes;
  std::optional<ScriptPolicy> policy;
};

struct ScriptPage {
  std::vector<ScriptInfo> scripts;  // by name
  std::size_t total = 0;
};

// One call of a script (kept in memory: the last runs per script and per
// thing; a restart forgets them).
struct ScriptRun {
  std::string script_id;
  std::string script_name;
  std::string thing_id;           // the message's publisher; "" for codec calls
  std::string function;           // "transform", "decode", "encode"
  std::string status;             // "ok", "error", "timeout", "memory"
  std::string error;              // "<script>:<line>: <message>" when not ok
  std::int64_t started = 0;       // ns since epoch
  std::int64_t duration_ns = 0;   // wall time of the call
  std::vector<std::string> logs;  // conflux.log/print lines of that call
};

// A decoded payload: SenML records, or one JSON document (compact text).
struct DecodedPayload {
  MessageFormat format = MessageFormat::senml;
  std::vector<SenmlRecord> records;
  std::string json;
};

struct EncodedPayload {
  std::string bytes;
  std::string meta_json = "{}";  // the second value `encode` returned (an object), or {}
};

class Scripts {
 public:
  static constexpr std::string_view kInterfaceName = "conflux.scripts.v1";
  virtual ~Scripts() = default;

  // Codecs. `meta_json` is a JSON object handed to the script as `meta`
  // ("" = {}). not_found for an unknown script, failed_precondition when it
  // does not define the function, invalid_argument for a failing call (its
  // message is the script's error with line) or an unusable result.
  virtual Result<DecodedPayload> decode(std::string_view script_id, std::string_view bytes,
                                        std::string_view meta_json) noexcept = 0;
  virtual Result<EncodedPayload> encode(std::string_view script_id,
                                        const std::vector<SenmlRecord>& records,
                                        std::string_view meta_json) noexcept = 0;

  // Management. invalid_argument for a bad draft (empty name, limits out of
  // bounds, unknown policy) or a script that does not compile;
  // already_exists when the group already has a script of that name;
  // not_found for unknown ids.
  virtual Result<ScriptInfo> create(std::string_view group_id,
                                    const ScriptDraft& draft) noexcept = 0;
  virtual Result<ScriptPage> list(std::string_view group_id, std::size_t offset,
                                  std::size_t limit) noexcept = 0;
  virtual Result<ScriptInfo> get(std::string_view script_id) noexcept = 0;
  virtual Result<ScriptInfo> find(std::string_view group_id, std::string_view name) noexcept = 0;
  virtual Result<ScriptInfo> update(std::string_view script_id,
                                    const ScriptDraft& draft) noexcept = 0;
  // Removes the script and every binding of it.
  virtual Status remove(std::string_view script_id) noexcept = 0;

  // Attaches scripts to a thing or profile (already attached ones are kept;
  // scripts run in attachment order), or detaches them (unattached ones are
  // ignored). not_found when a script id is unknown; nothing changes then.
  virtual Status assign(ScriptTarget target, std::string_view target_id,
                        const std::vector<std::string>& script_ids) noexcept = 0;
  virtual Status unassign(ScriptTarget target, std::string_view target_id,
                          const std::vector<std::string>& script_ids) noexcept = 0;
  // The things (or profiles) a script is attached to.
  virtual Result<std::vector<std::string>> targets(std::string_view script_id,
                                                   ScriptTarget target) noexcept = 0;
  // The scripts attached to a thing (or profile), in run order.
  virtual Result<std::vector<ScriptInfo>> attached(ScriptTarget target,
                                                   std::string_view target_id) noexcept = 0;

  // The last runs (newest first, at most `limit`) on a thing's messages, or
  // of one script.
  virtual Result<std::vector<ScriptRun>> thing_runs(std::string_view thing_id,
                                                    std::size_t limit) noexcept = 0;
  virtual Result<std::vector<ScriptRun>> script_runs(std::string_view script_id,
                                                     std::size_t limit) noexcept = 0;
};

}  // namespace conflux
