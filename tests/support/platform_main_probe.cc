// Not a test target: a binary built on //tests/support:platform_test_main, which
// platform_test_main_test.cc runs with chosen flags and environment to check what that main
// does before and around the tests.
#include <iostream>

#include "fixtures/platform_environment.h"
#include "gtest/gtest.h"

namespace taskbounds {
namespace {

TEST(PlatformMainProbe, EnvironmentIsInstalledByMain) {
  const PlatformEnvironment* environment = PlatformEnvironment::Get();
  ASSERT_NE(environment, nullptr) << "main() did not install the PlatformEnvironment";
  ASSERT_TRUE(environment->ready()) << environment->error();
  std::cout << "probe: backend=" << BackendName(environment->config()) << "\n";
}

}  // namespace
}  // namespace taskbounds
