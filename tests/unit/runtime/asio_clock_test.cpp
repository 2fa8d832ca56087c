// AsioClock: timers fire on the io_context; cancelled ones never do.
#include "core/runtime/asio_clock.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <thread>

namespace {

using namespace std::chrono_literals;

TEST(AsioClock, FiresAndCancels) {
  boost::asio::io_context io;
  conflux::core::AsioClock clock(io);
  std::atomic<int> fired{0};
  std::atomic<bool> cancelled_ran{false};
  auto start = clock.monotonic();
  clock.call_after(20ms, [&] { fired++; });
  auto id = clock.call_after(30ms, [&] { cancelled_ran = true; });
  EXPECT_TRUE(clock.cancel(id));
  EXPECT_FALSE(clock.cancel(id));
  clock.call_after(40ms, [&] { fired++; });
  io.run();
  EXPECT_EQ(fired, 2);
  EXPECT_FALSE(cancelled_ran);
  EXPECT_GE(clock.monotonic() - start, 40ms);
  EXPECT_GT(clock.now_ns(), 1'600'000'000'000'000'000);
}

TEST(AsioClock, CancelAllStopsPendingTimers) {
  boost::asio::io_context io;
  conflux::core::AsioClock clock(io);
  bool ran = false;
  clock.call_after(10ms, [&] { ran = true; });
  clock.cancel_all();
  io.run();
  EXPECT_FALSE(ran);
}

}  // namespace
