#include "tests/support/wait.h"

#include <cstdlib>
#include <string>
#include <thread>

namespace taskbounds {

namespace {

constexpr std::chrono::milliseconds kBaseWait{10000};
constexpr double kMaxSlowdown = 100;

}  // namespace

double SlowdownFactor() {
  const char* raw = std::getenv(kSlowdownVariable);
  if (raw == nullptr || *raw == '\0') {
    return 1;
  }
  char* end = nullptr;
  const double factor = std::strtod(raw, &end);
  // !(a <= b) rather than a > b: NaN fails every comparison.
  if (*end != '\0' || !(factor >= 1) || !(factor <= kMaxSlowdown)) {
    ADD_FAILURE() << kSlowdownVariable << "=" << raw << " is not a number from 1 to "
                  << kMaxSlowdown << ": unset it, or pass e.g. --test_env=" << kSlowdownVariable
                  << "=4";
    return 1;
  }
  return factor;
}

std::chrono::milliseconds DefaultWait() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(kBaseWait * SlowdownFactor());
}

long DefaultWaitMs() { return static_cast<long>(DefaultWait().count()); }

testing::AssertionResult Eventually(const std::function<bool()>& condition,
                                    std::chrono::milliseconds timeout, const std::string& what) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return testing::AssertionFailure()
             << "timed out after " << timeout.count() << " ms waiting for " << what;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return testing::AssertionSuccess();
}

}  // namespace taskbounds
