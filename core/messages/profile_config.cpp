// core/messages/profile_config.cpp — parse_profile_config(): a profile's
// `config` JSON object to a validated ProfileConfig.
//
// Thread-safety: thread-safe (pure function).
#include <array>
#include <string>
#include <string_view>

#include "core/messages/content_type.h"
#include "core/messages/error_text.h"
#include "core/messages/format.h"
#include "core/messages/json_path.h"
#include "core/messages/json_reader.h"
#include "core/messages/time_format.h"
#include "core/messages/time_zone.h"

namespace conflux::core {
namespace {

using messages_detail::ContentKind;
using nlohmann::json;

std::unexpected<Error> config_error(std::string_view field, std::string_view what) {
  return fail(ErrorCode::invalid_argument,
              "profile config: " + std::string(field) + " " + std::string(what));
}

// The member `name` of `object`, or nullptr when absent or null.
const json* member(const json& object, std::string_view name) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

Status read_string(const json& object, std::string_view name, std::string_view field,
                   std::string& out) {
  const json* value = member(object, name);
  if (value == nullptr) return ok();
  if (!value->is_string()) return config_error(field, "must be a string");
  out = value->get<std::string>();
  return ok();
}

Status read_bool(const json& object, std::string_view name, bool& out) {
  const json* value = member(object, name);
  if (value == nullptr) return ok();
  if (!value->is_boolean()) return config_error(name, "must be true or false");
  out = value->get<bool>();
  return ok();
}

Status read_content_type(const json& config, std::string& out) {
  static constexpr std::array<std::string_view, 3> kNames = {"content_type", "Content-Type",
                                                             "content-type"};
  std::string_view found_name;
  std::string found;
  for (std::string_view name : kNames) {
    std::string value;
    CONFLUX_RETURN_IF_ERROR(read_string(config, name, name, value));
    if (member(config, name) == nullptr) continue;
    if (!found_name.empty() && value != found)
      return config_error(name, "contradicts " + std::string(found_name));
    found_name = name;
    found = std::move(value);
  }
  switch (messages_detail::classify_content_type(found)) {
    case ContentKind::none:
      out.clear();
      return ok();
    case ContentKind::senml_json:
      out = std::string(kSenmlJson);
      return ok();
    case ContentKind::json:
      out = std::string(kJson);
      return ok();
    case ContentKind::unsupported:
      break;
  }
  return config_error(found_name, messages_detail::error_quote(found) + " is not supported (use " +
                                      std::string(kSenmlJson) + " or " + std::string(kJson) + ")");
}

Status read_path(const json& transformer, std::string_view name, std::string& out) {
  std::string field = "transformer." + std::string(name);
  CONFLUX_RETURN_IF_ERROR(read_string(transformer, name, field, out));
  if (out.empty()) return ok();
  if (auto valid = messages_detail::validate_path(out); !valid)
    return config_error(field, valid.error().message);
  return ok();
}

Status read_transformer(const json& config, TransformerConfig& out) {
  const json* transformer = member(config, "transformer");
  if (transformer == nullptr) return ok();
  if (!transformer->is_object()) return config_error("transformer", "must be a JSON object");
  CONFLUX_RETURN_IF_ERROR(read_path(*transformer, "data_field", out.data_field));
  CONFLUX_RETURN_IF_ERROR(read_path(*transformer, "time_field", out.time_field));
  CONFLUX_RETURN_IF_ERROR(
      read_string(*transformer, "time_format", "transformer.time_format", out.time_format));
  CONFLUX_RETURN_IF_ERROR(
      read_string(*transformer, "time_location", "transformer.time_location", out.time_location));

  if (const json* filters = member(*transformer, "data_filters")) {
    if (!filters->is_array())
      return config_error("transformer.data_filters", "must be an array of strings");
    for (std::size_t i = 0; i < filters->size(); ++i) {
      std::string field = "transformer.data_filters[" + std::to_string(i) + "]";
      const json& filter = (*filters)[i];
      if (!filter.is_string()) return config_error(field, "must be a string");
      if (auto valid = messages_detail::validate_path(filter.get_ref<const std::string&>()); !valid)
        return config_error(field, valid.error().message);
      out.data_filters.push_back(filter.get<std::string>());
    }
  }

  if (!out.time_format.empty()) {
    if (auto format = messages_detail::TimeFormat::compile(out.time_format); !format)
      return config_error("transformer.time_format", format.error().message);
  } else if (!out.time_field.empty()) {
    return config_error("transformer.time_format", "is required when time_field is set");
  }
  if (auto zone = messages_detail::TimeZone::find(out.time_location); !zone)
    return config_error("transformer.time_location", zone.error().message);
  return ok();
}

}  // namespace

Result<ProfileConfig> parse_profile_config(std::string_view config_json) {
  ProfileConfig config;
  if (config_json.find_first_not_of(" \t\r\n") == std::string_view::npos) return config;
  auto parsed = messages_detail::parse_json_document(config_json, "profile config");
  if (!parsed) return std::unexpected(std::move(parsed).error());
  const json& root = *parsed;
  if (!root.is_object())
    return fail(ErrorCode::invalid_argument, "profile config must be a JSON object");
  CONFLUX_RETURN_IF_ERROR(read_content_type(root, config.content_type));
  CONFLUX_RETURN_IF_ERROR(read_bool(root, "write", config.write_enabled));
  CONFLUX_RETURN_IF_ERROR(read_bool(root, "webhook", config.webhook_enabled));
  CONFLUX_RETURN_IF_ERROR(read_transformer(root, config.transformer));
  return config;
}

}  // namespace conflux::core
