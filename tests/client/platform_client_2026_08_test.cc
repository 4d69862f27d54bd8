// PlatformClient's routes and answers of today's platform (platform-api-2026-08.md sections
// 1-3 and 7) against a real loopback server whose answers each test scripts: the typed
// values and typed refusals a run builds on, and the 2026-04 answers they must still read.
#include <memory>
#include <string>
#include <vector>

#include "client/platform_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/client/raw_http_peer.h"
#include "tests/client/scripted_answers.h"
#include "tests/support/scripted_http_server.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

using ::taskbounds::testing_support::Json;
using ::taskbounds::testing_support::ParseBody;
using ::taskbounds::testing_support::RawConnection;
using ::taskbounds::testing_support::RawHttpPeer;
using ::taskbounds::testing_support::RawResponse;
using ::taskbounds::testing_support::RecordedRequest;
using ::taskbounds::testing_support::ScriptedHttpServer;
using ::taskbounds::testing_support::ScriptedResponse;
using ::taskbounds::testing_support::StringMember;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kId[] = "4b1e2c3d-0000-4000-8000-000000000001";
const std::string kPath = std::string("/workspaces/") + kId;

ScriptedResponse Empty(int status) {
  ScriptedResponse r = Json(status, "");
  r.content_type = "text/plain";
  return r;
}

PlatformErrorKind KindOf(const ApiResult<StatusReply>& r) {
  return r.platform_error ? r.platform_error->kind : PlatformErrorKind::kOther;
}

class PlatformClient2026_08Test : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start());
    ClientOptions o;
    o.base_url = server_.base_url();
    o.admin_token = "admin-token-0123456789";
    o.tenant_id = "tenant-42";
    o.request_timeout_ms = DefaultWaitMs();
    client_ = std::make_unique<PlatformClient>(o);
  }
  void TearDown() override {
    client_.reset();
    server_.Stop();
  }

  std::vector<RecordedRequest> RequestsTo(const std::string& method) const {
    std::vector<RecordedRequest> out;
    for (const RecordedRequest& req : server_.requests()) {
      if (req.method == method) {
        out.push_back(req);
      }
    }
    return out;
  }

  ScriptedHttpServer server_;
  std::unique_ptr<PlatformClient> client_;
};

// --- POST /workspaces (section 1) ---------------------------------------------------------

TEST_F(PlatformClient2026_08Test, CreateSendsTodaysFieldsAndKeepsTheAuthTokenOutOfEvidence) {
  server_.Script("POST", "/workspaces",
                 Json(201, std::string(R"({"id":")") + kId +
                               R"(","status":"provisioning","auth_token":"wst-SECRET-tok-9876"})"));
  WorkspaceSpec spec{"taskbounds-x-pm", "Coordinator", 2, "claude-code-default"};
  spec.runtime = "claude-code";
  spec.model = "minimax/MiniMax-M2.7";
  spec.parent_id = "parent-1";
  spec.secrets = {{"MINIMAX_API_KEY", "sk-value-1234"}};
  const auto r = client_->CreateWorkspace(spec);

  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value->id, kId);
  EXPECT_EQ(r.value->auth_token, "wst-SECRET-tok-9876");
  EXPECT_THAT(r.exchange.body, Not(HasSubstr("wst-SECRET")));
  const auto reqs = server_.requests();
  ASSERT_EQ(reqs.size(), 1u);
  const rapidjson::Document body = ParseBody(reqs[0]);
  EXPECT_EQ(StringMember(body, "template"), "claude-code-default");
  EXPECT_EQ(StringMember(body, "runtime"), "claude-code");
  EXPECT_EQ(StringMember(body, "model"), "minimax/MiniMax-M2.7");
  EXPECT_EQ(StringMember(body, "parent_id"), "parent-1");
  ASSERT_TRUE(body.HasMember("secrets") && body["secrets"].IsObject());
  EXPECT_EQ(StringMember(body["secrets"], "MINIMAX_API_KEY"), "sk-value-1234");
}

TEST_F(PlatformClient2026_08Test, CreateOmitsUnsetFieldsSoA2026_04PlatformSeesTheOldRequest) {
  server_.Script("POST", "/workspaces", Json(201, R"({"id":"ws-1","status":"provisioning"})"));
  const auto r = client_->CreateWorkspace({"PM", "Coordinator", 2, "claude-code-default"});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value->auth_token, "");
  const rapidjson::Document body = ParseBody(server_.requests().at(0));
  EXPECT_EQ(body.MemberCount(), 4u) << server_.requests().at(0).body;
}

TEST_F(PlatformClient2026_08Test, CreateRejectedWithAnAuthTokenNeverShowsIt) {
  // A 201 the client cannot use (status not a string) still carries the secret token.
  server_.Script("POST", "/workspaces",
                 Json(201, R"({"id":"ws-1","status":7,"auth_token":"wst-SECRET-tok-9876"})"));
  const auto r = client_->CreateWorkspace({"PM", "", 2, "claude-code-default"});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error, HasSubstr("status"));
  EXPECT_THAT(r.error, Not(HasSubstr("wst-SECRET")));
  EXPECT_THAT(r.exchange.BodyExcerpt(), Not(HasSubstr("wst-SECRET")));
  EXPECT_EQ(CreatedWorkspaceId(r.exchange), "ws-1");  // still found for the janitor
}

TEST_F(PlatformClient2026_08Test, Create422IsTypedWithItsCodeFirstInTheErrorLine) {
  server_.Script("POST", "/workspaces",
                 Json(422, R"({"error":"template has no runtime","code":"RUNTIME_UNRESOLVED"})"));
  const auto r = client_->CreateWorkspace({"PM", "", 2, "langgraph"});
  ASSERT_FALSE(r.ok());
  ASSERT_TRUE(r.platform_error.has_value());
  EXPECT_EQ(r.platform_error->kind, PlatformErrorKind::kUnprocessable);
  EXPECT_EQ(r.platform_error->code, "RUNTIME_UNRESOLVED");
  EXPECT_EQ(r.error, "POST /workspaces: HTTP 422 RUNTIME_UNRESOLVED: template has no runtime");
}

// --- secrets, model, approvals (section 2) ----------------------------------------------

TEST_F(PlatformClient2026_08Test, SecretWriteAnswered202IsPendingWithItsApprovalId) {
  server_.Script(
      "POST", kPath + "/secrets",
      Json(202, R"({"status":"pending_approval","approval_id":"ap-7","action":"secret_write"})"));
  const auto r = client_->SetSecret(kId, "MINIMAX_API_KEY", "sk-value-1234");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(r.value->pending_approval());
  EXPECT_EQ(r.value->approval_id, "ap-7");
}

TEST_F(PlatformClient2026_08Test, SecretWrite202WithoutAnApprovalIdIsAnError) {
  server_.Script("POST", kPath + "/secrets", Json(202, R"({"status":"pending_approval"})"));
  const auto r = client_->SetSecret(kId, "K", "v");
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.error, HasSubstr("approval_id"));
}

TEST_F(PlatformClient2026_08Test, SecretWriteSavedOn2026_04IsNotPending) {
  server_.Script("POST", kPath + "/secrets", Json(200, R"({"status":"saved"})"));
  const auto r = client_->SetSecret(kId, "OPENROUTER_API_KEY", "sk-or-1234");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_FALSE(r.value->pending_approval());
}

TEST_F(PlatformClient2026_08Test, VendorKeyGuardIsTypedAndNamesTheKeyButNotTheValue) {
  server_.Script("POST", kPath + "/secrets",
                 Json(400, std::string(R"({"error":"direct vendor key writes are blocked for )"
                                       R"(platform-managed workspaces; use the platform model",)"
                                       R"("key":"OPENROUTER_API_KEY","workspace_id":")") +
                               kId + "\"}"));
  const auto r = client_->SetSecret(kId, "OPENROUTER_API_KEY", "sk-or-secret-5678");
  ASSERT_FALSE(r.ok());
  ASSERT_TRUE(r.platform_error.has_value());
  EXPECT_EQ(r.platform_error->kind, PlatformErrorKind::kVendorKeyBlocked);
  EXPECT_EQ(r.platform_error->key, "OPENROUTER_API_KEY");
  EXPECT_THAT(r.error, Not(HasSubstr("sk-or-secret")));
}

TEST_F(PlatformClient2026_08Test, DecideApprovalPostsTheDecisionToTheApprovalsRoute) {
  server_.Script("POST", kPath + "/approvals/ap-7/decide",
                 Json(200, R"({"status":"approved","approval_id":"ap-7"})"));
  const auto r = client_->DecideApproval(kId, "ap-7");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value->status, "approved");
  const rapidjson::Document body = ParseBody(server_.requests().at(0));
  EXPECT_EQ(StringMember(body, "decision"), "approved");
  EXPECT_NE(StringMember(body, "decided_by"), "<absent>");
}

TEST_F(PlatformClient2026_08Test, SetModelPutsTheModelAndTypesAnUnregisteredOne) {
  server_.Script("PUT", kPath + "/model",
                 Json(422, R"({"error":"model not registered for runtime",)"
                           R"("code":"UNREGISTERED_MODEL_FOR_RUNTIME"})"));
  const auto r = client_->SetModel(kId, "no/such-model");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(KindOf(r), PlatformErrorKind::kUnprocessable);
  EXPECT_THAT(r.error, HasSubstr("HTTP 422 UNREGISTERED_MODEL_FOR_RUNTIME"));
  const RecordedRequest req = server_.requests().at(0);
  EXPECT_EQ(req.method, "PUT");
  EXPECT_EQ(StringMember(ParseBody(req), "model"), "no/such-model");
}

TEST_F(PlatformClient2026_08Test, ReparentRefusalsCarryTheirCode) {
  server_.Script(
      "PATCH", kPath,
      Json(403, R"({"error":"infrastructure fields need an admin token",)"
                R"("code":"WORKSPACE_INFRASTRUCTURE_AUTH_REQUIRED","fields":["parent_id"]})"));
  const auto forbidden = client_->PatchParent(kId, "p-1");
  EXPECT_EQ(KindOf(forbidden), PlatformErrorKind::kAuth);
  EXPECT_EQ(forbidden.platform_error->code, "WORKSPACE_INFRASTRUCTURE_AUTH_REQUIRED");

  server_.Script(
      "PATCH", kPath,
      Json(422, R"({"error":"would create a cycle","code":"WORKSPACE_REPARENT_CYCLE"})"));
  const auto cycle = client_->PatchParent(kId, "p-1");
  EXPECT_EQ(KindOf(cycle), PlatformErrorKind::kUnprocessable);
  EXPECT_EQ(cycle.error,
            "PATCH " + kPath + ": HTTP 422 WORKSPACE_REPARENT_CYCLE: would create a cycle");
}

// --- GET /workspaces/{id}, GET /workspaces, GET /buildinfo (sections 3, 8) ---------------

TEST_F(PlatformClient2026_08Test, GetWorkspaceReadsTodaysLivenessFields) {
  server_.Script("GET", kPath,
                 Json(200, std::string(R"({"id":")") + kId +
                               R"j(","name":"PM (2)","status":"online","active_tasks":1,)j"
                               R"("uptime_seconds":42,"last_heartbeat_at":"2026-08-14T10:00:00Z",)"
                               R"("wedged":true,"last_sample_error":"boom\u001b[31m"})"));
  const auto r = client_->GetWorkspace(kId);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value->name, "PM (2)");
  EXPECT_EQ(r.value->active_tasks, 1);
  EXPECT_EQ(r.value->uptime_seconds, 42);
  EXPECT_EQ(r.value->last_heartbeat_at, "2026-08-14T10:00:00Z");
  EXPECT_TRUE(r.value->wedged);
  EXPECT_THAT(r.value->last_sample_error, StartsWith("boom"));
  EXPECT_THAT(r.value->last_sample_error, Not(HasSubstr("\x1b")));
  EXPECT_FALSE(r.value->removed);
}

TEST_F(PlatformClient2026_08Test, GetWorkspace410IsRemovedNotAnError) {
  server_.Script("GET", kPath,
                 Json(410, std::string(R"({"error":"workspace removed","id":")") + kId + "\"}"));
  const auto r = client_->GetWorkspace(kId);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(r.value->removed);
  EXPECT_EQ(r.value->status, "removed");
  EXPECT_EQ(r.value->id, kId);
}

TEST_F(PlatformClient2026_08Test, GetWorkspaceRemovedOn2026_04IsRemovedToo) {
  server_.Script("GET", kPath,
                 Json(200, std::string(R"({"id":")") + kId + R"(","status":"removed"})"));
  const auto r = client_->GetWorkspace(kId);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(r.value->removed);
}

TEST_F(PlatformClient2026_08Test, ListWorkspacesReadsTheBareArray) {
  server_.Script("GET", "/workspaces",
                 Json(200, R"([{"id":"a","name":"taskbounds-x-pm","status":"online",)"
                           R"("uptime_seconds":12},{"id":"b","name":"R","parent_id":"a"}])"));
  const auto r = client_->ListWorkspaces();
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.value->size(), 2u);
  EXPECT_EQ(r.value->at(0).name, "taskbounds-x-pm");
  EXPECT_EQ(r.value->at(0).uptime_seconds, 12);
  EXPECT_EQ(r.value->at(1).parent_id, "a");
}

// 2026-08's kind column marks the org's platform agent; 2026-04's rows have none.
TEST_F(PlatformClient2026_08Test, ListWorkspacesReadsTheKindOfEachRow) {
  server_.Script("GET", "/workspaces",
                 Json(200, R"([{"id":"r","name":"Org Concierge","kind":"platform"},)"
                           R"({"id":"a","name":"PM","kind":"workspace","parent_id":"r"},)"
                           R"({"id":"b","name":"R"}])"));
  const auto r = client_->ListWorkspaces();
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.value->size(), 3u);
  EXPECT_EQ(r.value->at(0).kind, "platform");
  EXPECT_EQ(r.value->at(1).kind, "workspace");
  EXPECT_EQ(r.value->at(2).kind, "");
}

TEST_F(PlatformClient2026_08Test, ListWorkspacesThatIsNotAnArrayIsAnError) {
  server_.Script("GET", "/workspaces", Json(200, R"({"workspaces":[]})"));
  const auto r = client_->ListWorkspaces();
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.error, HasSubstr("not a JSON array"));
}

TEST_F(PlatformClient2026_08Test, BuildInfoReadsTheGitShaOrNoneOn2026_04) {
  server_.Script("GET", "/buildinfo", Json(200, R"({"git_sha":"aeec8e47"})"));
  const auto today = client_->GetBuildInfo();
  ASSERT_TRUE(today.ok()) << today.error;
  EXPECT_EQ(today.value->git_sha, "aeec8e47");

  server_.Script("GET", "/buildinfo", Empty(404));
  const auto april = client_->GetBuildInfo();
  ASSERT_TRUE(april.ok()) << april.error;
  EXPECT_FALSE(april.value->git_sha.has_value());
}

TEST_F(PlatformClient2026_08Test, MissingTenantHeaderIsATypedConfigurationError) {
  server_.Script("GET", kPath,
                 Json(400, R"({"error":"missing tenant routing header",)"
                           R"("code":"TENANT_ORG_HEADER_REQUIRED",)"
                           R"("required_header":"X-Molecule-Org-Id"})"));
  const auto r = client_->GetWorkspace(kId);
  ASSERT_FALSE(r.ok());
  ASSERT_TRUE(r.platform_error.has_value());
  EXPECT_EQ(r.platform_error->kind, PlatformErrorKind::kTenantHeaderRequired);
  EXPECT_THAT(r.error, HasSubstr("set TENANT_ID"));
}

TEST_F(PlatformClient2026_08Test, RateLimitIsRetryLaterWithTheBodysRetryAfter) {
  server_.Script("GET", kPath, Json(429, R"({"error":"rate limit exceeded","retry_after":7})"));
  const auto r = client_->GetWorkspace(kId);
  ASSERT_TRUE(r.platform_error.has_value());
  EXPECT_EQ(r.platform_error->kind, PlatformErrorKind::kRetryLater);
  EXPECT_EQ(r.platform_error->retry_after_secs, 7);
}

TEST_F(PlatformClient2026_08Test, UnavailableIsRetryLaterWithTheRetryAfterHeader) {
  ScriptedResponse busy = Json(503, R"({"error":"restarting"})");
  busy.headers = {{"Retry-After", "3"}};
  server_.Script("DELETE", kPath, busy);
  const auto r = client_->DeleteWorkspace(kId, false);
  EXPECT_EQ(KindOf(r), PlatformErrorKind::kRetryLater);
  EXPECT_EQ(r.platform_error->retry_after_secs, 3);
}

// --- DELETE /workspaces/{id} (section 7) --------------------------------------------------

TEST_F(PlatformClient2026_08Test, DeleteSendsTheGivenConfirmName) {
  server_.Script("DELETE", kPath, Json(200, R"({"status":"removed","cascade_deleted":1})"));
  const auto r = client_->DeleteWorkspace(kId, true, 0, "PM (2)");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value->cascade_deleted, 1);
  EXPECT_FALSE(r.value->already_gone);
  const RecordedRequest req = server_.requests().at(0);
  EXPECT_EQ(req.target, kPath + "?confirm=true");
  EXPECT_EQ(req.Header("X-Confirm-Name"), "PM (2)");
}

TEST_F(PlatformClient2026_08Test, DeleteOfARemovedOrUnknownWorkspaceIsGone) {
  server_.Script("DELETE", kPath, Json(410, R"({"error":"workspace removed"})"));
  const auto removed = client_->DeleteWorkspace(kId, false, 0, "PM");
  ASSERT_TRUE(removed.ok()) << removed.error;
  EXPECT_TRUE(removed.value->already_gone);
  EXPECT_EQ(removed.value->status, "gone");

  server_.Script("DELETE", kPath, Json(404, R"({"error":"workspace not found"})"));
  const auto unknown = client_->DeleteWorkspace(kId, false, 0, "PM");
  ASSERT_TRUE(unknown.ok()) << unknown.error;
  EXPECT_TRUE(unknown.value->already_gone);
}

TEST_F(PlatformClient2026_08Test, DeleteAnsweredWithAnEmpty404IsStillTheTenantGuard) {
  server_.Script("DELETE", kPath, Empty(404));
  const auto r = client_->DeleteWorkspace(kId, false, 0, "PM");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(KindOf(r), PlatformErrorKind::kTenantGuard);
  EXPECT_THAT(r.error, HasSubstr("TENANT_ID"));
}

TEST_F(PlatformClient2026_08Test, ConfirmationRequiredIsAnsweredOnceWithTheReportedName) {
  // Scripted to refuse every time: the client must answer once, then stop and say why.
  server_.Script("DELETE", kPath,
                 Json(400, R"({"error":"destructive_action_requires_confirmation",)"
                           R"j("hint":"send X-Confirm-Name","workspace_name":"PM (2)",)j"
                           R"("active_tasks":0,"child_count":1})"));
  const auto r = client_->DeleteWorkspace(kId, true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(KindOf(r), PlatformErrorKind::kConfirmationRequired);
  EXPECT_EQ(r.platform_error->workspace_name, "PM (2)");
  const auto deletes = RequestsTo("DELETE");
  ASSERT_EQ(deletes.size(), 2u);
  EXPECT_EQ(deletes[0].HeaderCount("X-Confirm-Name"), 0u);
  EXPECT_EQ(deletes[1].Header("X-Confirm-Name"), "PM (2)");
}

TEST(PlatformClient2026_08RawTest, ConfirmationRequiredAnsweredWithTheReportedNameSucceeds) {
  // Two answers in turn, which the scripted server cannot give: each DELETE goes out on a
  // fresh connection, so the connection index says which answer is due.
  RawHttpPeer peer([&peer](RawConnection& c) {
    const auto request = c.ReadRequest(DefaultWait());
    if (!request) {
      return;
    }
    peer.Record(*request);
    c.Write(c.index() == 0
                ? RawResponse(400, R"({"error":"destructive_action_requires_confirmation",)"
                                   R"("workspace_name":"taskbounds-x-pm"})")
                : RawResponse(200, R"({"status":"removed","cascade_deleted":1})"));
  });
  ASSERT_TRUE(peer.Start());
  ClientOptions o;
  o.base_url = peer.base_url();
  o.request_timeout_ms = DefaultWaitMs();
  PlatformClient client(o);
  const auto r = client.DeleteWorkspace(kId, true);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value->cascade_deleted, 1);
  EXPECT_EQ(peer.requests().size(), 2u);
  peer.Stop();
}

TEST_F(PlatformClient2026_08Test, ConfirmationRequiredForTheNameSentIsNotRepeated) {
  server_.Script("DELETE", kPath,
                 Json(400, R"({"error":"destructive_action_requires_confirmation",)"
                           R"("workspace_name":"PM"})"));
  const auto r = client_->DeleteWorkspace(kId, false, 0, "PM");
  EXPECT_EQ(KindOf(r), PlatformErrorKind::kConfirmationRequired);
  EXPECT_EQ(RequestsTo("DELETE").size(), 1u);
}

TEST_F(PlatformClient2026_08Test, ConfirmNameWithALineBreakIsNeverSent) {
  server_.Script("DELETE", kPath,
                 Json(400, R"({"error":"destructive_action_requires_confirmation",)"
                           R"("workspace_name":"PM\r\nX-Injected: 1"})"));
  const auto r = client_->DeleteWorkspace(kId, false);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(RequestsTo("DELETE").size(), 1u);
  EXPECT_THAT(r.error, HasSubstr("line break"));
}

TEST_F(PlatformClient2026_08Test, DeleteByReadNameSendsThePersistedName) {
  server_.Script("GET", kPath,
                 Json(200, std::string(R"({"id":")") + kId +
                               R"j(","name":"taskbounds-x-pm (2)","status":"online"})j"));
  server_.Script("DELETE", kPath, Json(200, R"({"status":"removed","cascade_deleted":0})"));
  const auto r = client_->DeleteWorkspaceByReadName(kId, true);
  ASSERT_TRUE(r.ok()) << r.error;
  const auto deletes = RequestsTo("DELETE");
  ASSERT_EQ(deletes.size(), 1u);
  EXPECT_EQ(deletes[0].Header("X-Confirm-Name"), "taskbounds-x-pm (2)");
}

TEST_F(PlatformClient2026_08Test, DeleteByReadNameOfARemovedWorkspaceSendsNoDelete) {
  server_.Script("GET", kPath, Json(410, R"({"error":"workspace removed"})"));
  const auto r = client_->DeleteWorkspaceByReadName(kId, true);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(r.value->already_gone);
  EXPECT_TRUE(RequestsTo("DELETE").empty());
}

}  // namespace
}  // namespace taskbounds
