// The fake platform's faithful behaviours (platform-api.md section 9), one test each,
// through the project's PlatformClient over real loopback sockets.
#include <chrono>
#include <memory>
#include <string>

#include "client/platform_client.h"
#include "gtest/gtest.h"
#include "mocks/embedded_fake_platform.h"
#include "tests/support/assertions.h"
#include "tests/support/platform_fixture.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

// These tests hold the 2026-04 profile's rules (platform-api.md): open auth in dev mode, the
// langgraph template, a synchronous A2A answer.
constexpr PlatformVersion kProfile = PlatformVersion::k2026_04;

class FakePlatformBehaviourTest : public FakePlatformTest {
 protected:
  void SetUp() override { Start(FastOptions(kProfile)); }

  std::string MustCreate(const std::string& name) {
    auto created = client_->CreateWorkspace({name, "", 2, "langgraph"});
    EXPECT_TRUE(created.ok()) << created.error;
    return created.ok() ? created.value->id : "";
  }
};

TEST_F(FakePlatformBehaviourTest, CreateAnswers201WithExactlyTheFourDocumentedFields) {
  HttpExchange ex = client_->Send(
      "POST", "/workspaces",
      R"({"name":"PM","role":"Coordinator","tier":2,"template":"claude-code-default"})");
  ASSERT_EQ(ex.http_status, 201) << ex.body;
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson(ex.body, &doc));
  ASSERT_TRUE(doc.IsObject());
  EXPECT_EQ(doc.MemberCount(), 4u) << ex.body;
  ASSERT_TRUE(doc.HasMember("id") && doc["id"].IsString());
  const std::string id = doc["id"].GetString();
  EXPECT_TRUE(IsLowerCaseUuid(id)) << id;
  EXPECT_STREQ(doc["status"].GetString(), "provisioning");
  EXPECT_EQ(std::string(doc["awareness_namespace"].GetString()), "workspace:" + id);
  EXPECT_STREQ(doc["workspace_access"].GetString(), "none");
}

TEST_F(FakePlatformBehaviourTest, CreateRejectsBadPayloadsWithTheGenericMessages) {
  const std::pair<const char*, const char*> cases[] = {
      {"{not json", "invalid workspace payload"},
      {"[]", "invalid workspace payload"},
      {R"({"role":"no name"})", "invalid workspace payload"},
      {R"({"name":""})", "invalid workspace payload"},
      {R"({"name":"PM","tier":"2"})", "invalid workspace payload"},
      {R"({"name":"PM","tier":2.5})", "invalid workspace payload"},
      {R"({"name":42})", "invalid workspace payload"},
      {R"({"name":"PM","secrets":{"K":1}})", "invalid workspace payload"},
      {R"({"name":"a|b"})", "invalid workspace fields"},
      {R"({"name":"line\nbreak"})", "invalid workspace fields"},
      {R"({"name":"PM","role":"has {braces}"})", "invalid workspace fields"},
      {R"({"name":"PM","template":"../../etc"})", "invalid template"},
      {R"({"name":"PM","workspace_access":"everything"})", "invalid workspace access"},
      {R"({"name":"PM","workspace_dir":"/etc"})", "invalid workspace directory"},
  };
  for (const auto& [body, message] : cases) {
    EXPECT_TRUE(IsFlatError(client_->Send("POST", "/workspaces", body), 400, message)) << body;
  }
  const std::string long_name = R"({"name":")" + std::string(256, 'n') + R"("})";
  EXPECT_TRUE(IsFlatError(client_->Send("POST", "/workspaces", long_name), 400,
                          "invalid workspace fields"));
  // A parent that does not exist fails the insert (foreign key), as on the platform.
  EXPECT_TRUE(IsFlatError(
      client_->Send("POST", "/workspaces",
                    R"({"name":"C","parent_id":"00000000-0000-4000-8000-000000000000"})"),
      500, "failed to create workspace"));
  EXPECT_TRUE(fake_->backend().LiveWorkspaceIds().empty());
}

TEST_F(FakePlatformBehaviourTest, CreateDecodesOnlyTheFirstJsonValueLikeGin) {
  HttpExchange ex = client_->Send("POST", "/workspaces", R"({"name":"PM"} trailing bytes)");
  EXPECT_EQ(ex.http_status, 201) << ex.body;
}

TEST_F(FakePlatformBehaviourTest, GetIsOpenAndReturnsTheDocumentedFields) {
  FakePlatformOptions options = FastOptions(kProfile);
  options.admin_token = "admin-secret-token";
  Start(options);
  PlatformClient admin(ClientFor(*fake_, "admin-secret-token"));
  auto created = admin.CreateWorkspace({"PM", "Coordinator", 2, "claude-code-default"});
  ASSERT_TRUE(created.ok()) << created.error;
  ASSERT_TRUE(WaitForStatus(admin, created.value->id, "online", DefaultWait()));

  // No bearer at all: GET /workspaces/{id} has no auth middleware.
  HttpExchange ex = client_->Send("GET", "/workspaces/" + created.value->id, "");
  ASSERT_EQ(ex.http_status, 200) << ex.body;
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson(ex.body, &doc));
  EXPECT_TRUE(
      HasMembers(doc, {"id", "name", "role", "tier", "status", "url", "parent_id", "agent_card",
                       "active_tasks", "max_concurrent_tasks", "last_error_rate", "uptime_seconds",
                       "runtime", "x", "y", "collapsed", "last_outbound_at"}))
      << ex.body;
  EXPECT_TRUE(LacksMembers(doc, {"current_task", "budget_limit", "workspace_dir", "template",
                                 "created_at", "last_heartbeat_at"}))
      << "should be stripped: " << ex.body;
  EXPECT_STREQ(doc["name"].GetString(), "PM");
  EXPECT_STREQ(doc["role"].GetString(), "Coordinator");
  EXPECT_EQ(doc["tier"].GetInt(), 2);
  EXPECT_STREQ(doc["status"].GetString(), "online");
  EXPECT_STREQ(doc["runtime"].GetString(), "claude-code");
  EXPECT_TRUE(doc["parent_id"].IsNull());
  EXPECT_TRUE(doc["agent_card"].IsObject());
}

TEST_F(FakePlatformBehaviourTest, GetRejectsNonUuidAndUnknownIds) {
  EXPECT_TRUE(
      IsFlatError(client_->Send("GET", "/workspaces/not-a-uuid", ""), 400, "invalid workspace ID"));
  EXPECT_TRUE(
      IsFlatError(client_->Send("GET", "/workspaces/00000000-0000-4000-8000-000000000000", ""), 404,
                  "workspace not found"));
}

TEST_F(FakePlatformBehaviourTest, WorkspaceIsProvisioningUntilTheAgentRegisters) {
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 1;
  options.durations.registration_secs = 3600;  // registration never happens in this test
  Start(options);
  const std::string id = MustCreate("PM");
  auto got = client_->GetWorkspace(id);
  ASSERT_TRUE(got.ok()) << got.error;
  EXPECT_EQ(got.value->status, "provisioning");
  HttpExchange raw = client_->Send("GET", "/workspaces/" + id, "");
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson(raw.body, &doc));
  EXPECT_TRUE(doc["agent_card"].IsNull()) << "no agent card before registration";

  // With a short registration the same workspace shape turns online by itself.
  Start(FastOptions(kProfile));
  const std::string fast = MustCreate("PM");
  EXPECT_TRUE(WaitForStatus(*client_, fast, "online", DefaultWait()));
}

TEST_F(FakePlatformBehaviourTest, StuckProvisioningTurnsFailedAfterTheProvisionTimeout) {
  FakePlatformOptions options = FastOptions(kProfile);
  options.durations.registration_secs = 1e6;
  options.durations.provision_timeout_secs = 10;  // 10 ms wall
  Start(options);
  const std::string id = MustCreate("PM");
  EXPECT_TRUE(WaitForStatus(*client_, id, "failed", DefaultWait()));
}

TEST_F(FakePlatformBehaviourTest, DeletedWorkspaceStaysReadableAsATombstone) {
  const std::string id = MustCreate("PM");
  auto deleted = client_->DeleteWorkspace(id, false);
  ASSERT_TRUE(deleted.ok()) << deleted.error;
  EXPECT_EQ(deleted.value->status, "removed");
  auto got = client_->GetWorkspace(id);
  ASSERT_TRUE(got.ok()) << got.error;
  EXPECT_EQ(got.value->status, "removed");
  EXPECT_TRUE(fake_->backend().LiveWorkspaceIds().empty());
}

TEST_F(FakePlatformBehaviourTest, DeleteAnswers200JsonAndIsIdempotent) {
  const std::string id = MustCreate("PM");
  HttpExchange first = client_->Send("DELETE", "/workspaces/" + id, "");
  EXPECT_EQ(first.http_status, 200);
  EXPECT_EQ(first.body, R"({"status":"removed","cascade_deleted":0})");
  HttpExchange again = client_->Send("DELETE", "/workspaces/" + id, "");
  EXPECT_EQ(again.http_status, 200);
  EXPECT_EQ(again.body, R"({"status":"removed","cascade_deleted":0})");
  HttpExchange unknown =
      client_->Send("DELETE", "/workspaces/00000000-0000-4000-8000-000000000000", "");
  EXPECT_EQ(unknown.http_status, 200) << "never 404 for an unknown UUID";
  EXPECT_EQ(unknown.body, R"({"status":"removed","cascade_deleted":0})");
  EXPECT_TRUE(
      IsFlatError(client_->Send("DELETE", "/workspaces/nope", ""), 400, "invalid workspace ID"));
}

TEST_F(FakePlatformBehaviourTest, DeleteOfAParentWithLiveChildrenNeedsConfirmation) {
  const std::string pm = MustCreate("PM");
  const std::string child = MustCreate("Researcher");
  auto patched = client_->PatchParent(child, pm);
  ASSERT_TRUE(patched.ok()) << patched.error;

  HttpExchange refused = client_->Send("DELETE", "/workspaces/" + pm, "");
  ASSERT_EQ(refused.http_status, 409) << refused.body;
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson(refused.body, &doc));
  EXPECT_STREQ(doc["status"].GetString(), "confirmation_required");
  EXPECT_STREQ(doc["message"].GetString(),
               "This workspace has sub-workspaces. Delete with ?confirm=true to cascade delete.");
  ASSERT_TRUE(doc["children"].IsArray());
  ASSERT_EQ(doc["children"].Size(), 1u);
  EXPECT_EQ(std::string(doc["children"][0]["id"].GetString()), child);
  EXPECT_STREQ(doc["children"][0]["name"].GetString(), "Researcher");
  EXPECT_EQ(doc["children_count"].GetInt(), 1);
  EXPECT_EQ(fake_->backend().LiveWorkspaceIds().size(), 2u) << "a refused delete removes nothing";

  HttpExchange cascade = client_->Send("DELETE", "/workspaces/" + pm + "?confirm=true", "");
  EXPECT_EQ(cascade.http_status, 200);
  EXPECT_EQ(cascade.body, R"({"status":"removed","cascade_deleted":1})");
  auto child_now = client_->GetWorkspace(child);
  ASSERT_TRUE(child_now.ok());
  EXPECT_EQ(child_now.value->status, "removed");
  EXPECT_TRUE(fake_->backend().LiveWorkspaceIds().empty());
}

TEST_F(FakePlatformBehaviourTest, DeletingTheChildFirstLetsTheParentGoWithoutConfirm) {
  const std::string pm = MustCreate("PM");
  const std::string child = MustCreate("Researcher");
  ASSERT_TRUE(client_->PatchParent(child, pm).ok());
  EXPECT_EQ(client_->Send("DELETE", "/workspaces/" + child, "").http_status, 200);
  HttpExchange parent = client_->Send("DELETE", "/workspaces/" + pm, "");
  EXPECT_EQ(parent.http_status, 200) << parent.body;
}

TEST_F(FakePlatformBehaviourTest, PurgedWorkspaceIsGone) {
  const std::string id = MustCreate("PM");
  HttpExchange purged = client_->Send("DELETE", "/workspaces/" + id + "?purge=true", "");
  EXPECT_EQ(purged.body, R"({"status":"purged","cascade_deleted":0})");
  EXPECT_TRUE(
      IsFlatError(client_->Send("GET", "/workspaces/" + id, ""), 404, "workspace not found"));
}

TEST_F(FakePlatformBehaviourTest, PatchParentAnswersUpdatedEvenForAParentThatDoesNotExist) {
  const std::string pm = MustCreate("PM");
  const std::string child = MustCreate("Researcher");
  auto linked = client_->PatchParent(child, pm);
  ASSERT_TRUE(linked.ok()) << linked.error;
  EXPECT_EQ(linked.value->status, "updated");
  auto got = client_->GetWorkspace(child);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got.value->parent_id, pm);

  // The platform's UPDATE fails on the foreign key, is only logged, and still says 200.
  HttpExchange bogus = client_->Send("PATCH", "/workspaces/" + child,
                                     R"({"parent_id":"00000000-0000-4000-8000-000000000000"})");
  EXPECT_EQ(bogus.http_status, 200);
  EXPECT_EQ(bogus.body, R"({"status":"updated"})");
  got = client_->GetWorkspace(child);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got.value->parent_id, pm) << "the failed UPDATE changed nothing";

  EXPECT_TRUE(IsFlatError(client_->Send("PATCH", "/workspaces/" + child, "[1,2]"), 400,
                          "invalid request body"));
  EXPECT_TRUE(IsFlatError(client_->Send("PATCH", "/workspaces/" + child,
                                        R"({"name":")" + std::string(300, 'x') + "\"}"),
                          400, "name must be at most 255 characters"));
  EXPECT_TRUE(IsFlatError(client_->Send("PATCH", "/workspaces/00000000-0000-4000-8000-000000000000",
                                        R"({"parent_id":null})"),
                          404, "workspace not found"));
}

TEST_F(FakePlatformBehaviourTest, SecretIsSavedThenTheWorkspaceRestartsAndComesBack) {
  FakePlatformOptions options = FastOptions(kProfile);
  options.durations.restart_secs = 2000;  // 2 s wall: long enough to see, short to wait out
  Start(options);
  std::string id;
  ASSERT_TRUE(CreateOnline(*client_, "Researcher", &id));

  const std::string value = "sk-or-v1-\"quoted\"\\back\nslash\xE2\x9C\x93";
  auto saved = client_->SetSecret(id, "OPENROUTER_API_KEY", value);
  ASSERT_TRUE(saved.ok()) << saved.error;
  EXPECT_EQ(saved.value->status, "saved");
  EXPECT_EQ(saved.exchange.body, R"({"status":"saved","key":"OPENROUTER_API_KEY"})");
  EXPECT_EQ(fake_->backend().SecretOf(id, "OPENROUTER_API_KEY"), value) << "stored byte-exact";

  HttpExchange during = client_->Send("GET", "/workspaces/" + id, "");
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson(during.body, &doc));
  EXPECT_STREQ(doc["status"].GetString(), "provisioning") << "the secret write restarts it";
  EXPECT_STREQ(doc["url"].GetString(), "") << "a restart clears the URL";
  EXPECT_TRUE(WaitForStatus(*client_, id, "online", DefaultWait()));
}

TEST_F(FakePlatformBehaviourTest, SecretRouteValidatesIdAndBody) {
  const std::string id = MustCreate("Researcher");
  const std::pair<const char*, const char*> bad_bodies[] = {
      {R"({"value":"v"})", "missing key"},          {R"({"key":"K"})", "missing value"},
      {R"({"key":"","value":"v"})", "empty key"},   {R"({"key":"K","value":""})", "empty value"},
      {R"({"key":"K","value":7})", "number value"}, {"not json", "not JSON"},
  };
  for (const auto& [body, what] : bad_bodies) {
    EXPECT_TRUE(IsFlatError(client_->Send("POST", "/workspaces/" + id + "/secrets", body), 400,
                            "invalid request body"))
        << what;
  }
  std::string upper = id;
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  EXPECT_TRUE(IsFlatError(
      client_->Send("POST", "/workspaces/" + upper + "/secrets", R"({"key":"K","value":"v"})"), 400,
      "invalid workspace ID"));
  EXPECT_TRUE(
      IsFlatError(client_->Send("POST", "/workspaces/00000000-0000-4000-8000-000000000000/secrets",
                                R"({"key":"K","value":"v"})"),
                  500, "failed to save secret"));
  HttpExchange put =
      client_->Send("PUT", "/workspaces/" + id + "/secrets", R"({"key":"K","value":"v"})");
  EXPECT_EQ(put.http_status, 200);
  EXPECT_EQ(put.body, R"({"status":"saved","key":"K"})");
}

TEST_F(FakePlatformBehaviourTest, UnknownRoutesAnswerGinsPlainText404) {
  for (const auto& [method, path] : std::initializer_list<std::pair<const char*, const char*>>{
           {"GET", "/nope"},
           {"POST", "/workspaces/x/y/z"},
           {"PUT", "/workspaces/00000000-0000-4000-8000-000000000000"},
           {"GET", "/"}}) {
    HttpExchange ex = client_->Send(method, path, "");
    EXPECT_EQ(ex.http_status, 404) << method << " " << path;
    EXPECT_EQ(ex.body, "404 page not found");
    EXPECT_EQ(ex.content_type, "text/plain");
  }
  HttpExchange health = client_->Send("GET", "/health", "");
  EXPECT_EQ(health.http_status, 200);
  EXPECT_EQ(health.body, R"({"status":"ok"})");
}

TEST_F(FakePlatformBehaviourTest, HeartbeatHistoryDoesNotExistInFaithfulModes) {
  for (Scenario scenario :
       {Scenario::kUnbounded, Scenario::kIdleTimeout, Scenario::kAgentCeiling}) {
    FakePlatformOptions options = FastOptions(kProfile);
    options.scenario = scenario;
    options.admin_token = "tok";  // a missing route has no auth middleware to refuse first
    Start(options);
    PlatformClient admin(ClientFor(*fake_, "tok"));
    auto created = admin.CreateWorkspace({"PM", "", 2, "langgraph"});
    ASSERT_TRUE(created.ok()) << created.error;
    HttpExchange ex = client_->Send(
        "GET", "/workspaces/" + created.value->id + "/heartbeat-history?since_secs=600", "");
    EXPECT_EQ(ex.http_status, 404) << ScenarioName(scenario);
    EXPECT_EQ(ex.body, "404 page not found");
    EXPECT_EQ(ex.content_type, "text/plain");
    auto history = admin.GetHeartbeatHistory(created.value->id, 600);
    ASSERT_TRUE(history.ok()) << history.error;
    EXPECT_FALSE(history.value->available);
  }
}

TEST_F(FakePlatformBehaviourTest, ErrorBodiesAreFlatObjects) {
  // One of each platform-generated error on the harness's routes.
  EXPECT_TRUE(
      IsFlatError(client_->Send("POST", "/workspaces", "{"), 400, "invalid workspace payload"));
  EXPECT_TRUE(IsFlatError(client_->Send("GET", "/workspaces/x", ""), 400, "invalid workspace ID"));
  EXPECT_TRUE(
      IsFlatError(client_->Send("PATCH", "/workspaces/x", "{}"), 400, "invalid workspace ID"));
  EXPECT_TRUE(IsFlatError(client_->Send("POST", "/workspaces/x/secrets", "{}"), 400,
                          "invalid workspace ID"));
  EXPECT_TRUE(IsFlatError(
      client_->Send("POST", "/workspaces/00000000-0000-4000-8000-000000000000/a2a", "{}"), 404,
      "workspace not found"));
  EXPECT_TRUE(IsFlatError(client_->Send("POST", "/workspaces/x/a2a", "{}"), 500, "lookup failed"));
  EXPECT_TRUE(IsFlatError(client_->Send("POST", "/workspaces/x/a2a", "[1]"), 400, "invalid JSON"));
}

TEST_F(FakePlatformBehaviourTest, A2ARewrapsABareRequestWithAPlatformGeneratedId) {
  FakePlatformOptions options = FastOptions(kProfile);
  options.fixed_a2a_latency_ms = 0;
  Start(options);
  std::string id;
  ASSERT_TRUE(CreateOnline(*client_, "PM", &id));

  auto reply = client_->SendMessage(id, "hello", DefaultWaitMs());
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.value->outcome, A2AOutcome::kResult);
  EXPECT_TRUE(IsLowerCaseUuid(reply.value->jsonrpc_id)) << reply.value->jsonrpc_id;
  EXPECT_EQ(reply.exchange.content_type, "application/json");
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson(reply.exchange.body, &doc));
  EXPECT_STREQ(doc["jsonrpc"].GetString(), "2.0");
  EXPECT_STREQ(doc["result"]["kind"].GetString(), "message");
  EXPECT_STREQ(doc["result"]["role"].GetString(), "agent");
  EXPECT_TRUE(IsLowerCaseUuid(doc["result"]["messageId"].GetString()));
  EXPECT_STREQ(doc["result"]["parts"][0]["kind"].GetString(), "text");

  // A caller-supplied envelope keeps its id, string or number.
  HttpExchange own = client_->Send(
      "POST", "/workspaces/" + id + "/a2a",
      R"({"jsonrpc":"2.0","id":"caller-7","method":"message/send","params":{"message":{"role":"user","parts":[{"kind":"text","text":"hi"}]}}})");
  ASSERT_TRUE(ParseJson(own.body, &doc));
  EXPECT_STREQ(doc["id"].GetString(), "caller-7");
  HttpExchange numeric = client_->Send(
      "POST", "/workspaces/" + id + "/a2a",
      R"({"jsonrpc":"2.0","id":42,"method":"message/send","params":{"message":{"parts":[]}}})");
  ASSERT_TRUE(ParseJson(numeric.body, &doc));
  EXPECT_EQ(doc["id"].GetInt(), 42);

  // Unknown methods get the agent SDK's in-band JSON-RPC error with HTTP 200.
  HttpExchange unknown = client_->Send("POST", "/workspaces/" + id + "/a2a",
                                       R"({"method":"tasks/frobnicate","params":{}})");
  EXPECT_EQ(unknown.http_status, 200);
  ASSERT_TRUE(ParseJson(unknown.body, &doc));
  EXPECT_EQ(doc["error"]["code"].GetInt(), -32601);
}

TEST_F(FakePlatformBehaviourTest, EveryA2ACallLogsAnA2AReceiveActivityRow) {
  FakePlatformOptions options = FastOptions(kProfile);
  options.fixed_a2a_latency_ms = 0;
  Start(options);
  std::string id;
  ASSERT_TRUE(CreateOnline(*client_, "PM", &id));
  auto reply = client_->SendMessage(id, "first", DefaultWaitMs());
  ASSERT_TRUE(reply.ok()) << reply.error;
  reply = client_->SendMessage(id, "second", DefaultWaitMs());
  ASSERT_TRUE(reply.ok()) << reply.error;

  auto rows = client_->GetActivity(id, 1);
  ASSERT_TRUE(rows.ok()) << rows.error;
  ASSERT_EQ(rows.value->size(), 1u) << "limit honoured";
  rows = client_->GetActivity(id, 100);
  ASSERT_TRUE(rows.ok()) << rows.error;
  ASSERT_EQ(rows.value->size(), 2u);
  const ActivityRow& newest = rows.value->front();
  EXPECT_EQ(newest.activity_type, "a2a_receive");
  EXPECT_EQ(newest.method, "message/send");
  EXPECT_EQ(newest.status, "ok");
  EXPECT_FALSE(newest.created_at.empty());

  // The row carries the normalised request: the injected envelope id and messageId.
  HttpExchange raw = client_->Send("GET", "/workspaces/" + id + "/activity?limit=1", "");
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson(raw.body, &doc));
  const auto& row = doc[0];
  EXPECT_TRUE(HasMembers(row, {"id", "workspace_id", "activity_type", "source_id", "target_id",
                               "method", "summary", "request_body", "response_body", "tool_trace",
                               "duration_ms", "status", "error_detail", "created_at"}));
  EXPECT_EQ(std::string(row["request_body"]["id"].GetString()), reply.value->jsonrpc_id);
  EXPECT_TRUE(IsLowerCaseUuid(row["request_body"]["params"]["message"]["messageId"].GetString()));
  EXPECT_STREQ(row["request_body"]["params"]["message"]["parts"][0]["text"].GetString(), "second");
}

TEST_F(FakePlatformBehaviourTest, A2ABeforeRegistrationOrDuringRestartIsAPlatformError) {
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 1;
  options.durations.registration_secs = 3600;
  Start(options);
  const std::string id = MustCreate("PM");
  // The provisioner pre-stores the URL, but nothing listens there yet.
  EXPECT_TRUE(IsFlatError(client_->Send("POST", "/workspaces/" + id + "/a2a",
                                        R"({"method":"message/send","params":{}})"),
                          502, "failed to reach workspace agent"));
}

}  // namespace
}  // namespace taskbounds
