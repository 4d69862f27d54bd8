// PlatformClient against a real loopback HTTP server whose answers each test scripts:
// request shape per route, response interpretation, and every failure the platform (or
// the network in front of it) can produce.
#include "client/platform_client.h"

#include <chrono>
#include <cstdlib>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "curl/curl.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "rapidjson/pointer.h"
#include "tests/client/scripted_answers.h"
#include "tests/support/hostile_strings.h"
#include "tests/support/scripted_http_server.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

using ::taskbounds::testing_support::HostileString;
using ::taskbounds::testing_support::Json;
using ::taskbounds::testing_support::ParseBody;
using ::taskbounds::testing_support::RecordedRequest;
using ::taskbounds::testing_support::ScriptedHttpServer;
using ::taskbounds::testing_support::ScriptedResponse;
using ::taskbounds::testing_support::StringMember;
using ::taskbounds::testing_support::Text;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class PlatformClientTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start()); }

  void TearDown() override {
    // The client's kept-alive connection goes first, so the server's worker is free.
    client_.reset();
    server_.Stop();
  }

  ClientOptions Options() const {
    ClientOptions o;
    o.base_url = server_.base_url();
    o.connect_timeout_ms = 5000;
    o.request_timeout_ms = DefaultWaitMs();
    return o;
  }

  PlatformClient& Client() { return Client(Options()); }
  PlatformClient& Client(ClientOptions options) {
    client_ = std::make_unique<PlatformClient>(std::move(options));
    return *client_;
  }

  ClientOptions WithCredentials() const {
    ClientOptions o = Options();
    o.admin_token = "admin-token-0123456789";
    o.tenant_id = "tenant-42";
    return o;
  }

  RecordedRequest OnlyRequest() {
    const auto reqs = server_.requests();
    EXPECT_EQ(reqs.size(), 1u);
    return reqs.empty() ? RecordedRequest{} : reqs.front();
  }

  ScriptedHttpServer server_;
  std::unique_ptr<PlatformClient> client_;
};

// ---------------------------------------------------------------------------------------
// Request shape, route by route.

TEST_F(PlatformClientTest, CreateWorkspaceSendsJsonBodyAndCredentialHeaders) {
  server_.Script("POST", "/workspaces",
                 Json(201, R"({"id":"ws-1","status":"provisioning","workspace_access":"none"})"));
  WorkspaceSpec spec{"PM", "Coordinator", 2, "claude-code-default"};
  const auto r = Client(WithCredentials()).CreateWorkspace(spec);

  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value->id, "ws-1");
  EXPECT_EQ(r.value->status, "provisioning");
  EXPECT_EQ(r.exchange.http_status, 201);

  const RecordedRequest req = OnlyRequest();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/workspaces");
  EXPECT_EQ(req.Header("Authorization"), "Bearer admin-token-0123456789");
  EXPECT_EQ(req.HeaderCount("Authorization"), 1u);
  EXPECT_EQ(req.Header("X-Molecule-Org-Id"), "tenant-42");
  EXPECT_EQ(req.Header("X-Tenant-Id"), "tenant-42");
  EXPECT_EQ(req.Header("Content-Type"), "application/json");
  EXPECT_EQ(req.Header("Accept"), "application/json");

  const rapidjson::Document body = ParseBody(req);
  ASSERT_TRUE(body.IsObject());
  EXPECT_EQ(StringMember(body, "name"), "PM");
  EXPECT_EQ(StringMember(body, "role"), "Coordinator");
  EXPECT_EQ(StringMember(body, "template"), "claude-code-default");
  ASSERT_TRUE(body.HasMember("tier") && body["tier"].IsInt());
  EXPECT_EQ(body["tier"].GetInt(), 2);
  EXPECT_EQ(body.MemberCount(), 4u);
}

TEST_F(PlatformClientTest, NoTokenAndNoTenantMeansNoCredentialHeaders) {
  server_.Script("POST", "/workspaces", Json(201, R"({"id":"ws-1","status":"provisioning"})"));
  const auto r = Client().CreateWorkspace({"Researcher", "r", 2, "langgraph"});
  ASSERT_TRUE(r.ok()) << r.error;

  const RecordedRequest req = OnlyRequest();
  EXPECT_FALSE(req.HasHeader("Authorization"));
  EXPECT_FALSE(req.HasHeader("X-Molecule-Org-Id"));
  EXPECT_FALSE(req.HasHeader("X-Tenant-Id"));
  EXPECT_EQ(req.Header("Content-Type"), "application/json");
}

TEST_F(PlatformClientTest, CreateWorkspaceAccepts200AsWellAs201) {
  server_.Script("POST", "/workspaces", Json(200, R"({"id":"ws-9"})"));
  const auto r = Client().CreateWorkspace({"PM", "", 2, "t"});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value->id, "ws-9");
  EXPECT_EQ(r.value->status, "");
}

TEST_F(PlatformClientTest, PatchParentSendsParentIdWithPatchMethod) {
  server_.Script("PATCH", "/workspaces/child-1", Json(200, R"({"status":"updated"})"));
  const auto r = Client(WithCredentials()).PatchParent("child-1", "pm-1");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value->status, "updated");

  const RecordedRequest req = OnlyRequest();
  EXPECT_EQ(req.method, "PATCH");
  EXPECT_EQ(req.target, "/workspaces/child-1");
  EXPECT_EQ(req.Header("Authorization"), "Bearer admin-token-0123456789");
  const rapidjson::Document body = ParseBody(req);
  EXPECT_EQ(StringMember(body, "parent_id"), "pm-1");
  EXPECT_EQ(body.MemberCount(), 1u);
}

TEST_F(PlatformClientTest, SetSecretSendsKeyAndValue) {
  server_.Script("POST", "/workspaces/child-1/secrets",
                 Json(200, R"({"status":"saved","key":"OPENROUTER_API_KEY"})"));
  const auto r = Client().SetSecret("child-1", "OPENROUTER_API_KEY", "sk-or-secret");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value->status, "saved");

  const RecordedRequest req = OnlyRequest();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/workspaces/child-1/secrets");
  const rapidjson::Document body = ParseBody(req);
  EXPECT_EQ(StringMember(body, "key"), "OPENROUTER_API_KEY");
  EXPECT_EQ(StringMember(body, "value"), "sk-or-secret");
}

TEST_F(PlatformClientTest, GetWorkspaceParsesTheFieldsTheSuiteUses) {
  server_.Script("GET", "/workspaces/ws-1",
                 Json(200, R"({"id":"ws-1","name":"PM","role":null,"tier":2,"status":"online",
                     "parent_id":"pm-0","active_tasks":1,"uptime_seconds":42,"agent_card":null})"));
  const auto r = Client().GetWorkspace("ws-1");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value->id, "ws-1");
  EXPECT_EQ(r.value->name, "PM");
  EXPECT_EQ(r.value->status, "online");
  EXPECT_EQ(r.value->parent_id, std::optional<std::string>("pm-0"));
  EXPECT_EQ(r.value->active_tasks, 1);
  EXPECT_EQ(r.value->uptime_seconds, 42);

  const RecordedRequest req = OnlyRequest();
  EXPECT_EQ(req.method, "GET");
  EXPECT_TRUE(req.body.empty());
  EXPECT_FALSE(req.HasHeader("Content-Type"));
  EXPECT_EQ(req.Header("Accept"), "application/json");
}

TEST_F(PlatformClientTest, GetWorkspaceNullParentIsAbsent) {
  server_.Script("GET", "/workspaces/ws-1",
                 Json(200, R"({"id":"ws-1","status":"provisioning","parent_id":null})"));
  const auto r = Client().GetWorkspace("ws-1");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_FALSE(r.value->parent_id.has_value());
  EXPECT_EQ(r.value->active_tasks, 0);
}

TEST_F(PlatformClientTest, WorkspaceIdsAreEscapedInPaths) {
  (void)Client().GetWorkspace("a/b?c=d#e f");
  const RecordedRequest req = OnlyRequest();
  EXPECT_EQ(req.target, "/workspaces/a%2Fb%3Fc%3Dd%23e%20f");
}

TEST_F(PlatformClientTest, SendMessageBodyIsTheUnwrappedMessageSend) {
  server_.Script("POST", "/workspaces/pm-1/a2a",
                 Json(200,
                      R"({"jsonrpc":"2.0","id":"gen-1","result":{"kind":"message","role":"agent",
               "parts":[{"kind":"text","text":"final answer"}]}})"));
  const auto r = Client(WithCredentials()).SendMessage("pm-1", "Research X", DefaultWaitMs());
  ASSERT_TRUE(r.ok()) << r.error;

  const RecordedRequest req = OnlyRequest();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/workspaces/pm-1/a2a");
  EXPECT_EQ(req.Header("Content-Type"), "application/json");
  EXPECT_EQ(req.body, BuildMessageSendBody("Research X"));
  const rapidjson::Document body = ParseBody(req);
  EXPECT_EQ(StringMember(body, "method"), "message/send");
  // The platform wraps an envelope-less body itself and generates the id (platform-api 5.1).
  EXPECT_FALSE(body.HasMember("jsonrpc"));
  EXPECT_FALSE(body.HasMember("id"));
}

TEST(BuildMessageSendBodyTest, ProducesTheExactReferenceShape) {
  EXPECT_EQ(BuildMessageSendBody("hi"),
            R"({"method":"message/send","params":{"message":{"role":"user","parts":[)"
            R"({"type":"text","text":"hi"}]}}})");
}

TEST_F(PlatformClientTest, HeartbeatHistoryPlainText404MeansUnavailable) {
  // Unscripted: the server answers like Gin, text/plain "404 page not found".
  const auto r = Client().GetHeartbeatHistory("pm-1", 600);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_FALSE(r.value->available);
  EXPECT_TRUE(r.value->entries.empty());
  EXPECT_EQ(r.exchange.http_status, 404);
  EXPECT_EQ(OnlyRequest().target, "/workspaces/pm-1/heartbeat-history?since_secs=600");
}

TEST_F(PlatformClientTest, HeartbeatHistoryEntriesObjectIsParsed) {
  server_.Script("GET", "/workspaces/pm-1/heartbeat-history",
                 Json(200, R"({"entries":[{"ts":"t1","status":"online","event":"heartbeat"},
                                         {"ts":"t2","event":"terminated","extra":5},{}]})"));
  const auto r = Client().GetHeartbeatHistory("pm-1", 60);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(r.value->available);
  ASSERT_EQ(r.value->entries.size(), 3u);
  EXPECT_EQ(r.value->entries[0].ts, "t1");
  EXPECT_EQ(r.value->entries[0].status, "online");
  EXPECT_EQ(r.value->entries[1].event, "terminated");
  EXPECT_EQ(r.value->entries[1].status, "");
}

TEST_F(PlatformClientTest, HeartbeatHistoryBareArrayIsAccepted) {
  server_.Script("GET", "/workspaces/pm-1/heartbeat-history",
                 Json(200, R"([{"ts":"t1","status":"failed"}])"));
  const auto r = Client().GetHeartbeatHistory("pm-1", 60);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(r.value->available);
  ASSERT_EQ(r.value->entries.size(), 1u);
  EXPECT_EQ(r.value->entries[0].status, "failed");
}

TEST_F(PlatformClientTest, HeartbeatHistoryWrongTypesAreErrors) {
  server_.Script("GET", "/workspaces/pm-1/heartbeat-history",
                 Json(200, R"({"entries":[{"ts":17}]})"));
  const auto r = Client().GetHeartbeatHistory("pm-1", 60);
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.error, HasSubstr("entries[0].ts"));
  EXPECT_THAT(r.error, StartsWith("GET /workspaces/pm-1/heartbeat-history?since_secs=60: "));
}

TEST_F(PlatformClientTest, ActivityRowsAreParsedWithNullsAsAbsent) {
  server_.Script("GET", "/workspaces/pm-1/activity",
                 Json(200, R"([{"id":"a1","workspace_id":"pm-1","activity_type":"a2a_receive",
                     "method":"message/send","summary":null,"duration_ms":1234,"status":"ok",
                     "created_at":"2026-04-27T11:36:00Z"},{"id":"a2","duration_ms":null}])"));
  const auto r = Client().GetActivity("pm-1", 50);
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.value->size(), 2u);
  const ActivityRow& row = (*r.value)[0];
  EXPECT_EQ(row.id, "a1");
  EXPECT_EQ(row.activity_type, "a2a_receive");
  EXPECT_EQ(row.method, "message/send");
  EXPECT_EQ(row.summary, "");
  EXPECT_EQ(row.duration_ms, 1234);
  EXPECT_EQ(row.status, "ok");
  EXPECT_EQ(row.created_at, "2026-04-27T11:36:00Z");
  EXPECT_EQ((*r.value)[1].duration_ms, 0);
  EXPECT_EQ(OnlyRequest().target, "/workspaces/pm-1/activity?limit=50");
}

TEST_F(PlatformClientTest, ActivityThatIsNotAnArrayIsAnError) {
  server_.Script("GET", "/workspaces/pm-1/activity", Json(200, R"({"rows":[]})"));
  const auto r = Client().GetActivity("pm-1", 10);
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.error, HasSubstr("not a JSON array"));
}

TEST_F(PlatformClientTest, DeleteWithConfirmSendsQueryAndParsesReply) {
  server_.Script("DELETE", "/workspaces/pm-1",
                 Json(200, R"({"status":"removed","cascade_deleted":1})"));
  const auto r = Client(WithCredentials()).DeleteWorkspace("pm-1", /*confirm=*/true);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value->status, "removed");
  EXPECT_EQ(r.value->cascade_deleted, 1);

  const RecordedRequest req = OnlyRequest();
  EXPECT_EQ(req.method, "DELETE");
  EXPECT_EQ(req.target, "/workspaces/pm-1?confirm=true");
  EXPECT_TRUE(req.body.empty());
  EXPECT_EQ(req.Header("Authorization"), "Bearer admin-token-0123456789");
}

TEST_F(PlatformClientTest, DeleteWithoutConfirmGets409AsAnError) {
  server_.Script("DELETE", "/workspaces/pm-1",
                 Json(409, R"({"status":"confirmation_required","message":"This workspace has )"
                           R"(sub-workspaces.","children_count":1})"));
  const auto r = Client().DeleteWorkspace("pm-1", /*confirm=*/false);
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.error, StartsWith("DELETE /workspaces/pm-1: HTTP 409: "));
  EXPECT_THAT(r.error, HasSubstr("confirmation_required"));
  EXPECT_EQ(OnlyRequest().target, "/workspaces/pm-1");
}

TEST_F(PlatformClientTest, Delete204IsSuccess) {
  ScriptedResponse no_content = Text(204, "", "");
  server_.Script("DELETE", "/workspaces/pm-1", no_content);
  const auto r = Client().DeleteWorkspace("pm-1", true);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value->status, "removed");
}

TEST_F(PlatformClientTest, Delete404IsSuccessReportedAsNotFound) {
  server_.Script("DELETE", "/workspaces/gone", Json(404, R"({"error":"workspace not found"})"));
  const auto r = Client().DeleteWorkspace("gone", true);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value->status, "not_found");
}

TEST_F(PlatformClientTest, Delete404WithEmptyBodyIsTheTenantGuardAndAnError) {
  server_.Script("DELETE", "/workspaces/pm-1", Text(404, "", ""));
  const auto r = Client().DeleteWorkspace("pm-1", true);
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.error, HasSubstr("tenant guard"));
  EXPECT_THAT(r.error, HasSubstr("TENANT_ID"));
}

TEST_F(PlatformClientTest, CreatedIdSurvivesABodyTheClientRejects) {
  server_.Script("POST", "/workspaces", Json(201, R"({"id":"ws-9","status":42})"));
  const auto r = Client().CreateWorkspace({"PM", "r", 2, "t"});
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.error, HasSubstr("'status' is not a string"));
  EXPECT_EQ(CreatedWorkspaceId(r.exchange), std::optional<std::string>("ws-9"));
}

TEST_F(PlatformClientTest, NoCreatedIdInErrorsOrBodiesWithoutOne) {
  server_.Script("POST", "/workspaces", Json(500, R"({"id":"ws-9"})"));
  EXPECT_EQ(CreatedWorkspaceId(Client().CreateWorkspace({"PM", "r", 2, "t"}).exchange),
            std::nullopt);
  server_.Script("POST", "/workspaces", Json(201, R"({"id":""})"));
  EXPECT_EQ(CreatedWorkspaceId(Client().CreateWorkspace({"PM", "r", 2, "t"}).exchange),
            std::nullopt);
}

TEST_F(PlatformClientTest, Delete500IsAnErrorWithThePlatformText) {
  server_.Script("DELETE", "/workspaces/pm-1",
                 Json(500, R"({"error":"workspace marked removed, but 1 stop call(s) failed"})"));
  const auto r = Client().DeleteWorkspace("pm-1", true);
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.error, HasSubstr("HTTP 500"));
  EXPECT_THAT(r.error, HasSubstr("stop call(s) failed"));
}

// One handle serves requests of different methods: nothing of the previous request (the
// PATCH method, the body, Content-Type) may leak into the next.
TEST_F(PlatformClientTest, ReusedHandleCarriesNothingOverBetweenRequests) {
  server_.Script("PATCH", "/workspaces/c", Json(200, R"({"status":"updated"})"));
  server_.Script("GET", "/workspaces/c", Json(200, R"({"id":"c","status":"online"})"));
  server_.Script("DELETE", "/workspaces/c", Json(200, R"({"status":"removed"})"));
  PlatformClient& client = Client();
  ASSERT_TRUE(client.PatchParent("c", "p").ok());
  ASSERT_TRUE(client.GetWorkspace("c").ok());
  ASSERT_TRUE(client.DeleteWorkspace("c", false).ok());
  ASSERT_TRUE(client.GetWorkspace("c").ok());

  const auto reqs = server_.requests();
  ASSERT_EQ(reqs.size(), 4u);
  EXPECT_EQ(reqs[0].method, "PATCH");
  EXPECT_EQ(reqs[1].method, "GET");
  EXPECT_TRUE(reqs[1].body.empty());
  EXPECT_FALSE(reqs[1].HasHeader("Content-Type"));
  EXPECT_EQ(reqs[2].method, "DELETE");
  EXPECT_TRUE(reqs[2].body.empty());
  EXPECT_EQ(reqs[3].method, "GET");
}

TEST_F(PlatformClientTest, TimingsAreReported) {
  server_.Script("GET", "/workspaces/w", Json(200, R"({"id":"w","status":"online"})"));
  const auto r = Client().GetWorkspace("w");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_GT(r.exchange.timings.total_secs, 0.0);
  EXPECT_LE(r.exchange.timings.connect_secs, r.exchange.timings.total_secs);
  EXPECT_LE(r.exchange.timings.starttransfer_secs, r.exchange.timings.total_secs);
}

// ---------------------------------------------------------------------------------------
// Malformed success bodies.

TEST_F(PlatformClientTest, HtmlBodyIsNotJson) {
  server_.Script("POST", "/workspaces", Text(201, "<html><body>\n<h1>Welcome</h1></body></html>"));
  const auto r = Client().CreateWorkspace({"PM", "", 2, "t"});
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.error, StartsWith("POST /workspaces: HTTP 201: response is not JSON"));
  EXPECT_THAT(r.error, HasSubstr("<html><body>\\n<h1>"));
  EXPECT_THAT(r.error, Not(HasSubstr("\n")));
}

TEST_F(PlatformClientTest, TruncatedJsonIsNotJson) {
  server_.Script("POST", "/workspaces", Json(201, R"({"id":"ws-1","sta)"));
  const auto r = Client().CreateWorkspace({"PM", "", 2, "t"});
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.error, HasSubstr("response is not JSON"));
  EXPECT_THAT(r.error, HasSubstr(R"({"id":"ws-1","sta)"));
}

TEST_F(PlatformClientTest, EmptyBodyIsNotJson) {
  server_.Script("POST", "/workspaces", Json(201, ""));
  const auto r = Client().CreateWorkspace({"PM", "", 2, "t"});
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.error, HasSubstr("response is not JSON"));
  EXPECT_THAT(r.error, HasSubstr("(empty body)"));
}

TEST_F(PlatformClientTest, MissingIdIsNamed) {
  server_.Script("POST", "/workspaces", Json(201, R"({"status":"provisioning"})"));
  const auto r = Client().CreateWorkspace({"PM", "", 2, "t"});
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.error, HasSubstr("field 'id' missing or not a string"));
}

TEST_F(PlatformClientTest, NumericIdIsNamed) {
  server_.Script("POST", "/workspaces", Json(201, R"({"id":42,"status":"provisioning"})"));
  const auto r = Client().CreateWorkspace({"PM", "", 2, "t"});
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.error, HasSubstr("field 'id' missing or not a string"));
}

TEST_F(PlatformClientTest, ArrayInsteadOfObjectIsAnError) {
  server_.Script("POST", "/workspaces", Json(201, R"(["id","ws-1"])"));
  const auto r = Client().CreateWorkspace({"PM", "", 2, "t"});
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.error, HasSubstr("not a JSON object"));
}

TEST_F(PlatformClientTest, WrongFieldTypesAreNamed) {
  server_.Script("GET", "/workspaces/w",
                 Json(200, R"({"id":"w","status":"online","active_tasks":"3"})"));
  server_.Script("PATCH", "/workspaces/w", Json(200, R"({"status":true})"));
  PlatformClient& client = Client();
  const auto get = client.GetWorkspace("w");
  EXPECT_FALSE(get.ok());
  EXPECT_THAT(get.error, HasSubstr("field 'active_tasks' is not a number"));
  const auto patch = client.PatchParent("w", "p");
  EXPECT_FALSE(patch.ok());
  EXPECT_THAT(patch.error, HasSubstr("field 'status' missing or not a string"));
}

TEST_F(PlatformClientTest, LongErrorBodiesAreExcerptedToOneShortLine) {
  std::string body = "{\"error\":\"";
  for (int i = 0; i < 1000; ++i) {
    body += "line\n";
  }
  body += "\"}";
  server_.Script("POST", "/workspaces", Text(500, body, "application/json"));
  const auto r = Client().CreateWorkspace({"PM", "", 2, "t"});
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.error, Not(HasSubstr("\n")));
  EXPECT_LE(r.error.size(), std::string("POST /workspaces: HTTP 500: ").size() + 200);
  EXPECT_THAT(r.error, HasSubstr("..."));
}

TEST(HttpExchangeTest, BodyExcerptEscapesControlsAndNeverSplitsUtf8) {
  HttpExchange ex;
  ex.body = std::string("a\tb\x01\x7f", 5);
  EXPECT_EQ(ex.BodyExcerpt(), "a\\tb\\x01\\x7f");

  ex.body.clear();
  for (int i = 0; i < 100; ++i) {
    ex.body += "\xF0\x9F\x98\x80";  // 4-byte emoji
  }
  const std::string excerpt = ex.BodyExcerpt(10);
  // 7 bytes of budget hold one whole emoji (4 bytes), never a partial second one.
  EXPECT_EQ(excerpt, "\xF0\x9F\x98\x80...");
}

// ---------------------------------------------------------------------------------------
// Error statuses carry the platform's text.

struct ErrorStatusCase {
  std::string name;
  int status;
  std::string body;
  std::string expected_text;
};

class PlatformErrorStatusTest : public PlatformClientTest,
                                public ::testing::WithParamInterface<ErrorStatusCase> {};

TEST_P(PlatformErrorStatusTest, ErrorNamesCallStatusAndPlatformText) {
  const ErrorStatusCase& c = GetParam();
  server_.Script("POST", "/workspaces", Json(c.status, c.body));
  const auto r = Client().CreateWorkspace({"PM", "", 2, "t"});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.exchange.http_status, c.status);
  EXPECT_THAT(r.error, StartsWith("POST /workspaces: HTTP " + std::to_string(c.status) + ": "));
  EXPECT_THAT(r.error, HasSubstr(c.expected_text));
}

INSTANTIATE_TEST_SUITE_P(
    Statuses, PlatformErrorStatusTest,
    ::testing::Values(
        ErrorStatusCase{"Unauthorized401", 401, R"({"error":"admin auth required"})",
                        "admin auth required"},
        ErrorStatusCase{"TenantGuard404EmptyBody", 404, "", "(empty body)"},
        ErrorStatusCase{"Conflict409", 409, R"({"status":"confirmation_required"})",
                        "confirmation_required"},
        ErrorStatusCase{"RateLimited429", 429,
                        R"({"error":"rate limit exceeded","retry_after":12})",
                        "rate limit exceeded"},
        ErrorStatusCase{"Internal500", 500, R"({"error":"failed to create workspace"})",
                        "failed to create workspace"},
        ErrorStatusCase{"BadGateway502Html", 502, "<html>502 Bad Gateway</html>",
                        "<html>502 Bad Gateway</html>"},
        ErrorStatusCase{
            "Unavailable503", 503,
            R"({"error":"platform datastore unavailable","code":"platform_unavailable"})",
            "platform datastore unavailable"}),
    [](const ::testing::TestParamInfo<ErrorStatusCase>& info) { return info.param.name; });

TEST_F(PlatformClientTest, RedirectIsReturnedNotFollowed) {
  ScriptedResponse redirect = Json(302, "");
  redirect.headers.push_back({"Location", "/elsewhere"});
  server_.Script("GET", "/workspaces/w", redirect);
  server_.Script("GET", "/elsewhere", Json(200, R"({"id":"w","status":"online"})"));
  const auto r = Client(WithCredentials()).GetWorkspace("w");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.exchange.http_status, 302);
  EXPECT_THAT(r.error, HasSubstr("HTTP 302"));
  // Give a (wrongly) followed redirect time to arrive before counting.
  EXPECT_FALSE(server_.WaitForRequests(2, std::chrono::milliseconds(200)));
  EXPECT_EQ(server_.requests().size(), 1u);
}

// ---------------------------------------------------------------------------------------
// Body cap and transport failures.

TEST_F(PlatformClientTest, BodyOverTheCapAbortsTheTransfer) {
  ClientOptions o = Options();
  o.max_body_bytes = 1024;
  server_.Script("GET", "/workspaces/w", Json(200, std::string(4096, 'x')));
  const auto r = Client(o).GetWorkspace("w");
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.exchange.body_too_large);
  EXPECT_FALSE(r.exchange.transport_ok());
  EXPECT_LE(r.exchange.body.size(), 1024u);
  EXPECT_THAT(r.error, HasSubstr("GET /workspaces/w: "));
  EXPECT_THAT(r.error, HasSubstr("response body exceeds 1024 bytes"));
}

TEST_F(PlatformClientTest, BodyExactlyAtTheCapIsAccepted) {
  ClientOptions o = Options();
  o.max_body_bytes = 1024;
  std::string body = R"({"id":"w","status":"online","pad":")";
  body += std::string(1024 - body.size() - 2, 'p') + "\"}";
  ASSERT_EQ(body.size(), 1024u);
  server_.Script("GET", "/workspaces/w", Json(200, body));
  const auto r = Client(o).GetWorkspace("w");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_FALSE(r.exchange.body_too_large);
}

TEST_F(PlatformClientTest, NineMiBBodyExceedsTheDefaultCap) {
  ClientOptions o = Options();
  ASSERT_EQ(o.max_body_bytes, 8u << 20);
  server_.Script("POST", "/workspaces/pm/a2a", Json(200, std::string(9u << 20, 'x')));
  const auto r = Client(o).SendMessage("pm", "task", DefaultWaitMs());
  ASSERT_TRUE(r.ok());  // A2A: no answer is itself evidence, so a value is set
  EXPECT_EQ(r.value->outcome, A2AOutcome::kNoResponse);
  EXPECT_TRUE(r.exchange.body_too_large);
  EXPECT_THAT(r.error, HasSubstr("response body exceeds 8388608 bytes"));
}

TEST_F(PlatformClientTest, ConnectionRefusedIsATransportError) {
  const int port = testing_support::UnusedLoopbackPort();
  ASSERT_GT(port, 0);
  ClientOptions o = Options();
  o.base_url = "http://127.0.0.1:" + std::to_string(port);
  const auto r = Client(o).CreateWorkspace({"PM", "", 2, "t"});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.exchange.curl_code, CURLE_COULDNT_CONNECT);
  EXPECT_EQ(r.exchange.http_status, 0);
  EXPECT_FALSE(r.exchange.timed_out);
  EXPECT_THAT(r.error, StartsWith("POST /workspaces: "));
  EXPECT_THAT(r.error, HasSubstr(std::to_string(port)));
  EXPECT_THAT(r.error, HasSubstr("total timeout " + std::to_string(DefaultWaitMs()) + " ms"));
}

TEST_F(PlatformClientTest, ServerThatNeverAnswersTimesOut) {
  ScriptedResponse hang;
  hang.hang = true;
  server_.Script("GET", "/workspaces/w", hang);
  ClientOptions o = Options();
  o.request_timeout_ms = 300;
  const auto r = Client(o).GetWorkspace("w");
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.exchange.timed_out);
  EXPECT_EQ(r.exchange.curl_code, CURLE_OPERATION_TIMEDOUT);
  EXPECT_THAT(r.error, HasSubstr("timed out"));
  EXPECT_THAT(r.error, HasSubstr("total timeout 300 ms"));
}

TEST_F(PlatformClientTest, SendMessageUsesItsOwnTimeout) {
  ScriptedResponse hang;
  hang.hang = true;
  server_.Script("POST", "/workspaces/pm/a2a", hang);
  const auto r = Client().SendMessage("pm", "task", 250);  // request_timeout_ms is 20 s
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->outcome, A2AOutcome::kNoResponse);
  EXPECT_TRUE(r.exchange.timed_out);
  EXPECT_THAT(r.error, HasSubstr("total timeout 250 ms"));
}

TEST_F(PlatformClientTest, HeaderValuesWithLineBreaksAreNeverSent) {
  ClientOptions o = WithCredentials();
  o.tenant_id = "t\r\nX-Injected: 1";
  const auto r = Client(o).GetWorkspace("w");
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.exchange.transport_ok());
  EXPECT_THAT(r.error, HasSubstr("line break"));
  EXPECT_FALSE(server_.WaitForRequests(1, std::chrono::milliseconds(100)));
}

// A proxy from the environment must not capture loopback traffic: the proxy here does not
// exist, so the request only succeeds if the client bypasses it.
TEST_F(PlatformClientTest, LoopbackRequestsBypassEnvironmentProxies) {
  const int dead_proxy = testing_support::UnusedLoopbackPort();
  ASSERT_GT(dead_proxy, 0);
  const std::string proxy = "http://127.0.0.1:" + std::to_string(dead_proxy);
  ::setenv("http_proxy", proxy.c_str(), 1);
  ::setenv("HTTP_PROXY", proxy.c_str(), 1);
  server_.Script("GET", "/workspaces/w", Json(200, R"({"id":"w","status":"online"})"));
  const auto r = Client().GetWorkspace("w");
  ::unsetenv("http_proxy");
  ::unsetenv("HTTP_PROXY");
  EXPECT_TRUE(r.ok()) << r.error;
}

// ---------------------------------------------------------------------------------------
// A2A interpretation (platform-api.md section 5).

struct A2ACase {
  std::string name;
  int status;
  std::string body;
  A2AOutcome outcome;
  std::string text;
  std::string error_message;
};

class A2AInterpretationTest : public PlatformClientTest,
                              public ::testing::WithParamInterface<A2ACase> {};

TEST_P(A2AInterpretationTest, ReplyIsClassified) {
  const A2ACase& c = GetParam();
  server_.Script("POST", "/workspaces/pm/a2a", Json(c.status, c.body));
  const auto r = Client().SendMessage("pm", "task", DefaultWaitMs());
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(A2AOutcomeName(r.value->outcome), std::string(A2AOutcomeName(c.outcome)));
  EXPECT_EQ(r.value->text, c.text);
  EXPECT_EQ(r.value->error_message, c.error_message);
}

INSTANTIATE_TEST_SUITE_P(
    Replies, A2AInterpretationTest,
    ::testing::Values(
        A2ACase{"MessageKindText", 200,
                R"({"jsonrpc":"2.0","id":"x","result":{"kind":"message","role":"agent",)"
                R"("parts":[{"kind":"text","text":"the answer"}]}})",
                A2AOutcome::kResult, "the answer", ""},
        A2ACase{"MessageTypeText", 200,
                R"({"jsonrpc":"2.0","id":"x","result":{"parts":[{"type":"text","text":"t2"}]}})",
                A2AOutcome::kResult, "t2", ""},
        A2ACase{"TaskArtifacts", 200,
                R"({"jsonrpc":"2.0","id":"x","result":{"kind":"task","artifacts":[)"
                R"({"parts":[{"kind":"text","text":"part one"}]},)"
                R"({"parts":[{"kind":"data","data":{}},{"kind":"text","text":"part two"}]}]}})",
                A2AOutcome::kResult, "part one\npart two", ""},
        A2ACase{"ResultWithoutText", 200, R"({"jsonrpc":"2.0","id":"x","result":{"parts":[]}})",
                A2AOutcome::kResult, "", ""},
        A2ACase{"AgentError", 200,
                R"({"jsonrpc":"2.0","id":"x","result":{"parts":[{"kind":"text",)"
                R"j("text":"Agent error: task exceeded max_task_duration_seconds (300)"}]}})j",
                A2AOutcome::kAgentError,
                "Agent error: task exceeded max_task_duration_seconds (300)", ""},
        A2ACase{"Queued202", 202,
                R"({"queued":true,"queue_id":"q-1","queue_depth":1,)"
                R"("message":"workspace agent busy — request queued"})",
                A2AOutcome::kQueued, "", "workspace agent busy — request queued"},
        A2ACase{
            "JsonRpcError", 200,
            R"({"jsonrpc":"2.0","id":"x","error":{"code":-32601,"message":"Method not found"}})",
            A2AOutcome::kJsonRpcError, "", "Method not found"},
        A2ACase{"PlatformFlat503", 503,
                R"({"error":"workspace has no URL","status":"provisioning"})",
                A2AOutcome::kPlatformError, "", "workspace has no URL"},
        A2ACase{"PlatformFlat404", 404, R"({"error":"workspace not found"})",
                A2AOutcome::kPlatformError, "", "workspace not found"},
        A2ACase{"ProxyHtml502", 502, "<html>bad gateway</html>", A2AOutcome::kPlatformError, "",
                "<html>bad gateway</html>"},
        A2ACase{"Accepted202NotQueued", 202, R"({"queued":false})", A2AOutcome::kPlatformError, "",
                R"({"queued":false})"}),
    [](const ::testing::TestParamInfo<A2ACase>& info) { return info.param.name; });

TEST_F(PlatformClientTest, A2AJsonRpcErrorKeepsCodeAndEchoedId) {
  server_.Script("POST", "/workspaces/pm/a2a",
                 Json(200, R"({"jsonrpc":"2.0","id":"gen-7","error":{"code":-32601,)"
                           R"("message":"Method not found"}})"));
  const auto r = Client().SendMessage("pm", "task", DefaultWaitMs());
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value->outcome, A2AOutcome::kJsonRpcError);
  EXPECT_EQ(r.value->jsonrpc_error_code, -32601);
  EXPECT_EQ(r.value->jsonrpc_id, "gen-7");
}

TEST_F(PlatformClientTest, A2AQueuedKeepsQueueId) {
  server_.Script("POST", "/workspaces/pm/a2a",
                 Json(202, R"({"queued":true,"queue_id":"q-17","queue_depth":2})"));
  const auto r = Client().SendMessage("pm", "task", DefaultWaitMs());
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value->outcome, A2AOutcome::kQueued);
  EXPECT_EQ(r.value->queue_id, "q-17");
}

TEST_F(PlatformClientTest, A2AUnparseable200IsAnError) {
  server_.Script("POST", "/workspaces/pm/a2a", Text(200, "<html>ok</html>"));
  const auto r = Client().SendMessage("pm", "task", DefaultWaitMs());
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.error, StartsWith("POST /workspaces/pm/a2a: HTTP 200: response is not JSON"));
}

TEST_F(PlatformClientTest, A2AJsonWithoutResultOrErrorIsAnError) {
  server_.Script("POST", "/workspaces/pm/a2a", Json(200, R"({"jsonrpc":"2.0","id":"x"})"));
  const auto r = Client().SendMessage("pm", "task", DefaultWaitMs());
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.error, HasSubstr("neither 'result' nor 'error'"));
}

TEST_F(PlatformClientTest, A2AConnectionRefusedIsNoResponse) {
  const int port = testing_support::UnusedLoopbackPort();
  ASSERT_GT(port, 0);
  ClientOptions o = Options();
  o.base_url = "http://127.0.0.1:" + std::to_string(port);
  const auto r = Client(o).SendMessage("pm", "task", 5000);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->outcome, A2AOutcome::kNoResponse);
  EXPECT_FALSE(r.error.empty());
}

TEST(A2AOutcomeNameTest, EveryOutcomeHasADistinctName) {
  const std::vector<A2AOutcome> all = {A2AOutcome::kResult,        A2AOutcome::kAgentError,
                                       A2AOutcome::kQueued,        A2AOutcome::kJsonRpcError,
                                       A2AOutcome::kPlatformError, A2AOutcome::kNoResponse};
  std::set<std::string> names;
  for (A2AOutcome o : all) {
    names.insert(A2AOutcomeName(o));
  }
  EXPECT_EQ(names.size(), all.size());
  EXPECT_EQ(std::string(A2AOutcomeName(A2AOutcome::kQueued)), "queued");
}

// ---------------------------------------------------------------------------------------
// Hostile values arrive byte-exact.

class HostileValueTest : public PlatformClientTest,
                         public ::testing::WithParamInterface<HostileString> {};

TEST_P(HostileValueTest, SecretValueArrivesByteExact) {
  server_.Script("POST", "/workspaces/c/secrets", Json(200, R"({"status":"saved"})"));
  const auto r = Client().SetSecret("c", "OPENROUTER_API_KEY", GetParam().value);
  ASSERT_TRUE(r.ok()) << r.error;
  const rapidjson::Document body = ParseBody(OnlyRequest());
  ASSERT_TRUE(body.IsObject() && body.HasMember("value") && body["value"].IsString());
  EXPECT_EQ(std::string(body["value"].GetString(), body["value"].GetStringLength()),
            GetParam().value);
  EXPECT_EQ(body.MemberCount(), 2u);
}

TEST_P(HostileValueTest, TaskTextArrivesByteExact) {
  server_.Script("POST", "/workspaces/pm/a2a",
                 Json(200, R"({"result":{"parts":[{"kind":"text","text":"ok"}]}})"));
  const auto r = Client().SendMessage("pm", GetParam().value, DefaultWaitMs());
  ASSERT_TRUE(r.ok()) << r.error;
  const rapidjson::Document body = ParseBody(OnlyRequest());
  ASSERT_TRUE(body.IsObject());
  const rapidjson::Value* parts = rapidjson::Pointer("/params/message/parts").Get(body);
  ASSERT_TRUE(parts != nullptr && parts->IsArray() && parts->Size() == 1u);
  const rapidjson::Value* text = rapidjson::Pointer("/params/message/parts/0/text").Get(body);
  ASSERT_TRUE(text != nullptr && text->IsString());
  EXPECT_EQ(std::string(text->GetString(), text->GetStringLength()), GetParam().value);
  EXPECT_EQ(body.MemberCount(), 2u);  // method, params: nothing injected
}

TEST_P(HostileValueTest, WorkspaceNameArrivesByteExact) {
  server_.Script("POST", "/workspaces", Json(201, R"({"id":"w"})"));
  const auto r = Client().CreateWorkspace({GetParam().value, GetParam().value, 2, "t"});
  ASSERT_TRUE(r.ok()) << r.error;
  const rapidjson::Document body = ParseBody(OnlyRequest());
  EXPECT_EQ(StringMember(body, "name"), GetParam().value);
  EXPECT_EQ(StringMember(body, "role"), GetParam().value);
}

INSTANTIATE_TEST_SUITE_P(Strings, HostileValueTest,
                         ::testing::ValuesIn(testing_support::HostileStrings()),
                         testing_support::HostileStringName);

}  // namespace
}  // namespace taskbounds
