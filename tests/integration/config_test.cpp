// Bad configuration stops the binary before it serves, with an error naming
// the file, line or key; exit code 2. Also: version, config check, busy port.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "conflux/abi.h"
#include "tests/support/conflux_process.h"
#include "tests/support/http_test_client.h"

namespace {

using conflux::test::ConfluxOptions;
using conflux::test::ConfluxProcess;

struct Outcome {
  int code;
  std::string log;
};

Outcome run(ConfluxOptions options) {
  ConfluxProcess p(std::move(options));
  int code = p.wait_exit();
  return {code, p.log()};
}

TEST(Config, TomlSyntaxErrorNamesFileAndLine) {
  auto r = run({.config_toml = "[http]\nlisten = \"127.0.0.1:0\"\nbody_limit = = 3\n"});
  EXPECT_EQ(r.code, 2) << r.log;
  EXPECT_NE(r.log.find("conflux.toml:3:"), std::string::npos) << r.log;
  EXPECT_EQ(r.log.find("http listening"), std::string::npos);
}

TEST(Config, UnknownKeyIsNamed) {
  auto r = run({.config_toml = "[http]\nlisten = \"127.0.0.1:0\"\nlisen = \"x\"\n"});
  EXPECT_EQ(r.code, 2) << r.log;
  EXPECT_NE(r.log.find("http.lisen"), std::string::npos) << r.log;
}

TEST(Config, UnknownSectionIsNamed) {
  auto r = run({.config_toml = "[htp]\nlisten = \"127.0.0.1:0\"\n"});
  EXPECT_EQ(r.code, 2) << r.log;
  EXPECT_NE(r.log.find("htp"), std::string::npos) << r.log;
}

TEST(Config, WrongTypeNamesKeyAndType) {
  auto r = run({.config_toml = "[http]\nbody_limit = \"big\"\n"});
  EXPECT_EQ(r.code, 2) << r.log;
  EXPECT_NE(r.log.find("http.body_limit"), std::string::npos) << r.log;
  EXPECT_NE(r.log.find("integer"), std::string::npos) << r.log;
}

TEST(Config, BadEnvironmentValueNamesVariable) {
  auto r = run({.env = {{"CONFLUX_HTTP_BODY_LIMIT", "lots"}}});
  EXPECT_EQ(r.code, 2) << r.log;
  EXPECT_NE(r.log.find("CONFLUX_HTTP_BODY_LIMIT"), std::string::npos) << r.log;
}

TEST(Config, EnvironmentOverridesFile) {
  auto base =
      std::filesystem::temp_directory_path() / ("conflux-override-" + std::to_string(::getpid()));
  auto from_env = base / "env-data", from_file = base / "file-data";
  ConfluxProcess p({.env = {{"CONFLUX_STORAGE_PATH", from_env.string()}},
                    .config_toml = "[storage]\npath = \"" + from_file.string() + "\"\n"});
  ASSERT_TRUE(p.wait_ready()) << p.log();
  EXPECT_TRUE(std::filesystem::is_directory(from_env));
  EXPECT_FALSE(std::filesystem::exists(from_file));
  EXPECT_EQ(p.stop(), 0);
  std::filesystem::remove_all(base);
}

TEST(Config, ListenerOnBusyPortFailsWithAddress) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor busy(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  auto port = std::to_string(busy.local_endpoint().port());
  auto r = run({.env = {{"CONFLUX_HTTP_LISTEN", "127.0.0.1:" + port}}});
  EXPECT_EQ(r.code, 1) << r.log;
  EXPECT_NE(r.log.find("127.0.0.1:" + port), std::string::npos) << r.log;
}

TEST(Config, CheckCommand) {
  auto good = run({.args = {"config", "check"}, .config_toml = "[log]\nlevel = \"debug\"\n"});
  EXPECT_EQ(good.code, 0) << good.log;
  EXPECT_NE(good.log.find("configuration OK"), std::string::npos);
  auto bad = run({.args = {"config", "check"}, .config_toml = "[log]\nformat = \"xml\"\n"});
  EXPECT_EQ(bad.code, 2) << bad.log;
  EXPECT_NE(bad.log.find("xml"), std::string::npos) << bad.log;
}

TEST(Config, VersionCommand) {
  auto r = run({.args = {"version"}});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.log.find("conflux 0."), std::string::npos) << r.log;
  EXPECT_NE(r.log.find("sdk abi " + std::to_string(CONFLUX_SDK_ABI_MAJOR) + "."), std::string::npos)
      << r.log;
  EXPECT_NE(r.log.find("build key gcc-"), std::string::npos) << r.log;
  EXPECT_NE(r.log.find("memory allocator " CONFLUX_EXPECT_ALLOCATOR), std::string::npos) << r.log;
}

}  // namespace
