// Waiting in tests: every wait has a deadline and returns a result the caller must check.
#ifndef TESTS_SUPPORT_WAIT_H_
#define TESTS_SUPPORT_WAIT_H_

#include <chrono>
#include <functional>
#include <string>

#include "gtest/gtest.h"

namespace taskbounds {

// Polls `condition` every few milliseconds until it holds or `timeout` passes.
testing::AssertionResult Eventually(const std::function<bool()>& condition,
                                    std::chrono::milliseconds timeout, const std::string& what);

}  // namespace taskbounds

#endif  // TESTS_SUPPORT_WAIT_H_
