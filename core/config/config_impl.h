// core/config (internal) — the state behind a Config: the parsed TOML document,
// where it came from and the environment used for overrides. Only the
// core/config sources include this header; it keeps toml++ out of config.h.
//
// Thread-safety: immutable after Config is built; const access is thread-safe.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <string_view>

#include "core/config/config.h"

namespace conflux::core {

struct Config::Impl {
  toml::table root;
  std::string source;
  Environment env;

  // The node at dotted `path` ("" is the root), or nullptr when a part is absent.
  // Fails when a part of the path exists but is not a table.
  Result<const toml::table*> table_at(std::string_view path) const;
};

}  // namespace conflux::core
