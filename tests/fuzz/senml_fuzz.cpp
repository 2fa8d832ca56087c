// tests/fuzz/senml_fuzz.cpp — libFuzzer-style target for the message
// parsers: parse_senml, parse_json_messages (through several transformers,
// and with the input as a time value) and parse_profile_config. Beyond "no
// crash" it checks the results' invariants and aborts when one is broken.
//
// Build with any libFuzzer-capable compiler by linking this file with
// -fsanitize=fuzzer (plus conflux_messages); in the normal build,
// replay_main.cpp drives it over tests/fuzz/corpus/senml plus deterministic
// mutations.
//
// Thread-safety: the target keeps no state between calls.
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/messages/format.h"

namespace {

using conflux::ErrorCode;
using conflux::TransformerConfig;

constexpr std::int64_t kNow = 1'700'000'000'000'000'000;

[[noreturn]] void broken(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "invariant broken: %s %.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

bool is_name_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ':' ||
         c == '.' || c == '/' || c == '_' || c == '-';
}

// An error must be invalid_argument (or failed_precondition for a config
// problem) with a short message any JSON encoder accepts.
void check_error(const conflux::Error& error, bool precondition_allowed) {
  bool code_ok = error.code == ErrorCode::invalid_argument ||
                 (precondition_allowed && error.code == ErrorCode::failed_precondition);
  if (!code_ok) broken("unexpected error code", error.message);
  if (error.message.empty() || error.message.size() > 1024)
    broken("bad message size", error.message);
  try {
    (void)nlohmann::json(error.message).dump();
  } catch (const std::exception&) {
    broken("error message is not valid UTF-8");
  }
}

void check_senml(std::string_view input) {
  auto records = conflux::core::parse_senml(input, kNow);
  if (!records) return check_error(records.error(), false);
  if (records->empty()) broken("success with no records");
  for (std::size_t i = 0; i < records->size(); ++i) {
    const auto& r = (*records)[i];
    if (r.name.empty() || !std::isalnum(static_cast<unsigned char>(r.name[0])))
      broken("bad name start", r.name);
    for (char c : r.name)
      if (!is_name_char(c)) broken("bad name char", r.name);
    int values = r.value.has_value() + r.string_value.has_value() + r.bool_value.has_value() +
                 r.data_value.has_value();
    if (values > 1 || (values == 0 && !r.sum.has_value())) broken("value count");
    if (i > 0 && (*records)[i - 1].time > r.time) broken("records not sorted by time");
    if (r.update_time < 0) broken("negative update time");
  }
}

void check_json(std::string_view input, const TransformerConfig& transformer) {
  auto documents = conflux::core::parse_json_messages(input, transformer, kNow);
  if (!documents) return check_error(documents.error(), true);
  if (documents->empty()) broken("success with no documents");
  for (const auto& document : *documents) {
    auto parsed = nlohmann::json::parse(document.json, nullptr, false);
    if (!parsed.is_object()) broken("document is not a JSON object", document.json);
    if (transformer.time_field.empty() && document.created != kNow) broken("created is not now");
  }
}

std::vector<TransformerConfig> transformers() {
  auto make = [](std::string time_field, std::string time_format, std::string time_location = "",
                 std::string data_field = "", std::vector<std::string> filters = {}) {
    TransformerConfig t;
    t.time_field = std::move(time_field);
    t.time_format = std::move(time_format);
    t.time_location = std::move(time_location);
    t.data_field = std::move(data_field);
    t.data_filters = std::move(filters);
    return t;
  };
  return {
      make("", ""),
      make("ts", "unix_ms"),
      make("ts", "rfc3339", "Europe/Belgrade"),
      make("t", "rfc1123", "America/New_York", "data", {"temperature", "meta.unit"}),
      make("ts", "iso8601", "Asia/Kolkata"),
      make("meta.ts", "2006-01-02 15:04:05.000 MST", "", "", {"a.b.c"}),
      make("ts", "Mon Jan _2 3:04:05PM 06 002 -07:00:00"),
  };
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<TransformerConfig> kTransformers = transformers();
  std::string_view input(reinterpret_cast<const char*>(data), size);

  check_senml(input);
  for (const auto& transformer : kTransformers) check_json(input, transformer);

  // The input as a time value, for every time format.
  nlohmann::json wrapped = {{"ts", std::string(input)}, {"meta", {{"ts", std::string(input)}}}};
  std::string document = wrapped.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  for (const auto& transformer : kTransformers) check_json(document, transformer);

  auto config = conflux::core::parse_profile_config(input);
  if (!config) check_error(config.error(), false);
  return 0;
}
