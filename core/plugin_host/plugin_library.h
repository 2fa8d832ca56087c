// core/plugin_host — opening one plugin library: dlopen through Boost.DLL, the
// ABI record check (major, minor, build key), the factory call and describe().
// Every refusal is an Error whose message names the file and the reason.
//
// Libraries are opened with RTLD_NOW (an unresolved symbol refuses the plugin
// at load instead of crashing later) and RTLD_NODELETE: unloading drops the
// handle but keeps the code mapped, because route handlers and queued io work
// created by a plugin may be destroyed by their owners after the host is gone.
//
// Thread-safety: open_plugin_library may be called from any thread; a
// PluginLibrary has one owner.
#pragma once

#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "conflux/abi.h"
#include "conflux/plugin.h"
#include "conflux/status.h"

namespace conflux::core {

// A loaded plugin. Members are declared so that the plugin object is destroyed
// before the library that holds its code.
struct PluginLibrary {
  boost::dll::shared_library library;
  std::unique_ptr<Plugin> plugin;
  PluginDescriptor descriptor;
};

// The file's plugin name before describe() is known: the stem without the
// "conflux-plugin-" prefix ("conflux-plugin-mqtt.so" -> "mqtt").
std::string plugin_name_from_file(const std::filesystem::path& file);

// Why `plugin` cannot run in this host, or "" when it can: ABI major differs,
// minor newer than the host's, or build key differs.
std::string abi_mismatch(const PluginAbi& plugin);

// Opens `file` and creates its plugin. Fails with
//   not_found            the file cannot be opened (dlerror text),
//   invalid_argument     no conflux_plugin_abi / conflux_plugin_create symbol,
//                        or describe() gave an invalid name,
//   failed_precondition  ABI or build key mismatch,
//   internal             the factory threw or returned null, describe() threw.
Result<PluginLibrary> open_plugin_library(const std::filesystem::path& file);

}  // namespace conflux::core
