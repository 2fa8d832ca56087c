// core/messages/json_messages.cpp — parse_json_messages(): a JSON payload
// read through a profile's transformer (Mainflux semantics, stricter errors).
//
// Thread-safety: thread-safe (all state is per call).
#include <optional>
#include <string>
#include <utility>

#include "core/messages/error_text.h"
#include "core/messages/format.h"
#include "core/messages/json_path.h"
#include "core/messages/json_reader.h"
#include "core/messages/time_format.h"
#include "core/messages/time_zone.h"

namespace conflux::core {
namespace {

using messages_detail::error_quote;
using messages_detail::TimeFormat;
using messages_detail::TimeZone;
using nlohmann::json;

// The transformer, compiled once per payload.
struct CompiledTransformer {
  const TransformerConfig& config;
  std::optional<TimeFormat> time_format;  // set when config.time_field is
  TimeZone zone;
};

Result<CompiledTransformer> compile(const TransformerConfig& config) {
  CompiledTransformer compiled{config, std::nullopt, TimeZone()};
  if (config.time_field.empty()) return compiled;
  auto misconfigured = [](const std::string& what) {
    return fail(ErrorCode::failed_precondition, "profile transformer: " + what);
  };
  if (config.time_format.empty())
    return misconfigured("time_field is set but time_format is empty");
  auto format = messages_detail::TimeFormat::compile(config.time_format);
  if (!format) return misconfigured(format.error().message);
  compiled.time_format = std::move(*format);
  auto zone = TimeZone::find(config.time_location);
  if (!zone) return misconfigured(zone.error().message);
  compiled.zone = *zone;
  return compiled;
}

Result<JsonDocument> transform(json& document, const CompiledTransformer& transformer,
                               const std::string& context, std::int64_t now_ns) {
  const TransformerConfig& config = transformer.config;
  auto fail_here = [&](const std::string& what) {
    return fail(ErrorCode::invalid_argument, context + ": " + what);
  };
  JsonDocument result;
  result.created = now_ns;
  if (transformer.time_format) {
    const json* time = messages_detail::find_path(document, config.time_field);
    if (time == nullptr)
      return fail_here("time field " + error_quote(config.time_field) + " is missing");
    auto created = transformer.time_format->read(*time, transformer.zone);
    if (!created)
      return fail_here("time field " + error_quote(config.time_field) + " " + created.error());
    result.created = *created;
  }

  json* data = &document;
  if (!config.data_field.empty()) {
    data = messages_detail::find_path(document, config.data_field);
    if (data == nullptr)
      return fail_here("data field " + error_quote(config.data_field) + " is missing");
    if (!data->is_object())
      return fail_here("data field " + error_quote(config.data_field) + " must be a JSON object");
  }
  if (!config.data_filters.empty()) {
    json filtered = json::object();
    for (const auto& filter : config.data_filters)
      messages_detail::copy_path(*data, filter, filtered);
    result.json = filtered.dump();
  } else {
    result.json = data->dump();
  }
  return result;
}

}  // namespace

Result<std::vector<JsonDocument>> parse_json_messages(std::string_view payload,
                                                      const TransformerConfig& transformer,
                                                      std::int64_t now_ns) {
  CONFLUX_ASSIGN_OR_RETURN(auto compiled, compile(transformer));
  CONFLUX_ASSIGN_OR_RETURN(json document, messages_detail::parse_json_document(payload, "payload"));
  std::vector<JsonDocument> documents;
  try {
    if (document.is_object()) {
      CONFLUX_ASSIGN_OR_RETURN(auto one, transform(document, compiled, "document", now_ns));
      documents.push_back(std::move(one));
    } else if (document.is_array()) {
      if (document.empty())
        return fail(ErrorCode::invalid_argument, "JSON payload is an empty array");
      documents.reserve(document.size());
      for (std::size_t i = 0; i < document.size(); ++i) {
        json& element = document[i];
        std::string context = "element " + std::to_string(i);
        if (!element.is_object())
          return fail(ErrorCode::invalid_argument, context + ": must be a JSON object");
        std::string source = element.dump();
        CONFLUX_ASSIGN_OR_RETURN(auto one, transform(element, compiled, context, now_ns));
        one.source = std::move(source);
        documents.push_back(std::move(one));
      }
    } else {
      return fail(ErrorCode::invalid_argument,
                  "JSON payload must be an object or an array of objects");
    }
  } catch (const json::exception& e) {
    return fail(ErrorCode::internal,
                "JSON transform failed: " + messages_detail::error_safe(e.what(), 200));
  }
  return documents;
}

}  // namespace conflux::core
