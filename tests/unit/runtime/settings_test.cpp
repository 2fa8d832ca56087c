// Core settings: defaults, file values, environment overrides, validation.
#include "core/runtime/settings.h"

#include <conflux/testing/matchers.h>
#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using conflux::ErrorCode;
using conflux::core::Config;
using conflux::core::load_settings;
using conflux::testing::IsErrorWith;

TEST(Settings, EmbeddedDefaults) {
  auto s = load_settings(Config::defaults({}));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->http.listen, "0.0.0.0:8080");
  EXPECT_EQ(s->storage_path, "./data");
  EXPECT_EQ(s->log_level, conflux::LogLevel::info);
  EXPECT_EQ(s->log_format, conflux::core::LogFormat::text);
  EXPECT_GE(s->threads, 1u);
  EXPECT_EQ(s->token_ttl, 10h);
  EXPECT_EQ(s->plugins_dir.filename(), "plugins");
}

TEST(Settings, MandatedEnvironmentOverrides) {
  auto s = load_settings(Config::defaults({
      {"CONFLUX_HTTP_LISTEN", "127.0.0.1:9999"},
      {"CONFLUX_STORAGE_PATH", "/tmp/x"},
      {"CONFLUX_LOG_LEVEL", "debug"},
      {"CONFLUX_ADMIN_EMAIL", "root@example.com"},
      {"CONFLUX_ADMIN_PASSWORD", "s3cret-pass"},
      {"CONFLUX_AUTH_SECRET", "abc"},
      {"CONFLUX_PLUGINS_DIR", "/opt/plugins"},
  }));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->http.listen, "127.0.0.1:9999");
  EXPECT_EQ(s->storage_path, "/tmp/x");
  EXPECT_EQ(s->log_level, conflux::LogLevel::debug);
  EXPECT_EQ(s->admin_email, "root@example.com");
  EXPECT_EQ(s->admin_password, "s3cret-pass");
  EXPECT_EQ(s->auth_secret, "abc");
  EXPECT_EQ(s->plugins_dir, "/opt/plugins");
}

TEST(Settings, FileValuesAndPluginSubtables) {
  auto config = Config::parse(R"(
[runtime]
threads = 3
shutdown_timeout = "2s"
[http]
read_timeout = "500ms"
body_limit = 2048
[plugins]
dir = "p"
[plugins.hello]
greeting = "hi"
)",
                              "test.toml", {});
  ASSERT_TRUE(config);
  auto s = load_settings(*config);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->threads, 3u);
  EXPECT_EQ(s->shutdown_timeout, 2s);
  EXPECT_EQ(s->http.read_timeout, 500ms);
  EXPECT_EQ(s->http.body_limit, 2048u);
  EXPECT_EQ(s->plugins_dir, "p");
}

TEST(Settings, RejectsBadValuesNamingTheKey) {
  auto bad = [](const char* toml) { return load_settings(*Config::parse(toml, "t.toml", {})); };
  EXPECT_THAT(bad("[http]\nbody_limit = 0\n"),
              IsErrorWith(ErrorCode::invalid_argument, "http.body_limit"));
  EXPECT_THAT(bad("[runtime]\nthreads = -1\n"),
              IsErrorWith(ErrorCode::invalid_argument, "runtime.threads"));
  EXPECT_THAT(bad("[http]\ntls_cert = \"c.pem\"\n"),
              IsErrorWith(ErrorCode::invalid_argument, "tls_key"));
  EXPECT_THAT(bad("[log]\nlevel = \"loud\"\n"), IsErrorWith(ErrorCode::invalid_argument, "loud"));
  EXPECT_THAT(bad("[log]\nformat = \"xml\"\n"), IsErrorWith(ErrorCode::invalid_argument, "xml"));
  EXPECT_THAT(bad("[storage]\npath = \"\"\n"),
              IsErrorWith(ErrorCode::invalid_argument, "storage.path"));
  EXPECT_THAT(bad("[nope]\nx = 1\n"), IsErrorWith(ErrorCode::invalid_argument, "nope"));
  EXPECT_THAT(bad("[plugins]\nextra = 1\n"),
              IsErrorWith(ErrorCode::invalid_argument, "plugins.extra"));
}

TEST(Settings, EverySectionDocumentsItsKeys) {
  for (const auto& section : conflux::core::core_sections()) {
    EXPECT_FALSE(section.fields.empty()) << section.name;
    for (const auto& f : section.fields) EXPECT_FALSE(f.description.empty()) << f.key;
  }
}

}  // namespace
