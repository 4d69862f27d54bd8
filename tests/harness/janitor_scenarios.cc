// Not a test target: a helper that janitor_process_test.cc runs in a subprocess, one
// scenario per --gtest_filter, against a fake platform the parent test owns on either
// profile (PLATFORM=its URL; ADMIN_TOKEN, templates and secret the same on every profile:
// the parent's RunEnvironment). Each scenario ends its run badly on purpose (a failed
// assertion, an exception, exit(), a signal during the A2A wait); the parent then checks
// through the fake that the janitor still deleted both workspaces. Its main
// (//tests/support:platform_test_main) installs the PlatformEnvironment.
#include <cstdlib>
#include <stdexcept>

#include "fixtures/coordinator_fixture.h"
#include "fixtures/platform_environment.h"
#include "gtest/gtest.h"

namespace taskbounds {
namespace {

using JanitorScenario = CoordinatorFixture;

TEST_F(JanitorScenario, AssertionFailsInTheBody) {
  FAIL() << "deliberate failure after SetUp created both workspaces";
}

TEST_F(JanitorScenario, ExceptionEscapesTheBody) {
  // gtest catches this and runs TearDown; with --gtest_catch_exceptions=0 it reaches
  // std::terminate instead, without unwinding.
  throw std::runtime_error("deliberate exception after SetUp created both workspaces");
}

TEST_F(JanitorScenario, ExitInTheBody) {
  std::exit(7);  // no TearDown, no destructors: only the atexit hook can clean up
}

TEST_F(JanitorScenario, SetUpFailsHalfway) {
  ADD_FAILURE() << "not reached: the parent makes the second create fail";
}

TEST_F(JanitorScenario, MeasureUntilSignalled) {
  ASSERT_TRUE(run().Measure()) << report().FirstError();
  ADD_FAILURE() << "the parent was to signal this process during the A2A wait";
}

}  // namespace
}  // namespace taskbounds
