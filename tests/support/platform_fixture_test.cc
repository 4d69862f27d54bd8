// The fixture's leak check: it names what a test left behind and then deletes it with the
// fake's own credentials, so one failing test does not leak into the next (on 2026-08 the
// fake fails closed without its admin token).
#include "tests/support/platform_fixture.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"

namespace taskbounds {
namespace {

class ExpectNoWorkspacesLeftTest : public testing::TestWithParam<PlatformVersion> {};

TEST_P(ExpectNoWorkspacesLeftTest, NamesTheLeftoverThenDeletesIt) {
  auto fake = StartFake(HarnessOptions(GetParam()));
  ASSERT_NE(fake, nullptr);
  PlatformClient client(ClientFor(*fake, kHarnessAdminToken));
  std::string id;
  ASSERT_TRUE(CreateOnline(client, "Leftover", &id, DefaultWait(), kTemplateOnEveryProfile));

  testing::TestPartResultArray failures;
  {
    testing::ScopedFakeTestPartResultReporter reporter(
        testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    ExpectNoWorkspacesLeft(*fake);
  }
  ASSERT_EQ(failures.size(), 1) << "one failure naming the leftover";
  EXPECT_THAT(failures.GetTestPartResult(0).message(), testing::HasSubstr(id));
  EXPECT_THAT(fake->backend().LiveWorkspaceIds(), testing::IsEmpty())
      << "the leftover must be deleted after it is named";
  // The suite's leak measure counts what a test leaves: this one's leftover was made on
  // purpose and is gone now.
  RecordProperty("workspaces_left", static_cast<int>(fake->backend().LiveWorkspaceIds().size()));
}

INSTANTIATE_TEST_SUITE_P(EveryProfile, ExpectNoWorkspacesLeftTest,
                         testing::ValuesIn(AllPlatformVersions()), ProfileParamName);

}  // namespace
}  // namespace taskbounds
