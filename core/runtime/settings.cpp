// core/runtime — the core configuration schema and its conversion to Settings.
#include "core/runtime/settings.h"

#include <unistd.h>

#include <array>
#include <thread>

namespace conflux::core {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;
using T = ConfigType;

ConfigField field(std::string key, ConfigType type, ConfigValue def, std::string description,
                  bool secret = false) {
  return ConfigField{std::move(key), type, std::move(def), std::move(description), false, secret};
}

const std::vector<ConfigField>& runtime_fields() {
  static const std::vector<ConfigField> f{
      field("threads", T::integer, std::int64_t{0}, "io_context threads; 0 = one per CPU core"),
      field("shutdown_timeout", T::duration, milliseconds(seconds(10)),
            "how long a graceful stop waits for in-flight requests"),
  };
  return f;
}

const std::vector<ConfigField>& http_fields() {
  static const std::vector<ConfigField> f{
      field("listen", T::string, std::string("0.0.0.0:8080"),
            "address:port of the shared HTTP listener; port 0 picks a free port"),
      field("body_limit", T::integer, std::int64_t{1 << 20}, "largest request body in bytes"),
      field("header_limit", T::integer, std::int64_t{16 << 10},
            "largest request header block in bytes"),
      field("read_timeout", T::duration, milliseconds(seconds(30)),
            "time allowed to receive one request"),
      field("idle_timeout", T::duration, milliseconds(seconds(60)),
            "keep-alive connections idle longer are closed"),
      field("pipeline_limit", T::integer, std::int64_t{16},
            "requests in flight per connection before reading pauses"),
      field("tls_cert", T::string, std::string(),
            "PEM certificate chain; enables HTTPS with tls_key"),
      field("tls_key", T::string, std::string(), "PEM private key", true),
      field("spool_dir", T::string, std::string(),
            "where large request bodies (e.g. restores) are spooled; empty = the system temp dir"),
  };
  return f;
}

const std::vector<ConfigField>& storage_fields() {
  static const std::vector<ConfigField> f{
      field("path", T::string, std::string("./data"), "directory of the LMDB environment"),
      field("map_size", T::integer, std::int64_t{256} << 20,
            "initial LMDB map size in bytes; grows on demand"),
      field("max_map_size", T::integer, std::int64_t{0},
            "largest map size in bytes; 0 = no limit (writes fail cleanly when reached)"),
      field("commit_interval", T::duration, milliseconds(0),
            "group commit: extra wait to batch more writes into one transaction; 0 = commit "
            "as soon as the writer is free (writes arriving during a commit share the next)"),
      field("commit_batch", T::integer, std::int64_t{4096},
            "group commit: most writes per transaction"),
      field("sync", T::boolean, true,
            "fsync every commit (false trades durability on power loss for speed)"),
      field("retention_max_age", T::duration, milliseconds(0),
            "delete messages older than this; 0 = keep forever"),
      field("retention_max_size", T::integer, std::int64_t{0},
            "delete oldest messages while stored messages exceed this many bytes; 0 = no limit"),
  };
  return f;
}

const std::vector<ConfigField>& pipeline_fields() {
  static const std::vector<ConfigField> f{
      field(
          "queue_size", T::integer, std::int64_t{10000},
          "messages waiting for formatting/storage; when full, publish answers unavailable (503)"),
      field("workers", T::integer, std::int64_t{0},
            "format/transform worker threads; 0 = one per CPU core"),
  };
  return f;
}

const std::vector<ConfigField>& log_fields() {
  static const std::vector<ConfigField> f{
      field("level", T::string, std::string("info"),
            "trace, debug, info, warn, error, critical or off"),
      field("format", T::string, std::string("text"), "text or json (one object per line)"),
  };
  return f;
}

const std::vector<ConfigField>& admin_fields() {
  static const std::vector<ConfigField> f{
      field("email", T::string, std::string(), "root admin email, bootstrapped at every start"),
      field("password", T::string, std::string(),
            "root admin password; generated and printed once when unset", true),
  };
  return f;
}

const std::vector<ConfigField>& auth_fields() {
  static const std::vector<ConfigField> f{
      field("secret", T::string, std::string(),
            "HS256 token signing secret; generated and persisted when unset", true),
      field("token_ttl", T::duration, milliseconds(hours(10)), "lifetime of login tokens"),
      field("invite_ttl", T::duration, milliseconds(hours(24 * 7)),
            "how long org and platform invites stay pending"),
      field("self_register", T::boolean, false,
            "allow anyone to create an account with POST /register"),
  };
  return f;
}

const std::vector<ConfigField>& plugins_fields() {
  static const std::vector<ConfigField> f{
      field("dir", T::string, std::string(),
            "directory scanned for conflux-plugin-*.so; empty = plugins/ beside the executable"),
  };
  return f;
}

std::vector<std::string> prefixes(std::string_view section) {
  std::string upper(section);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return {upper};
}

Status positive(const ConfigSection& s, std::string_view key) {
  if (s.get_int(key) <= 0)
    return fail(ErrorCode::invalid_argument,
                "'" + s.name() + "." + std::string(key) + "' must be a positive integer");
  return ok();
}

}  // namespace

std::span<const CoreSection> core_sections() {
  static const std::array<CoreSection, 8> sections{{
      {"runtime", runtime_fields()},
      {"http", http_fields()},
      {"storage", storage_fields()},
      {"pipeline", pipeline_fields()},
      {"log", log_fields()},
      {"admin", admin_fields()},
      {"auth", auth_fields()},
      {"plugins", plugins_fields()},
  }};
  return sections;
}

std::filesystem::path default_plugins_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "plugins";
  return exe.parent_path() / "plugins";
}

Result<Settings> load_settings(const Config& config) {
  std::vector<std::string_view> known;
  for (const auto& s : core_sections()) known.push_back(s.name);
  CONFLUX_RETURN_IF_ERROR(config.check_top_level(known));

  std::map<std::string_view, ConfigSection> v;
  for (const auto& s : core_sections()) {
    auto p = prefixes(s.name);
    CONFLUX_ASSIGN_OR_RETURN(auto section,
                             config.section(s.name, s.fields, p, s.name == "plugins"));
    v.emplace(s.name, std::move(section));
  }

  Settings out;
  const auto& rt = v["runtime"];
  auto threads = rt.get_int("threads");
  if (threads < 0 || threads > 1024)
    return fail(ErrorCode::invalid_argument, "'runtime.threads' must be between 0 and 1024");
  out.threads = threads > 0 ? static_cast<unsigned>(threads)
                            : std::max(1u, std::thread::hardware_concurrency());
  out.shutdown_timeout = rt.get_duration("shutdown_timeout");

  const auto& http = v["http"];
  for (auto key : {"body_limit", "header_limit", "pipeline_limit"})
    CONFLUX_RETURN_IF_ERROR(positive(http, key));
  out.http.listen = http.get_string("listen");
  out.http.body_limit = static_cast<std::size_t>(http.get_int("body_limit"));
  out.http.header_limit = static_cast<std::size_t>(http.get_int("header_limit"));
  out.http.read_timeout = http.get_duration("read_timeout");
  out.http.idle_timeout = http.get_duration("idle_timeout");
  out.http.pipeline_limit = static_cast<std::size_t>(http.get_int("pipeline_limit"));
  out.http.tls_cert_file = http.get_string("tls_cert");
  out.http.tls_key_file = http.get_string("tls_key");
  out.http.spool_dir = http.get_string("spool_dir");
  if (out.http.tls_cert_file.empty() != out.http.tls_key_file.empty())
    return fail(ErrorCode::invalid_argument,
                "'http.tls_cert' and 'http.tls_key' must be set together");

  const auto& storage = v["storage"];
  out.storage_path = storage.get_string("path");
  if (out.storage_path.empty())
    return fail(ErrorCode::invalid_argument, "'storage.path' must not be empty");
  for (auto key : {"map_size", "commit_batch"}) CONFLUX_RETURN_IF_ERROR(positive(storage, key));
  if (storage.get_int("max_map_size") < 0 || storage.get_int("retention_max_size") < 0)
    return fail(ErrorCode::invalid_argument,
                "'storage.max_map_size' and 'storage.retention_max_size' must not be negative");
  out.storage.map_size = static_cast<std::size_t>(storage.get_int("map_size"));
  out.storage.max_map_size = static_cast<std::size_t>(storage.get_int("max_map_size"));
  out.storage.commit_interval = storage.get_duration("commit_interval");
  out.storage.commit_batch = static_cast<std::size_t>(storage.get_int("commit_batch"));
  out.storage.sync = storage.get_bool("sync");
  out.storage.retention_max_age = storage.get_duration("retention_max_age");
  out.storage.retention_max_size =
      static_cast<std::uint64_t>(storage.get_int("retention_max_size"));

  const auto& pipeline = v["pipeline"];
  CONFLUX_RETURN_IF_ERROR(positive(pipeline, "queue_size"));
  if (pipeline.get_int("workers") < 0 || pipeline.get_int("workers") > 256)
    return fail(ErrorCode::invalid_argument, "'pipeline.workers' must be between 0 and 256");
  out.pipeline_queue_size = static_cast<std::size_t>(pipeline.get_int("queue_size"));
  out.pipeline_workers = pipeline.get_int("workers") > 0
                             ? static_cast<unsigned>(pipeline.get_int("workers"))
                             : std::max(1u, std::thread::hardware_concurrency());

  CONFLUX_ASSIGN_OR_RETURN(out.log_level, parse_log_level(v["log"].get_string("level")));
  CONFLUX_ASSIGN_OR_RETURN(out.log_format, parse_log_format(v["log"].get_string("format")));

  out.admin_email = v["admin"].get_string("email");
  out.admin_password = v["admin"].get_string("password");
  out.auth_secret = v["auth"].get_string("secret");
  out.token_ttl = v["auth"].get_duration("token_ttl");
  out.invite_ttl = v["auth"].get_duration("invite_ttl");
  out.self_register = v["auth"].get_bool("self_register");

  auto dir = v["plugins"].get_string("dir");
  out.plugins_dir = dir.empty() ? default_plugins_dir() : std::filesystem::path(dir);
  return out;
}

}  // namespace conflux::core
