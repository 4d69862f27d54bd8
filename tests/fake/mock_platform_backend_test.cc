// MockPlatformBackend behind the real HTTP server: every call delegates to InMemoryPlatform
// unless a test overrides one interaction.
#include "mocks/mock_platform_backend.h"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "client/platform_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mocks/fake_platform_server.h"
#include "tests/support/assertions.h"
#include "tests/support/platform_fixture.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

// These tests hold the 2026-04 profile's rules (platform-api.md): open auth in dev mode, the
// langgraph template, a synchronous A2A answer.
constexpr PlatformVersion kProfile = PlatformVersion::k2026_04;

using ::testing::_;
using ::testing::AnyNumber;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Invoke;
using ::testing::NiceMock;
using ::testing::Not;
using ::testing::Pair;
using ::testing::Return;
using ::testing::Throw;

ClientOptions ClientForServer(const FakePlatformServer& server) {
  ClientOptions options;
  options.base_url = server.url();
  options.request_timeout_ms = DefaultWaitMs();
  return options;
}

TEST(MockPlatformBackendTest, DelegatesEveryCallToTheFakeByDefault) {
  NiceMock<MockPlatformBackend> backend(FastOptions(kProfile));
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
  NiceMock<MockPlatformBackend> backend(FastOptions(kProfile));
  // Checked: the harness creates the PM with its documented payload, exactly once.
  EXPECT_CALL(backend, CreateWorkspace(Field(&BackendRequest::body, HasSubstr(R"("name":"PM")"))))
      .Times(1);
  EXPECT_CALL(backend,
              CreateWorkspace(Field(&BackendRequest::body, HasSubstr(R"("name":"Researcher")"))))
      .Times(AnyNumber());
  // Scripted: the platform's partial-failure delete (containers failed to stop).
  EXPECT_CALL(backend, DeleteWorkspace(
                           _, Field(&BackendRequest::query, ElementsAre(Pair("confirm", "true")))))
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

TEST(MockPlatformBackendTest, RegistryRoutesReachTheMockAndDelegateToTheFake) {
  NiceMock<MockPlatformBackend> backend(FastOptions(kProfile));
  EXPECT_CALL(backend, RegistryHeartbeat(Field(&BackendRequest::path, "/registry/heartbeat")))
      .Times(1);
  EXPECT_CALL(backend, RegistryRegister(Field(&BackendRequest::path, "/registry/register")))
      .Times(1);
  FakePlatformServer server(backend);
  StartResult started = server.Start();
  ASSERT_TRUE(started.ok()) << started.error;
  PlatformClient client(ClientForServer(server));
  std::string id;
  ASSERT_TRUE(CreateOnline(client, "PM", &id));

  EXPECT_EQ(client
                .Send("POST", "/registry/heartbeat",
                      R"({"workspace_id":")" + id + R"(","error_rate":0.9})")
                .http_status,
            200);
  EXPECT_EQ(backend.fake().StatusOf(id), "degraded") << "the default action is the real fake";
  EXPECT_EQ(client.Send("POST", "/registry/register", R"({"id":")" + id + R"("})").http_status,
            200);
  EXPECT_EQ(backend.fake().StatusOf(id), "online");
  server.Stop();
}

TEST(MockPlatformBackendTest, AThrowingHandlerBecomesAFlat500AndTheServerCarriesOn) {
  NiceMock<MockPlatformBackend> backend(FastOptions(kProfile));
  EXPECT_CALL(backend, GetWorkspace(_, _))
      .WillOnce(Throw(std::runtime_error("datastore exploded")))
      .WillRepeatedly(Invoke(&backend.fake(), &InMemoryPlatform::GetWorkspace));
  FakePlatformServer server(backend);
  StartResult started = server.Start();
  ASSERT_TRUE(started.ok()) << started.error;
  PlatformClient client(ClientForServer(server));
  const std::string path = "/workspaces/00000000-0000-4000-8000-000000000000";
  EXPECT_TRUE(IsFlatError(client.Send("GET", path, ""), 500,
                          "fake platform handler failed: datastore exploded"));
  EXPECT_TRUE(IsFlatError(client.Send("GET", path, ""), 404, "workspace not found"));
  const std::vector<RecordedRequest> log = server.requests();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_TRUE(log[0].answered);
  EXPECT_EQ(log[0].status, 500);
  server.Stop();
}

TEST(BackendPrintingTest, WhatGMockPrintsNeverHoldsASecret) {
  BackendRequest secret_write;
  secret_write.method = "POST";
  secret_write.path = "/workspaces/5f0c2a9e-8b1d-4c3e-9a7f-1d2e3f4a5b6c/secrets";
  secret_write.body = R"({"key":"OPENROUTER_API_KEY","value":"sk-or-v1-live-value"})";
  secret_write.headers.emplace("Authorization", "Bearer admin-token-value");
  const std::string printed = testing::PrintToString(secret_write);
  EXPECT_THAT(printed, Not(HasSubstr("sk-or-v1")));
  EXPECT_THAT(printed, Not(HasSubstr("admin-token-value")));
  EXPECT_THAT(printed, HasSubstr("withheld"));

  BackendRequest create_with_secrets;
  create_with_secrets.path = "/workspaces";
  create_with_secrets.body = R"({"name":"PM","secrets":{"K":"sk-or-v1-live-value"}})";
  EXPECT_THAT(testing::PrintToString(create_with_secrets), Not(HasSubstr("sk-or-v1")));

  BackendRequest plain;
  plain.path = "/workspaces";
  plain.body = R"({"name":"PM"})";
  EXPECT_THAT(testing::PrintToString(plain), HasSubstr(R"("name":"PM")")) << "others are shown";
}

}  // namespace
}  // namespace taskbounds
