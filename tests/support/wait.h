// Waiting in tests: every wait has a deadline and returns a result the caller must check,
// and every deadline comes from DefaultWait(), so one knob stretches them all on a slow
// machine (AddressSanitizer, a loaded CI runner) instead of a search for literals.
#ifndef TESTS_SUPPORT_WAIT_H_
#define TESTS_SUPPORT_WAIT_H_

#include <chrono>
#include <functional>
#include <string>

#include "gtest/gtest.h"

namespace taskbounds {

// The environment variable that multiplies every test deadline: a number from 1 to 100,
// default 1. `--config=asan` sets it (.bazelrc); set it by hand with
// `--test_env=TASKBOUNDS_TEST_SLOWDOWN=10` on a loaded machine.
inline constexpr char kSlowdownVariable[] = "TASKBOUNDS_TEST_SLOWDOWN";

// TASKBOUNDS_TEST_SLOWDOWN as a number. A value that is not a number from 1 to 100 records a
// failure of the current test naming the variable and the fix, and counts as 1.
double SlowdownFactor();

// How long a test waits for something that should happen promptly (a workspace coming
// online, a request reaching the fake, a subprocess exiting): 10 wall seconds times
// SlowdownFactor(). Far above what a passing test needs (milliseconds), so reaching it means
// the awaited thing is not coming. Budgets for many such things at once are multiples of it.
std::chrono::milliseconds DefaultWait();

// DefaultWait() as the milliseconds PlatformClient's timeouts take.
long DefaultWaitMs();

// Polls `condition` every few milliseconds until it holds or `timeout` passes.
testing::AssertionResult Eventually(const std::function<bool()>& condition,
                                    std::chrono::milliseconds timeout, const std::string& what);

}  // namespace taskbounds

#endif  // TESTS_SUPPORT_WAIT_H_
