// core/registry — input rules, ids and filters (see validation.h).
#include "core/registry/validation.h"

#include <array>
#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>

#include "core/messages/format.h"

namespace conflux::core::registry {
namespace {

using nlohmann::json;

std::unexpected<Error> bad(std::string message) {
  return fail(ErrorCode::invalid_argument, std::move(message));
}

bool contains(const json& doc, const json& pattern) {
  if (pattern.is_object()) {
    if (!doc.is_object()) return false;
    for (auto it = pattern.begin(); it != pattern.end(); ++it) {
      auto found = doc.find(it.key());
      if (found == doc.end() || !contains(*found, it.value())) return false;
    }
    return true;
  }
  if (pattern.is_array()) {
    if (!doc.is_array()) return false;
    for (const auto& want : pattern) {
      bool any = false;
      for (const auto& have : doc)
        if (contains(have, want)) {
          any = true;
          break;
        }
      if (!any) return false;
    }
    return true;
  }
  return doc == pattern;
}

}  // namespace

namespace {
std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

Result<std::string> client_id(std::string_view field, std::string_view id) {
  if (!is_uuid(id)) return bad("invalid " + std::string(field) + ": not a UUID");
  std::string out = lower(id);
  const char variant = out[19];
  if (out[14] != '4' || (variant != '8' && variant != '9' && variant != 'a' && variant != 'b'))
    return bad("invalid " + std::string(field) + ": not a version 4 UUID");
  return out;
}

Result<std::string> lookup_id(std::string_view what, std::string_view id) {
  if (!is_uuid(id)) return fail(ErrorCode::not_found, std::string(what) + " not found");
  return lower(id);
}

Status check_name(std::string_view field, std::string_view name, bool required) {
  if (required && name.empty()) return bad("missing field '" + std::string(field) + "'");
  if (name.size() > kMaxNameSize)
    return bad("field '" + std::string(field) + "' is longer than " + std::to_string(kMaxNameSize) +
               " characters");
  return ok();
}

Status check_metadata(std::string_view field, std::string_view metadata) {
  auto doc = json::parse(metadata, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return bad("field '" + std::string(field) + "' must be a JSON object");
  return ok();
}

Status check_thing_type(std::string_view type) {
  static constexpr std::array<std::string_view, 5> kTypes = {"device", "sensor", "actuator",
                                                             "controller", "gateway"};
  for (auto t : kTypes)
    if (t == type) return ok();
  if (type.empty()) return bad("missing field 'type'");
  return bad("invalid thing type '" + std::string(type.substr(0, 64)) +
             "': must be one of device, sensor, actuator, controller, gateway");
}

Status check_key(std::string_view key) {
  if (key.empty()) return bad("missing field 'key'");
  if (key.size() > kMaxKeySize)
    return bad("field 'key' is longer than " + std::to_string(kMaxKeySize) + " characters");
  return ok();
}

Status check_external_key(std::string_view key) {
  if (key.size() < kMinExternalKeySize)
    return bad("external key must be at least " + std::to_string(kMinExternalKeySize) +
               " characters");
  if (key.size() > kMaxKeySize)
    return bad("external key is longer than " + std::to_string(kMaxKeySize) + " characters");
  return ok();
}

Result<ParsedConfig> parse_config(std::string_view config_json) {
  auto doc = json::parse(config_json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return bad("field 'config' must be a JSON object");
  ParsedConfig out;
  CONFLUX_ASSIGN_OR_RETURN(out.message, core::parse_profile_config(config_json));
  if (auto it = doc.find("script_id"); it != doc.end() && !it->is_null()) {
    if (!it->is_string() || !is_uuid(it->get_ref<const std::string&>()))
      return bad("profile config: script_id must be a UUID");
    out.script_id = lower(it->get_ref<const std::string&>());
  }
  return out;
}

bool name_matches(std::string_view name, std::string_view filter) noexcept {
  if (filter.empty()) return true;
  if (filter.size() > name.size()) return false;
  auto eq = [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  };
  for (std::size_t i = 0; i + filter.size() <= name.size(); ++i) {
    std::size_t j = 0;
    while (j < filter.size() && eq(name[i + j], filter[j])) ++j;
    if (j == filter.size()) return true;
  }
  return false;
}

bool metadata_matches(std::string_view metadata, std::string_view pattern) noexcept {
  if (pattern.empty()) return true;
  try {
    auto want = json::parse(pattern, nullptr, false);
    if (want.is_discarded()) return false;
    if (want.is_object() && want.empty()) return true;
    auto have = json::parse(metadata, nullptr, false);
    if (have.is_discarded()) return false;
    return contains(have, want);
  } catch (...) {
    return false;
  }
}

std::int64_t now_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace conflux::core::registry
