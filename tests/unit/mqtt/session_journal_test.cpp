#include "plugins/mqtt/session_journal.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

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
    ASSERT_TRUE(j->update({}, "s-1", {"ab", "cd"}));
    ASSERT_TRUE(j->update({}, "q-1", {"payload"}));
    ASSERT_TRUE(j->update({}, "q-2", {"x"}));
    ASSERT_TRUE(j->update({"q-2", "unknown"}, {}, {}));
    EXPECT_EQ(j->get("s-1"), "abcd");
    EXPECT_EQ(j->get("q-1"), "payload");
    EXPECT_FALSE(j->get("q-2"));
    EXPECT_EQ(j->size(), 2u);
  }
  auto j = open();
  EXPECT_EQ(j->keys(), (std::vector<std::string>{"q-1", "s-1"}));
  EXPECT_EQ(j->get("q-1"), "payload");
}

TEST_F(JournalTest, ATornTailIsCutOff) {
  {
    auto j = open();
    ASSERT_TRUE(j->update({}, "q-1", {"first"}));
    ASSERT_TRUE(j->update({}, "q-2", {"second"}));
  }
  auto size = std::filesystem::file_size(file_);
  std::filesystem::resize_file(file_, size - 3);
  {
    auto j = open();
    EXPECT_EQ(j->keys(), (std::vector<std::string>{"q-1"}));
    ASSERT_TRUE(j->update({}, "q-3", {"third"}));
  }
  auto j = open();
  EXPECT_EQ(j->keys(), (std::vector<std::string>{"q-1", "q-3"}));
}

TEST_F(JournalTest, TheFileEmptiesWhenNothingIsLive) {
  auto j = open();
  ASSERT_TRUE(j->update({}, "q-1", {"a"}));
  EXPECT_GT(j->file_bytes(), 0u);
  ASSERT_TRUE(j->update({"q-1"}, {}, {}));
  EXPECT_EQ(j->file_bytes(), 0u);
  EXPECT_EQ(std::filesystem::file_size(file_), 0u);
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
