// DefaultWait(): one timeout times TASKBOUNDS_TEST_SLOWDOWN, and a bad factor fails loudly
// instead of quietly shrinking or stretching every deadline. Eventually(): its deadline.
#include "tests/support/wait.h"

#include <cstdlib>
#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"

namespace taskbounds {
namespace {

using std::chrono::milliseconds;

// Sets (or with nullopt unsets) the slowdown variable for one test, restoring it after:
// --config=asan sets it for the whole binary.
class ScopedSlowdown {
 public:
  explicit ScopedSlowdown(const std::optional<std::string>& value) {
    if (const char* old = std::getenv(kSlowdownVariable)) {
      saved_ = old;
    }
    Apply(value);
  }
  ~ScopedSlowdown() { Apply(saved_); }
  ScopedSlowdown(const ScopedSlowdown&) = delete;
  ScopedSlowdown& operator=(const ScopedSlowdown&) = delete;

 private:
  static void Apply(const std::optional<std::string>& value) {
    if (value) {
      setenv(kSlowdownVariable, value->c_str(), /*overwrite=*/1);
    } else {
      unsetenv(kSlowdownVariable);
    }
  }
  std::optional<std::string> saved_;
};

TEST(DefaultWaitTest, IsTenSecondsWithoutASlowdown) {
  const ScopedSlowdown unset(std::nullopt);
  EXPECT_EQ(SlowdownFactor(), 1);
  EXPECT_EQ(DefaultWait(), milliseconds(10000));
  EXPECT_EQ(DefaultWaitMs(), 10000);
}

TEST(DefaultWaitTest, EmptyMeansNoSlowdown) {
  const ScopedSlowdown empty(std::string(""));
  EXPECT_EQ(DefaultWait(), milliseconds(10000));
}

TEST(DefaultWaitTest, IsMultipliedByTheSlowdownFactor) {
  const ScopedSlowdown four(std::string("4"));
  EXPECT_EQ(DefaultWait(), milliseconds(40000));
  const ScopedSlowdown fractional(std::string("2.5"));
  EXPECT_EQ(DefaultWaitMs(), 25000);
}

TEST(DefaultWaitTest, ABadFactorFailsTheTestAndCountsAsOne) {
  for (const char* bad : {"abc", "0", "0.5", "-2", "101", "4x", "nan", "inf"}) {
    SCOPED_TRACE(bad);
    const ScopedSlowdown slowdown{std::string(bad)};
    std::chrono::milliseconds wait{0};
    EXPECT_NONFATAL_FAILURE(wait = DefaultWait(), "TASKBOUNDS_TEST_SLOWDOWN=");
    EXPECT_EQ(wait, milliseconds(10000));
  }
}

TEST(EventuallyTest, SucceedsOnceTheConditionHolds) {
  int calls = 0;
  EXPECT_TRUE(Eventually([&] { return ++calls == 3; }, DefaultWait(), "the third call"));
  EXPECT_EQ(calls, 3);
}

TEST(EventuallyTest, FailsAtItsDeadlineNamingWhatItAwaited) {
  const testing::AssertionResult result =
      Eventually([] { return false; }, milliseconds(20), "a condition that never holds");
  EXPECT_FALSE(result);
  EXPECT_THAT(result.message(), testing::HasSubstr("a condition that never holds"));
}

}  // namespace
}  // namespace taskbounds
