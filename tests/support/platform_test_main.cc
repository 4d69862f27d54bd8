// Main for the test binaries that measure runs through CoordinatorFixture (the depth sweep,
// //tests:live, the janitor scenarios): process set-up, then the PlatformEnvironment
// installed here (googletest's AddGlobalTestEnvironment, not a static initialiser).
//
// --platform_target=live   the binary refuses the embedded fake: with PLATFORM unset every
//                          test fails (never skips, so a nightly job cannot look green).
// --platform_target=any    (default) PLATFORM decides: set -> live, unset -> embedded fake.
// The flag is read and removed before InitGoogleTest, so googletest never sees it.
#include <cstring>
#include <iostream>
#include <string>

#include "fixtures/platform_environment.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/process_setup.h"

namespace {

constexpr char kTargetFlag[] = "--platform_target=";

enum class TargetFlag { kAny, kLive, kInvalid };

// Finds --platform_target=..., removes it from argv, and returns its value (the last one
// given); kInvalid, with `bad` the value, when any was neither live nor any.
TargetFlag TakeTargetFlag(int* argc, char** argv, std::string* bad) {
  TargetFlag target = TargetFlag::kAny;
  int kept = 1;
  for (int i = 1; i < *argc; ++i) {
    if (std::strncmp(argv[i], kTargetFlag, std::strlen(kTargetFlag)) != 0) {
      argv[kept++] = argv[i];
      continue;
    }
    const std::string value = argv[i] + std::strlen(kTargetFlag);
    if (value == "live") {
      target = TargetFlag::kLive;
    } else if (value == "any") {
      target = TargetFlag::kAny;
    } else {
      *bad = value;
    }
  }
  *argc = kept;
  argv[kept] = nullptr;
  return bad->empty() ? target : TargetFlag::kInvalid;
}

}  // namespace

int main(int argc, char** argv) {
  const taskbounds::ProcessSetup setup;
  if (!setup.ok()) {
    std::cerr << "platform_test_main: curl_global_init failed; no test can run\n";
    return 2;
  }
  std::string bad;
  const TargetFlag target = TakeTargetFlag(&argc, argv, &bad);
  if (target == TargetFlag::kInvalid) {
    std::cerr << "platform_test_main: --platform_target=" << bad
              << " is not a target: use live or any\n";
    return 2;
  }
  testing::InitGoogleMock(&argc, argv);
  taskbounds::PlatformEnvironment* environment = taskbounds::PlatformEnvironment::Install();
  if (target == TargetFlag::kLive) {
    environment->RequireLive();
  }
  return RUN_ALL_TESTS();
}
