// core/scripting — ScriptStore: scripts and their bindings in LMDB (DESIGN
// §6: entity tables with indexes in the same transaction).
//
//   scripts              id → v1 row (group, name, description, source,
//                        timeout ns, memory bytes, policy, created, updated,
//                        revision); indexes "group" (non-unique) and
//                        "group_name" (unique: group id, 0x00, name)
//   script_bindings      kind ('t' thing | 'p' profile) target id 0x00
//                        script id → v2 (kind, target, script, assigned ns,
//                        origin bits); index "script" (non-unique: the
//                        script id). v1 rows (no origin) are still read:
//                        a thing's as made by `assign`, a profile's as
//                        unclassified (RegistryWatch classifies them).
//
// A binding's origin says why it exists: made through Scripts::assign, or
// because its profile's config.script_id names the script (both may hold);
// it lives while one does. Layout: docs/storage-format.md.
//
// Thread-safety: the tables are immutable after `open`; write calls run on
// the env's writer thread inside a job, reads with any ReadTxn.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conflux/scripts.h"
#include "conflux/status.h"
#include "core/store/entity_table.h"
#include "core/store/lmdb_env.h"

namespace conflux::core::scripting {

// Binding::origin bits.
inline constexpr std::uint8_t kBoundByAssign = 1;  // Scripts::assign
inline constexpr std::uint8_t kBoundByConfig = 2;  // the profile's config.script_id
// A profile binding stored before origins were recorded (v1): unknown.
inline constexpr std::uint8_t kBoundUnclassified = 0;

struct Binding {
  ScriptTarget target = ScriptTarget::thing;
  std::string target_id;
  std::string script_id;
  std::int64_t assigned = 0;  // ns; run order among a target's scripts
  std::uint8_t origin = kBoundByAssign;
};

struct ScriptRowCodec {
  static std::string encode(const ScriptInfo& s);
  static Result<ScriptInfo> decode(std::string_view value);
  static std::string key(const ScriptInfo& s) { return s.id; }
};

struct BindingCodec {
  static std::string encode(const Binding& b);
  static Result<Binding> decode(std::string_view value);
  static std::string key(const Binding& b);
};

// The key prefix of every binding of one target.
std::string binding_prefix(ScriptTarget target, std::string_view target_id);

class ScriptStore {
 public:
  using Scripts = store::TypedTable<ScriptInfo, ScriptRowCodec>;
  using Bindings = store::TypedTable<Binding, BindingCodec>;

  static Result<ScriptStore> open(store::LmdbEnv& env);

  const Scripts& scripts() const noexcept { return scripts_; }
  const Bindings& bindings() const noexcept { return bindings_; }

  // Reads.
  Result<std::vector<ScriptInfo>> all(const store::Txn& txn) const;
  Result<std::vector<Binding>> all_bindings(const store::Txn& txn) const;
  Result<std::vector<Binding>> bindings_of(const store::Txn& txn, ScriptTarget target,
                                           std::string_view target_id) const;
  Result<std::vector<Binding>> bindings_of_script(const store::Txn& txn,
                                                  std::string_view script_id) const;

 private:
  ScriptStore(Scripts scripts, Bindings bindings)
      : scripts_(std::move(scripts)), bindings_(std::move(bindings)) {}
  Scripts scripts_;
  Bindings bindings_;
};

}  // namespace conflux::core::scripting
