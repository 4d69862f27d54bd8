// TimedMutex keeps std::timed_mutex's contract: a timed lock gives up at its deadline while
// another thread holds the mutex, and gets it once that thread lets go. Under
// --config=tsan it is also the check that TSan sees its locks (no report on `guarded`).
#include "fixtures/run/timed_mutex.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "gtest/gtest.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

using std::chrono::milliseconds;

TEST(TimedMutexTest, TimedLocksGiveUpWhileHeldAndSucceedOnceReleased) {
  TimedMutex mu;
  int guarded = 0;
  std::atomic<bool> held{false};
  std::atomic<bool> release{false};
  std::thread holder([&] {
    std::lock_guard<TimedMutex> lock(mu);
    guarded = 1;
    held = true;
    while (!release) {
      std::this_thread::sleep_for(milliseconds(1));
    }
  });
  ASSERT_TRUE(Eventually([&] { return held.load(); }, DefaultWait(), "the holder took the lock"));
  // The waits the test expects to run out: the behaviour under test.
  EXPECT_FALSE(mu.try_lock());
  EXPECT_FALSE(mu.try_lock_for(milliseconds(20)));
  EXPECT_FALSE(mu.try_lock_until(std::chrono::steady_clock::now() + milliseconds(20)));
  EXPECT_FALSE(mu.try_lock_until(std::chrono::system_clock::now() + milliseconds(20)));
  release = true;
  ASSERT_TRUE(mu.try_lock_for(DefaultWait())) << "not free after the holder let go";
  EXPECT_EQ(guarded, 1);  // read under the lock the holder wrote it under
  guarded = 2;
  mu.unlock();
  holder.join();
}

TEST(TimedMutexTest, LockWaitsForTheHolderAndSerialisesWriters) {
  TimedMutex mu;
  int guarded = 0;
  std::atomic<int> timed_out{0};
  constexpr int kThreads = 4;
  constexpr int kRounds = 200;
  std::thread writers[kThreads];
  for (std::thread& writer : writers) {
    writer = std::thread([&] {
      for (int i = 0; i < kRounds; ++i) {
        if (i % 2 == 0) {
          std::lock_guard<TimedMutex> lock(mu);
          ++guarded;
        } else {
          std::unique_lock<TimedMutex> lock(mu, std::defer_lock);
          if (!lock.try_lock_for(DefaultWait())) {
            ++timed_out;
            continue;
          }
          ++guarded;
        }
      }
    });
  }
  for (std::thread& writer : writers) {
    writer.join();
  }
  EXPECT_EQ(timed_out.load(), 0);
  EXPECT_EQ(guarded, kThreads * kRounds);
}

}  // namespace
}  // namespace taskbounds
