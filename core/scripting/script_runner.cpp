// core/scripting — `conflux script test` (see script_runner.h).
// Thread-safety: see script_runner.h.
#include "core/scripting/script_runner.h"

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/messages/format.h"
#include "core/scripting/compiled_script.h"

namespace conflux::core::scripting {
namespace {

using nlohmann::json;

std::int64_t wall_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

json record_json(const SenmlRecord& r) {
  json j = json::object();
  j["n"] = r.name;
  if (!r.unit.empty()) j["u"] = r.unit;
  j["t"] = static_cast<double>(r.time) / 1e9;
  if (r.value) j["v"] = *r.value;
  if (r.string_value) j["vs"] = *r.string_value;
  if (r.bool_value) j["vb"] = *r.bool_value;
  if (r.data_value) j["vd"] = *r.data_value;
  if (r.sum) j["s"] = *r.sum;
  if (r.update_time != 0) j["ut"] = r.update_time;
  return j;
}

json records_json(const std::vector<SenmlRecord>& records) {
  json a = json::array();
  for (const auto& r : records) a.push_back(record_json(r));
  return a;
}

json message_json(const Message& m) {
  json j = json::object();
  j["publisher"] = m.publisher;
  j["subtopic"] = m.subtopic;
  j["protocol"] = m.protocol;
  j["content_type"] = m.content_type;
  j["created"] = m.created;
  if (m.format == MessageFormat::senml)
    j["records"] = records_json(m.records);
  else
    j["payload"] = json::parse(m.json);
  return j;
}

std::string str(const json& j, const char* key, std::string fallback) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

Result<std::vector<SenmlRecord>> senml(const json& pack, std::int64_t now) {
  if (!pack.is_array())
    return fail(ErrorCode::invalid_argument, "input: records must be a SenML pack (an array)");
  auto r = parse_senml(pack.dump(), now);
  if (!r) return fail(ErrorCode::invalid_argument, "input: " + r.error().message);
  return r;
}

Result<Message> input_message(const json& in, std::int64_t now) {
  Message m;
  m.publisher = "cli-thing";
  m.protocol = "http";
  m.created = now;
  const json* records = nullptr;
  if (in.is_array()) {
    records = &in;
  } else if (in.is_object()) {
    m.publisher = str(in, "publisher", m.publisher);
    m.group = str(in, "group", "");
    m.profile = str(in, "profile", "");
    m.protocol = str(in, "protocol", m.protocol);
    auto sub = normalize_subtopic(str(in, "subtopic", ""));
    if (!sub) return fail(ErrorCode::invalid_argument, "input: " + sub.error().message);
    m.subtopic = *sub;
    if (auto it = in.find("created"); it != in.end() && it->is_number_integer())
      m.created = it->get<std::int64_t>();
    if (auto it = in.find("records"); it != in.end()) records = &*it;
  } else {
    return fail(ErrorCode::invalid_argument, "input: expected a message object or a SenML pack");
  }
  if (records) {
    CONFLUX_ASSIGN_OR_RETURN(m.records, senml(*records, m.created));
    m.format = MessageFormat::senml;
    m.content_type = std::string(kSenmlJson);
  } else if (auto it = in.find("payload"); it != in.end()) {
    m.format = MessageFormat::json;
    m.json = it->dump();
    m.content_type = std::string(kJson);
  } else {
    return fail(ErrorCode::invalid_argument, "input: the message needs records or a payload");
  }
  m.content_type = in.is_object() ? str(in, "content_type", m.content_type) : m.content_type;
  m.payload = in.is_object() && in.contains("payload") ? in["payload"].dump() : in.dump();
  return m;
}

Result<std::string> from_hex(const std::string& s) {
  std::string out;
  int hi = -1;
  for (char c : s) {
    if (c == ' ' || c == ':') continue;
    int v = (c >= '0' && c <= '9')   ? c - '0'
            : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                     : -1;
    if (v < 0) return fail(ErrorCode::invalid_argument, "input: hex has a non-hex character");
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(static_cast<char>(hi * 16 + v));
      hi = -1;
    }
  }
  if (hi >= 0) return fail(ErrorCode::invalid_argument, "input: hex has an odd number of digits");
  return out;
}

Result<std::string> from_base64(const std::string& s) {
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (char c : s) {
    if (c == '=') break;
    int v = (c >= 'A' && c <= 'Z')   ? c - 'A'
            : (c >= 'a' && c <= 'z') ? c - 'a' + 26
            : (c >= '0' && c <= '9') ? c - '0' + 52
            : (c == '+' || c == '-') ? 62
            : (c == '/' || c == '_') ? 63
                                     : -1;
    if (v < 0) return fail(ErrorCode::invalid_argument, "input: bad base64");
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

std::string to_base64(std::string_view bytes) {
  static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(kB64[(v >> 18) & 63]);
    out.push_back(kB64[(v >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? kB64[(v >> 6) & 63] : '=');
    out.push_back(i + 2 < bytes.size() ? kB64[v & 63] : '=');
  }
  return out;
}

std::string meta_text(const json& in) {
  auto it = in.find("meta");
  return it == in.end() ? std::string() : it->dump();
}

}  // namespace

Result<std::string> run_script_test(std::string_view script_name, std::string_view source,
                                    std::string_view input_json, std::string_view function) {
  try {
    json in = json::parse(input_json, nullptr, false);
    if (in.is_discarded()) return fail(ErrorCode::invalid_argument, "input: not valid JSON");
    ScriptSpec spec;
    spec.id = "cli";
    spec.name = std::string(script_name);
    spec.source = std::string(source);
    CONFLUX_ASSIGN_OR_RETURN(auto script, CompiledScript::compile(std::move(spec), nullptr));
    auto now = wall_ns();
    CallReport report;
    if (function == "transform") {
      CONFLUX_ASSIGN_OR_RETURN(auto message, input_message(in, now));
      CONFLUX_ASSIGN_OR_RETURN(auto out, script->transform(message, report));
      json a = json::array();
      for (const auto& m : out) a.push_back(message_json(m));
      return a.dump(2);
    }
    if (function == "decode") {
      if (!in.is_object()) return fail(ErrorCode::invalid_argument, "input: expected an object");
      std::string bytes;
      if (in.contains("hex") && in["hex"].is_string()) {
        CONFLUX_ASSIGN_OR_RETURN(bytes, from_hex(in["hex"].get<std::string>()));
      } else if (in.contains("base64") && in["base64"].is_string()) {
        CONFLUX_ASSIGN_OR_RETURN(bytes, from_base64(in["base64"].get<std::string>()));
      } else if (in.contains("text") && in["text"].is_string()) {
        bytes = in["text"].get<std::string>();
      } else {
        return fail(ErrorCode::invalid_argument, "input: decode needs hex, base64 or text");
      }
      CONFLUX_ASSIGN_OR_RETURN(auto out, script->decode(bytes, meta_text(in), now, report));
      json j = json::object();
      if (out.format == MessageFormat::senml)
        j["records"] = records_json(out.records);
      else
        j["payload"] = json::parse(out.json);
      return j.dump(2);
    }
    if (function == "encode") {
      if (!in.is_object() || !in.contains("records"))
        return fail(ErrorCode::invalid_argument, "input: encode needs {\"records\": [...]}");
      CONFLUX_ASSIGN_OR_RETURN(auto records, senml(in["records"], now));
      CONFLUX_ASSIGN_OR_RETURN(auto out, script->encode(records, meta_text(in), report));
      json j = json::object();
      j["hex"] = to_hex(out.bytes);
      j["base64"] = to_base64(out.bytes);
      j["meta"] = json::parse(out.meta_json);
      return j.dump(2);
    }
    return fail(ErrorCode::invalid_argument, "--function must be transform, decode or encode");
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, std::string("script test: ") + e.what());
  }
}

}  // namespace conflux::core::scripting
