// tests/integration — crash safety of the pipeline: a child process
// (pipeline_crash_child) ingests SenML messages into an LMDB store and prints
// every acknowledged message id; it gets SIGKILL after a random number of
// acknowledgements; the store is reopened in-process and every acknowledged
// id must be there. Five rounds on the same data dir, ids accumulating.
// Thread-safety: single-threaded (the child runs in its own process).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/pipeline/message_ids.h"
#include "tests/unit/pipeline/store_harness.h"

extern char** environ;

namespace conflux::core {
namespace {

// Runs the child and reads its stdout lines.
class Child {
 public:
  Child(const std::string& dir, const std::string& publisher) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    std::vector<std::string> args{CONFLUX_PIPELINE_CRASH_CHILD, dir, publisher, "4"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    fd_ = fds[0];
    if (rc != 0) throw std::runtime_error("posix_spawn failed: " + std::to_string(rc));
  }
  ~Child() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) close(fd_);
  }

  // The next complete line; nullopt at EOF or after `timeout_ms` without one.
  std::optional<std::string> line(int timeout_ms = 60000) {
    for (;;) {
      auto nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        std::string out = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        return out;
      }
      if (eof_) return std::nullopt;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, timeout_ms) <= 0) return std::nullopt;
      char chunk[4096];
      auto n = read(fd_, chunk, sizeof chunk);
      if (n <= 0)
        eof_ = true;
      else
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  // SIGKILL; returns the wait status.
  int kill_now() {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string buffer_;
  bool eof_ = false;
};

std::set<std::string> stored_ids(store::MessageStore& messages, const std::string& publisher) {
  std::set<std::string> ids;
  MessageQuery q;
  q.publishers = {publisher};
  q.limit = 1000;
  for (;;) {
    auto page = messages.query(q);
    EXPECT_TRUE(page) << page.error().message;
    if (!page || page->records.empty()) break;
    for (const auto& r : page->records) ids.insert(r.message_id);
    q.offset += page->records.size();
  }
  return ids;
}

TEST(PipelineCrashTest, EveryAcknowledgedMessageSurvivesKill9) {
  testing::TempDir dir;
  auto seed = std::random_device{}();
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> acks_before_kill(50, 2000);
  SCOPED_TRACE("seed " + std::to_string(seed));

  std::map<std::string, std::vector<std::string>> acked;  // publisher → ids
  for (int round = 0; round < 5; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    auto publisher = new_message_id();
    int target = acks_before_kill(rng);
    auto& ids = acked[publisher];
    {
      Child child(dir.path().string(), publisher);
      auto ready = child.line();
      ASSERT_TRUE(ready.has_value()) << "the child did not start";
      ASSERT_EQ(*ready, "ready");
      while (static_cast<int>(ids.size()) < target) {
        auto id = child.line();
        ASSERT_TRUE(id.has_value()) << "the child stopped after " << ids.size() << " acks";
        ids.push_back(*id);
      }
      int status = child.kill_now();
      EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
      // Lines already in the pipe were acknowledged before the kill too.
      while (auto id = child.line(1000)) ids.push_back(*id);
    }

    testing::StoreHarness reopened(dir.path());
    std::size_t total = 0;
    for (const auto& [pub, expected] : acked) {
      auto stored = stored_ids(*reopened.messages, pub);
      for (const auto& id : expected) ASSERT_TRUE(stored.count(id)) << "lost acked id " << id;
      total += expected.size();
    }
    std::cout << "round " << round << ": killed after " << ids.size() << " acks; " << total
              << " acknowledged messages verified\n";
  }
}

}  // namespace
}  // namespace conflux::core
