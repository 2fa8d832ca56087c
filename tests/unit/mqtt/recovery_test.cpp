#include "plugins/mqtt/recovery.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

namespace conflux::mqtt {
namespace {

// A queue entry laid out the way Paho 1.3 persists it (MQTT 3.1.1).
std::string paho_entry(const std::string& topic, const std::string& payload) {
  std::string out;
  auto put_int = [&](int v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); };
  put_int(static_cast<int>(payload.size()));
  out += payload;
  put_int(1);  // qos
  put_int(0);  // retained
  put_int(0);  // dup
  put_int(7);  // msgid
  out += topic;
  out.push_back('\0');
  put_int(static_cast<int>(topic.size()));
  return out;
}

TEST(QueueEntry, ParsesPahosLayout) {
  auto m = parse_queue_entry(paho_entry("things/t1/messages", R"([{"v":1}])"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->topic, "things/t1/messages");
  EXPECT_EQ(m->payload, R"([{"v":1}])");
  std::string truncated = paho_entry("things/t1/messages", "abc");
  EXPECT_FALSE(parse_queue_entry(truncated.substr(0, 10)));
  EXPECT_FALSE(parse_queue_entry(""));
}

TEST(QueueEntry, MovesOnlyQueueEntries) {
  auto dir =
      std::filesystem::temp_directory_path() / ("mqtt-recovery-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    auto paho = std::move(*SessionJournal::open(dir / "j"));
    auto recovered = std::move(*SessionJournal::open(dir / "r"));
    ASSERT_TRUE(paho->put("q-1", {paho_entry("things/a/messages", "1")}));
    ASSERT_TRUE(paho->put("q-2", {paho_entry("things/a/messages", "2")}));
    ASSERT_TRUE(paho->put("s-1", {"outgoing"}));
    ASSERT_TRUE(recovered->put("q-1", {paho_entry("things/a/messages", "0")}));
    auto moved = move_queue_entries(*paho, *recovered);
    ASSERT_TRUE(moved);
    EXPECT_EQ(*moved, 2u);
    EXPECT_EQ(paho->keys(), (std::vector<std::string>{"s-1"}));
    EXPECT_EQ(recovered->keys(), (std::vector<std::string>{"q-1", "q-1.1", "q-2"}));
    EXPECT_EQ(parse_queue_entry(*recovered->get("q-1.1"))->payload, "1");
  }
  auto recovered = std::move(*SessionJournal::open(dir / "r"));
  EXPECT_EQ(recovered->size(), 3u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace conflux::mqtt
