// MockPlatformBackend behind the real HTTP server: every call delegates to InMemoryPlatform
// unless a test overrides one interaction.
#include "mocks/mock_platform_backend.h"

#include <memory>
#include <string>

#include "client/platform_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mocks/fake_platform_server.h"
#include "tests/fake/fake_test_util.h"

namespace taskbounds {
namespace {

using ::testing::_;
using ::testing::AnyNumber;
using ::testing::HasSubstr;
using ::testing::NiceMock;
using ::testing::Return;

ClientOptions ClientForServer(const FakePlatformServer& server) {
  ClientOptions options;
  options.base_url = server.url();
  options.request_timeout_ms = 20000;
  return options;
}

TEST(MockPlatformBackendTest, DelegatesEveryCallToTheFakeByDefault) {
  NiceMock<MockPlatformBackend> backend(FastOptions());
  FakePlatformServer server(backend);
  StartResult started = server.Start();
  ASSERT_TRUE(started.ok()) << started.error;
  PlatformClient client(ClientForServer(server));

  std::string pm, child;
  ASSERT_TRUE(CreateOnline(client, "PM", &pm));
  ASSERT_TRUE(CreateOnline(client, "Researcher", &child));
  ASSERT_TRUE(client.PatchParent(child, pm).ok());
  EXPECT_EQ(client.Send("DELETE", "/workspaces/" + pm, "").http_status, 409)
      << "the fake's rules, reached through the mock";
  ASSERT_TRUE(client.DeleteWorkspace(pm, true).ok());
  EXPECT_TRUE(server.LiveWorkspaceIds().empty());
  EXPECT_TRUE(backend.fake().LiveWorkspaceIds().empty());
  server.Stop();
}

TEST(MockPlatformBackendTest, AnExpectationOverridesOneInteractionOnly) {
  NiceMock<MockPlatformBackend> backend(FastOptions());
  // Checked: the harness creates the PM with its documented payload, exactly once.
  EXPECT_CALL(backend, CreateWorkspace(HasSubstr(R"("name":"PM")"))).Times(1);
  EXPECT_CALL(backend, CreateWorkspace(HasSubstr(R"("name":"Researcher")"))).Times(AnyNumber());
  // Scripted: the platform's partial-failure delete (containers failed to stop).
  EXPECT_CALL(backend, DeleteWorkspace(_, true, false))
      .WillOnce(Return(BackendReply::Error(
          500, "workspace marked removed, but 1 stop call(s) failed \xE2\x80\x94 please retry")));
  FakePlatformServer server(backend);  // expectations are set before any handler thread runs
  StartResult started = server.Start();
  ASSERT_TRUE(started.ok()) << started.error;
  PlatformClient client(ClientForServer(server));

  auto pm = client.CreateWorkspace({"PM", "Coordinator", 2, "claude-code-default"});
  ASSERT_TRUE(pm.ok()) << pm.error;
  EXPECT_TRUE(IsLowerCaseUuid(pm.value->id)) << "the default action is the real fake";
  auto deleted = client.DeleteWorkspace(pm.value->id, true);
  EXPECT_FALSE(deleted.ok());
  EXPECT_EQ(deleted.exchange.http_status, 500);
  EXPECT_EQ(backend.fake().LiveWorkspaceIds().size(), 1u) << "the fake never saw the delete";
  // Other calls still reach the fake.
  auto got = client.GetWorkspace(pm.value->id);
  ASSERT_TRUE(got.ok()) << got.error;
  EXPECT_EQ(got.value->name, "PM");
  server.Stop();
}

}  // namespace
}  // namespace taskbounds
