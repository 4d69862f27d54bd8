// Shared main for every test binary that does not measure a platform run: process-wide
// set-up (process_setup.h) before any thread starts, then gMock and the tests.
#include <iostream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/process_setup.h"

int main(int argc, char** argv) {
  const taskbounds::ProcessSetup setup;
  if (!setup.ok()) {
    std::cerr << "test_main: curl_global_init failed; no test can run\n";
    return 2;
  }
  testing::InitGoogleMock(&argc, argv);
  return RUN_ALL_TESTS();
}
