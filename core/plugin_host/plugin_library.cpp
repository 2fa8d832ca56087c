// core/plugin_host — open_plugin_library: dlopen, ABI check, factory,
// describe().
//
// Thread-safety: see plugin_library.h.
#include "core/plugin_host/plugin_library.h"

#include <dlfcn.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstring>
#include <exception>
#include <utility>
#include <vector>

#include "core/plugin_host/exception_text.h"

namespace conflux::core {
namespace {

constexpr std::string_view kAbiSymbol = "conflux_plugin_abi";
constexpr std::string_view kCreateSymbol = "conflux_plugin_create";
constexpr std::string_view kFilePrefix = "conflux-plugin-";

using AbiFunction = const PluginAbi*();

std::unexpected<Error> refuse(ErrorCode code, const std::filesystem::path& file,
                              std::string_view reason) {
  return fail(code, fmt::format("{}: {}", file.string(), reason));
}

bool valid_plugin_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<boost::dll::shared_library> open_library(const std::filesystem::path& file) {
  auto mode = boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local |
              static_cast<boost::dll::load_mode::type>(RTLD_NODELETE);
  boost::dll::fs::error_code ec;
  boost::dll::shared_library library(file, mode, ec);
  if (!ec && library.is_loaded()) return library;
  const char* why = ::dlerror();
  return refuse(ErrorCode::not_found, file,
                fmt::format("cannot open: {}", why ? why : ec.message()));
}

// Reads and checks the ABI record; the library is trusted only after this.
Status check_abi(const boost::dll::shared_library& library, const std::filesystem::path& file) {
  std::vector<std::string_view> missing;
  for (auto symbol : {kAbiSymbol, kCreateSymbol}) {
    if (!library.has(std::string(symbol))) missing.push_back(symbol);
  }
  if (!missing.empty()) {
    return refuse(ErrorCode::invalid_argument, file,
                  fmt::format("missing {}: not a Conflux plugin", fmt::join(missing, " and ")));
  }
  const PluginAbi* abi = library.get_alias<AbiFunction>(std::string(kAbiSymbol))();
  if (!abi) return refuse(ErrorCode::invalid_argument, file, "conflux_plugin_abi returned null");
  if (auto why = abi_mismatch(*abi); !why.empty()) {
    return refuse(ErrorCode::failed_precondition, file, why);
  }
  return ok();
}

}  // namespace

std::string plugin_name_from_file(const std::filesystem::path& file) {
  std::string stem = file.stem().string();
  if (stem.starts_with(kFilePrefix) && stem.size() > kFilePrefix.size()) {
    stem.erase(0, kFilePrefix.size());
  }
  return stem;
}

std::string abi_mismatch(const PluginAbi& plugin) {
  constexpr std::uint32_t host_major = CONFLUX_SDK_ABI_MAJOR;
  constexpr std::uint32_t host_minor = CONFLUX_SDK_ABI_MINOR;
  constexpr std::string_view host_key = CONFLUX_BUILD_KEY;
  if (plugin.major != host_major || plugin.minor > host_minor) {
    return fmt::format(
        "plugin ABI {}.{}, host {}.{} ({})", plugin.major, plugin.minor, host_major, host_minor,
        plugin.major != host_major ? "ABI major differs" : "plugin needs a newer host");
  }
  std::string_view key = plugin.build_key ? std::string_view(plugin.build_key) : "(none)";
  if (key != host_key) {
    return fmt::format("plugin build key {}, host {} (rebuild the plugin with this host's SDK)",
                       key, host_key);
  }
  return {};
}

Result<PluginLibrary> open_plugin_library(const std::filesystem::path& file) {
  PluginLibrary out;
  CONFLUX_ASSIGN_OR_RETURN(out.library, open_library(file));
  CONFLUX_RETURN_IF_ERROR(check_abi(out.library, file));

  auto& create = out.library.get_alias<PluginFactory>(std::string(kCreateSymbol));
  try {
    out.plugin = create();
  } catch (...) {
    return refuse(ErrorCode::internal, file, "plugin factory threw: " + current_exception_text());
  }
  if (!out.plugin) return refuse(ErrorCode::internal, file, "plugin factory returned null");

  try {
    out.descriptor = out.plugin->describe();
  } catch (...) {
    return refuse(ErrorCode::internal, file, "describe() threw: " + current_exception_text());
  }
  if (!valid_plugin_name(out.descriptor.name)) {
    return refuse(ErrorCode::invalid_argument, file,
                  fmt::format("invalid plugin name \"{}\" (want lower-case letters, digits, "
                              "'_' or '-')",
                              out.descriptor.name));
  }
  return out;
}

}  // namespace conflux::core
