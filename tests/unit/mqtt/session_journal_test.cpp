#include "plugins/mqtt/session_journal.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "plugins/mqtt/paho_persistence.h"

namespace conflux::mqtt {
namespace {

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mqtt-journal-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    file_ = dir_ / "sub" / "conflux.journal";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::unique_ptr<SessionJournal> open() {
    auto j = SessionJournal::open(file_);
    EXPECT_TRUE(j) << j.error().message;
    return j ? std::move(*j) : nullptr;
  }
  std::filesystem::path dir_, file_;
};

TEST_F(JournalTest, PutGetRemoveSurviveReopen) {
  {
    auto j = open();
    ASSERT_TRUE(j->put("s-1", {"ab", "cd"}));
    ASSERT_TRUE(j->put("q-1", {"payload"}));
    ASSERT_TRUE(j->put("q-2", {"x"}));
    ASSERT_TRUE(j->remove("q-2"));
    EXPECT_EQ(j->get("s-1"), "abcd");
    EXPECT_TRUE(j->contains("q-1"));
    EXPECT_FALSE(j->contains("q-2"));
  }
  auto j = open();
  EXPECT_EQ(j->keys(), (std::vector<std::string>{"q-1", "s-1"}));
  EXPECT_EQ(j->get("q-1"), "payload");
}

TEST_F(JournalTest, ATornTailIsCutOff) {
  {
    auto j = open();
    ASSERT_TRUE(j->put("q-1", {"first"}));
    ASSERT_TRUE(j->put("q-2", {"second"}));
  }
  auto size = std::filesystem::file_size(file_);
  std::filesystem::resize_file(file_, size - 3);
  {
    auto j = open();
    EXPECT_EQ(j->keys(), (std::vector<std::string>{"q-1"}));
    ASSERT_TRUE(j->put("q-3", {"third"}));
  }
  auto j = open();
  EXPECT_EQ(j->keys(), (std::vector<std::string>{"q-1", "q-3"}));
}

TEST_F(JournalTest, TheFileEmptiesWhenNothingIsLive) {
  auto j = open();
  ASSERT_TRUE(j->put("q-1", {"a"}));
  EXPECT_GT(j->file_bytes(), 0u);
  ASSERT_TRUE(j->remove("q-1"));
  EXPECT_EQ(j->file_bytes(), 0u);
  EXPECT_EQ(std::filesystem::file_size(file_), 0u);
}

TEST_F(JournalTest, PahoCallbacksRoundTrip) {
  auto j = open();
  auto p = paho_persistence(*j);
  void* handle = nullptr;
  ASSERT_EQ(p.popen(&handle, "cid", "tcp://x:1", p.context), 0);
  char key[] = "q-7";
  char part1[] = "he", part2[] = "llo";
  char* bufs[] = {part1, part2};
  int lens[] = {2, 3};
  ASSERT_EQ(p.pput(handle, key, 2, bufs, lens), 0);
  char* out = nullptr;
  int len = 0;
  ASSERT_EQ(p.pget(handle, key, &out, &len), 0);
  EXPECT_EQ(std::string(out, len), "hello");
  std::free(out);
  char** keys = nullptr;
  int n = 0;
  ASSERT_EQ(p.pkeys(handle, &keys, &n), 0);
  ASSERT_EQ(n, 1);
  EXPECT_STREQ(keys[0], "q-7");
  std::free(keys[0]);
  std::free(keys);
  EXPECT_EQ(p.pcontainskey(handle, key), 0);
  ASSERT_EQ(p.premove(handle, key), 0);
  char missing[] = "q-8";
  EXPECT_NE(p.pcontainskey(handle, missing), 0);
  EXPECT_NE(p.pget(handle, missing, &out, &len), 0);
  EXPECT_EQ(p.pclose(handle), 0);
}

TEST_F(JournalTest, AnUnwritableDirectoryIsAnError) {
  std::filesystem::create_directories(dir_);
  std::ofstream(dir_ / "file") << "x";
  auto j = SessionJournal::open(dir_ / "file" / "conflux.journal");
  ASSERT_FALSE(j);
  EXPECT_NE(j.error().message.find("file"), std::string::npos);
}

}  // namespace
}  // namespace conflux::mqtt
