// Auth (platform-api.md 2.2), tenancy (2.3) and the rate limiter (1.3) of the fake platform,
// on and off. The project client always sends X-Tenant-Id next to X-Molecule-Org-Id, so the
// "X-Tenant-Id alone" and header checks use a raw httplib client.
#include <chrono>
#include <memory>
#include <string>

#include "client/platform_client.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "mocks/embedded_fake_platform.h"
#include "tests/support/assertions.h"
#include "tests/support/platform_fixture.h"

namespace taskbounds {
namespace {

// These tests hold the 2026-04 profile's rules (platform-api.md): open auth in dev mode, the
// langgraph template, a synchronous A2A answer.
constexpr PlatformVersion kProfile = PlatformVersion::k2026_04;

constexpr char kAdminToken[] = "admin-token-for-tests-0123";
constexpr char kOrgId[] = "org-3f1a";
constexpr char kUnknownId[] = "00000000-0000-4000-8000-000000000000";

std::unique_ptr<httplib::Client> RawClient(const EmbeddedFakePlatform& fake) {
  auto client = std::make_unique<httplib::Client>("127.0.0.1", fake.port());
  client->set_connection_timeout(5);
  client->set_read_timeout(10);
  return client;
}

class AuthTest : public FakePlatformTest {
 protected:
  void SetUp() override {
    FakePlatformOptions options = FastOptions(kProfile);
    options.admin_token = kAdminToken;
    ASSERT_NO_FATAL_FAILURE(Start(options));
    anonymous_ = std::make_unique<PlatformClient>(ClientFor(*fake_));
    wrong_ = std::make_unique<PlatformClient>(ClientFor(*fake_, "not-the-token"));
    admin_ = std::make_unique<PlatformClient>(ClientFor(*fake_, kAdminToken));
    auto created = admin_->CreateWorkspace({"PM", "", 2, "langgraph"});
    ASSERT_TRUE(created.ok()) << created.error;
    id_ = created.value->id;
  }

  std::unique_ptr<PlatformClient> anonymous_, wrong_, admin_;
  std::string id_;
};

TEST_F(AuthTest, AdminAuthGuardsCreateAndDelete) {
  const std::string body = R"({"name":"X"})";
  EXPECT_TRUE(
      IsFlatError(anonymous_->Send("POST", "/workspaces", body), 401, "admin auth required"));
  EXPECT_TRUE(
      IsFlatError(wrong_->Send("POST", "/workspaces", body), 401, "invalid admin auth token"));
  EXPECT_TRUE(IsFlatError(anonymous_->Send("DELETE", "/workspaces/" + id_, ""), 401,
                          "admin auth required"));
  EXPECT_TRUE(IsFlatError(wrong_->Send("DELETE", "/workspaces/" + id_, ""), 401,
                          "invalid admin auth token"));
  EXPECT_EQ(admin_->Send("POST", "/workspaces", body).http_status, 201);
  EXPECT_EQ(admin_->Send("DELETE", "/workspaces/" + id_, "").http_status, 200);
}

TEST_F(AuthTest, OnlyACaseSensitiveBearerPrefixCounts) {
  auto raw = RawClient(*fake_);
  const std::string body = R"({"name":"X"})";
  auto lower = raw->Post("/workspaces", {{"Authorization", std::string("bearer ") + kAdminToken}},
                         body, "application/json");
  ASSERT_TRUE(lower);
  EXPECT_EQ(lower->status, 401);
  EXPECT_EQ(lower->body, R"({"error":"admin auth required"})") << "not a bearer at all";
  auto padded =
      raw->Post("/workspaces", {{"Authorization", std::string("Bearer   ") + kAdminToken + "  "}},
                body, "application/json");
  ASSERT_TRUE(padded);
  EXPECT_EQ(padded->status, 201) << "the token is trimmed";
}

TEST_F(AuthTest, WorkspaceAuthGuardsPatchSecretsAndActivity) {
  const std::string patch = "/workspaces/" + id_;
  const std::string secrets = "/workspaces/" + id_ + "/secrets";
  const std::string activity = "/workspaces/" + id_ + "/activity?limit=5";
  const std::string secret = R"({"key":"K","value":"v"})";
  EXPECT_TRUE(IsFlatError(anonymous_->Send("PATCH", patch, R"({"parent_id":null})"), 401,
                          "missing workspace auth token"));
  EXPECT_TRUE(IsFlatError(wrong_->Send("PATCH", patch, R"({"parent_id":null})"), 401,
                          "invalid workspace auth token"));
  EXPECT_TRUE(
      IsFlatError(anonymous_->Send("POST", secrets, secret), 401, "missing workspace auth token"));
  EXPECT_TRUE(
      IsFlatError(wrong_->Send("PUT", secrets, secret), 401, "invalid workspace auth token"));
  EXPECT_TRUE(
      IsFlatError(anonymous_->Send("GET", activity, ""), 401, "missing workspace auth token"));
  // WorkspaceAuth runs before the id is even parsed.
  EXPECT_TRUE(IsFlatError(anonymous_->Send("PATCH", "/workspaces/junk", "{}"), 401,
                          "missing workspace auth token"));

  EXPECT_EQ(admin_->Send("PATCH", patch, R"({"parent_id":null})").http_status, 200);
  EXPECT_EQ(admin_->Send("POST", secrets, secret).http_status, 200);
  EXPECT_EQ(admin_->Send("GET", activity, "").http_status, 200);
}

TEST_F(AuthTest, ReadsAndA2AAreOpen) {
  EXPECT_EQ(anonymous_->Send("GET", "/workspaces/" + id_, "").http_status, 200);
  EXPECT_EQ(wrong_->Send("GET", "/workspaces/" + id_, "").http_status, 200);
  EXPECT_EQ(anonymous_->Send("GET", "/health", "").http_status, 200);
  // A user call to /a2a has no auth: an unknown workspace is a 404, not a 401.
  EXPECT_TRUE(
      IsFlatError(anonymous_->Send("POST", std::string("/workspaces/") + kUnknownId + "/a2a", "{}"),
                  404, "workspace not found"));
  // A route that does not exist has no middleware to refuse first.
  HttpExchange history = anonymous_->Send("GET", "/workspaces/" + id_ + "/heartbeat-history", "");
  EXPECT_EQ(history.http_status, 404);
  EXPECT_EQ(history.body, "404 page not found");
}

TEST(HeartbeatHistoryAuthTest, TheHypotheticalRouteIsGuardedByWorkspaceAuth) {
  FakePlatformOptions options = FastOptions(kProfile);
  options.admin_token = kAdminToken;
  options.scenario = Scenario::kPlatformCeiling;
  auto fake = StartFake(options);
  ASSERT_NE(fake, nullptr);
  PlatformClient admin(ClientFor(*fake, kAdminToken));
  PlatformClient anonymous(ClientFor(*fake));
  auto created = admin.CreateWorkspace({"PM", "", 2, "langgraph"});
  ASSERT_TRUE(created.ok()) << created.error;
  const std::string path = "/workspaces/" + created.value->id + "/heartbeat-history";
  EXPECT_TRUE(IsFlatError(anonymous.Send("GET", path, ""), 401, "missing workspace auth token"));
  EXPECT_EQ(admin.Send("GET", path, "").http_status, 200);
}

TEST(DevModeTest, WithoutAnAdminTokenEverythingIsOpen) {
  auto fake = StartFake(FastOptions(kProfile));
  ASSERT_NE(fake, nullptr);
  PlatformClient anonymous(ClientFor(*fake));
  PlatformClient any_token(ClientFor(*fake, "whatever"));
  auto created = anonymous.CreateWorkspace({"PM", "", 2, "langgraph"});
  ASSERT_TRUE(created.ok()) << created.error;
  EXPECT_TRUE(any_token.SetSecret(created.value->id, "K", "v").ok());
  EXPECT_TRUE(anonymous.PatchParent(created.value->id, created.value->id).ok());
  EXPECT_TRUE(any_token.DeleteWorkspace(created.value->id, true).ok());
}

TEST(TenancyTest, OrgHeaderMustMatchElseAnEmpty404) {
  FakePlatformOptions options = FastOptions(kProfile);
  options.org_id = kOrgId;
  auto fake = StartFake(options);
  ASSERT_NE(fake, nullptr);
  PlatformClient tenant(ClientFor(*fake, "", kOrgId));
  PlatformClient other(ClientFor(*fake, "", "org-other"));
  PlatformClient none(ClientFor(*fake));

  auto created = tenant.CreateWorkspace({"PM", "", 2, "langgraph"});
  ASSERT_TRUE(created.ok()) << created.error;
  const std::string path = "/workspaces/" + created.value->id;
  EXPECT_EQ(tenant.Send("GET", path, "").http_status, 200);
  for (PlatformClient* outsider : {&other, &none}) {
    for (const auto& [method, route] : std::initializer_list<std::pair<std::string, std::string>>{
             {"GET", path}, {"POST", "/workspaces"}, {"DELETE", path}, {"GET", "/nope"}}) {
      HttpExchange ex = outsider->Send(method, route, method == "POST" ? R"({"name":"X"})" : "");
      EXPECT_EQ(ex.http_status, 404) << method << " " << route;
      EXPECT_EQ(ex.body, "") << "deliberately empty, not 403: " << method << " " << route;
    }
  }
  EXPECT_EQ(none.Send("GET", "/health", "").http_status, 200) << "/health is exempt";

  // X-Tenant-Id means nothing to the platform; X-Molecule-Org-Id is the header.
  auto raw = RawClient(*fake);
  auto tenant_id_only = raw->Get(path.c_str(), {{"X-Tenant-Id", kOrgId}});
  ASSERT_TRUE(tenant_id_only);
  EXPECT_EQ(tenant_id_only->status, 404);
  EXPECT_EQ(tenant_id_only->body, "");
  auto org_only = raw->Get(path.c_str(), {{"X-Molecule-Org-Id", kOrgId}});
  ASSERT_TRUE(org_only);
  EXPECT_EQ(org_only->status, 200);
  auto replay =
      raw->Get(path.c_str(), {{"Fly-Replay-Src", std::string("instance=abc;state=") + kOrgId}});
  ASSERT_TRUE(replay);
  EXPECT_EQ(replay->status, 200) << "Fly.io replays carry the org in state=";
  EXPECT_EQ(fake->backend().LiveWorkspaceIds().size(), 1u) << "no outsider created anything";
}

TEST(TenancyTest, WithoutAnOrgIdTheGuardIsANoOp) {
  auto fake = StartFake(FastOptions(kProfile));
  ASSERT_NE(fake, nullptr);
  PlatformClient stranger(ClientFor(*fake, "", "any-org"));
  EXPECT_TRUE(stranger.CreateWorkspace({"PM", "", 2, "langgraph"}).ok());
}

TEST(RateLimitTest, BudgetSpentGives429WithRetryAfter) {
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 1;  // a real minute: the window cannot roll over mid-test
  options.rate_limit_per_minute = 5;
  auto fake = StartFake(options);
  ASSERT_NE(fake, nullptr);
  auto raw = RawClient(*fake);
  for (int i = 1; i <= 5; ++i) {
    auto res = raw->Get("/health");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << i;
    EXPECT_EQ(res->get_header_value("X-RateLimit-Limit"), "5");
    EXPECT_EQ(res->get_header_value("X-RateLimit-Remaining"), std::to_string(5 - i));
    EXPECT_FALSE(res->get_header_value("X-RateLimit-Reset").empty());
  }
  auto limited = raw->Get("/health");
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 429);
  const std::string retry_after = limited->get_header_value("Retry-After");
  ASSERT_FALSE(retry_after.empty());
  const int retry = std::stoi(retry_after);
  EXPECT_GT(retry, 0);
  EXPECT_LE(retry, 60);
  EXPECT_EQ(limited->body, R"({"error":"rate limit exceeded","retry_after":)" + retry_after + "}");
  EXPECT_EQ(limited->get_header_value("X-RateLimit-Remaining"), "0");

  // The project client sees it as an HTTP 429 with the flat error.
  PlatformClient client(ClientFor(*fake));
  HttpExchange ex = client.Send("GET", "/workspaces/" + std::string(kUnknownId), "");
  EXPECT_EQ(ex.http_status, 429);
}

TEST(RateLimitTest, OffMeansUnlimited) {
  auto fake = StartFake(FastOptions(kProfile));
  ASSERT_NE(fake, nullptr);
  auto raw = RawClient(*fake);
  for (int i = 0; i < 50; ++i) {
    auto res = raw->Get("/health");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("X-RateLimit-Limit"), "unlimited");
  }
}

TEST(SecurityHeadersTest, EveryResponseCarriesThem) {
  auto fake = StartFake(FastOptions(kProfile));
  ASSERT_NE(fake, nullptr);
  auto raw = RawClient(*fake);
  for (const char* path : {"/health", "/nope", "/workspaces/x"}) {
    auto res = raw->Get(path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(res->get_header_value("X-Frame-Options"), "DENY") << path;
  }
}

}  // namespace
}  // namespace taskbounds
