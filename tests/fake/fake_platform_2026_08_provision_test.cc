// The fake's 2026-08 profile, provisioning side (platform-api-2026-08.md sections 1, 7, 8):
// fail-closed auth, create's template/runtime/model resolution and 422 codes, failed rows
// left without an id, payload secrets, parent defaulting, sibling names, the tenant guard,
// the per-org rate limit, the admin list and /buildinfo. Every rule over real sockets
// through //client's PlatformClient.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fake/fake_2026_08_fixture.h"

namespace taskbounds {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPlatformModelTemplate[] = R"("template":"claude-code-default")";

std::string Body(const std::string& name, const std::string& fields) {
  return R"({"name":")" + name + R"(","role":"r","tier":2)" + (fields.empty() ? "" : ",") + fields +
         "}";
}

using Fake2026_08AuthTest = Fake2026_08Test;

TEST_F(Fake2026_08AuthTest, EveryAdminRouteFailsClosedWithoutOrWithAWrongBearer) {
  std::string pm;
  ASSERT_TRUE(Created(Body("PM", kPlatformModelTemplate), &pm));
  PlatformClient anonymous(ClientFor(*fake_));
  PlatformClient wrong(ClientFor(*fake_, "not-the-admin-token"));
  const std::string decide = "/workspaces/" + pm + "/approvals/x/decide";
  for (const auto& [method, path] :
       std::vector<std::pair<std::string, std::string>>{{"POST", "/workspaces"},
                                                        {"GET", "/workspaces"},
                                                        {"DELETE", "/workspaces/" + pm},
                                                        {"POST", decide}}) {
    const std::string body = method == "POST" ? Body("X", kPlatformModelTemplate) : "";
    EXPECT_TRUE(IsFlatError(anonymous.Send(method, path, body), 401, "admin auth required"));
    EXPECT_TRUE(IsFlatError(wrong.Send(method, path, body), 401, "invalid admin auth token"));
  }
  EXPECT_EQ(fake_->backend().LiveWorkspaceIds().size(), 1u) << "no refused create made a row";
}

TEST_F(Fake2026_08AuthTest, NoAdminTokenIsNoDevModeOn2026_08ButIsOn2026_04) {
  FakePlatformOptions options = Options();
  options.admin_token.clear();
  ASSERT_NO_FATAL_FAILURE(StartWith(options));
  EXPECT_TRUE(IsFlatError(Create(Body("PM", kPlatformModelTemplate)), 401, "admin auth required"));
  PlatformClient any(ClientFor(*fake_, "anything"));
  EXPECT_TRUE(IsFlatError(any.Send("POST", "/workspaces", Body("PM", kPlatformModelTemplate)), 401,
                          "invalid admin auth token"));
  EXPECT_TRUE(fake_->backend().LiveWorkspaceIds().empty());

  options.platform_version = PlatformVersion::k2026_04;  // dev mode: the same create passes
  ASSERT_NO_FATAL_FAILURE(StartWith(options));
  EXPECT_EQ(Create(Body("PM", kPlatformModelTemplate)).http_status, 201);
  ASSERT_EQ(fake_->backend().LiveWorkspaceIds().size(), 1u);
  ASSERT_TRUE(client_->DeleteWorkspace(fake_->backend().LiveWorkspaceIds()[0], true).ok());
}

TEST_F(Fake2026_08AuthTest, The201CarriesAWorkspaceTokenThatIsNotAnAdminToken) {
  std::string pm;
  rapidjson::Document reply;
  ASSERT_TRUE(Created(Body("PM", kPlatformModelTemplate), &pm, &reply));
  ASSERT_TRUE(HasMembers(reply, {"id", "status", "workspace_access", "auth_token"}));
  EXPECT_TRUE(LacksMembers(reply, {"awareness_namespace"}));
  EXPECT_STREQ(reply["status"].GetString(), "provisioning");
  const std::string token = reply["auth_token"].GetString();
  ASSERT_FALSE(token.empty());
  PlatformClient as_workspace(ClientFor(*fake_, token));
  EXPECT_EQ(as_workspace.Send("GET", "/workspaces/" + pm + "/model", "").http_status, 200)
      << "the token passes WorkspaceAuth";
  EXPECT_TRUE(
      IsFlatError(as_workspace.Send("GET", "/workspaces", ""), 401, "invalid admin auth token"))
      << "with ADMIN_TOKEN set a workspace token is no admin";
}

using Fake2026_08CreateTest = Fake2026_08Test;

TEST_F(Fake2026_08CreateTest, LanggraphIsGoneAsTemplateAndAsRuntime) {
  const HttpExchange by_template = Create(Body("Researcher", R"("template":"langgraph")"));
  EXPECT_TRUE(IsCoded(by_template, 422, "RUNTIME_UNRESOLVED"));
  const HttpExchange by_runtime =
      Create(Body("Researcher", R"("runtime":"langgraph","model":"minimax/MiniMax-M2.7")"));
  EXPECT_TRUE(IsCoded(by_runtime, 422, "RUNTIME_UNSUPPORTED"));
  EXPECT_THAT(by_runtime.body, HasSubstr(R"("error":"unsupported workspace runtime")"));
  EXPECT_THAT(by_runtime.body, HasSubstr(R"("runtime":"langgraph")"));
  EXPECT_TRUE(fake_->backend().LiveWorkspaceIds().empty()) << "refused before any row";
}

// H/workspace.go:495-497 and :527-539: external:true without a runtime is runtime external
// (no model needed); with another runtime, from a template or named, 422.
TEST_F(Fake2026_08CreateTest, ExternalTrueIsAnExternalWorkspaceAndRefusesAnotherRuntime) {
  std::string id;
  ASSERT_TRUE(Created(Body("Anchor", R"("external":true)"), &id));
  EXPECT_STREQ(Read(id)["runtime"].GetString(), "external");
  const HttpExchange templated =
      Create(Body("B", R"("external":true,)" + std::string(kPlatformModelTemplate)));
  EXPECT_TRUE(IsCoded(templated, 422, "RUNTIME_UNSUPPORTED"));
  EXPECT_THAT(templated.body, HasSubstr(R"("runtime":"claude-code")"));
  EXPECT_TRUE(IsCoded(Create(Body("C", R"("external":true,"runtime":"hermes")")), 422,
                      "RUNTIME_UNSUPPORTED"));
  EXPECT_EQ(fake_->backend().LiveWorkspaceIds(), std::vector<std::string>{id});
  EXPECT_TRUE(client_->DeleteWorkspace(id, /*confirm=*/false).ok());
}

TEST_F(Fake2026_08CreateTest, ModelIsRequiredRegisteredAndBYOKNeedsItsKeyInThePayload) {
  EXPECT_TRUE(IsCoded(Create(Body("A", "")), 422, "MODEL_REQUIRED")) << "bare: hermes, no model";
  EXPECT_TRUE(IsCoded(Create(Body("A", R"("template":"hermes")")), 422, "MODEL_REQUIRED"));
  EXPECT_TRUE(
      IsCoded(Create(Body("A", R"("template":"claude-code-default","model":"openrouter/x")")), 422,
              "UNREGISTERED_MODEL_FOR_RUNTIME"))
      << "OpenRouter is no claude-code provider";
  EXPECT_TRUE(IsCoded(Create(Body("A", R"("template":"hermes","model":"openrouter/x")")), 422,
                      "MISSING_BYOK_CREDENTIAL"));
  EXPECT_TRUE(fake_->backend().LiveWorkspaceIds().empty());
  std::string id;
  ASSERT_TRUE(Created(Body("A", R"("template":"hermes","model":"openrouter/x",)"
                                R"("secrets":{"OPENROUTER_API_KEY":"sk-or-test-0001"})"),
                      &id));
  EXPECT_EQ(fake_->backend().SecretOf(id, "OPENROUTER_API_KEY"), "sk-or-test-0001");
  EXPECT_EQ(fake_->backend().SecretOf(id, "MODEL"), "openrouter/x");
  EXPECT_STREQ(Read(id)["runtime"].GetString(), "hermes");
}

TEST_F(Fake2026_08CreateTest, AVendorKeyInThePayloadOfAPlatformBilledWorkspaceIs400AndNoRow) {
  const HttpExchange ex =
      Create(Body("PM", R"("template":"claude-code-default","secrets":{"OPENAI_API_KEY":"sk-1"})"));
  EXPECT_EQ(ex.http_status, 400) << ex.body;
  EXPECT_THAT(ex.body, HasSubstr("direct vendor key writes are blocked"));
  EXPECT_THAT(ex.body, HasSubstr(R"("key":"OPENAI_API_KEY")"));
  EXPECT_TRUE(fake_->backend().LiveWorkspaceIds().empty());
}

TEST_F(Fake2026_08CreateTest, EveryMaintainedTemplateCreatesWithItsRuntime) {
  struct Case {
    const char* fields;
    const char* runtime;
  };
  const Case cases[] = {
      {R"("template":"claude-code-default")", "claude-code"},
      {R"("template":"platform-agent")", "claude-code"},
      {R"("template":"hermes","model":"minimax/MiniMax-M2.7")", "hermes"},
      {R"("template":"openclaw","model":"openai/gpt-x","secrets":{"OPENAI_API_KEY":"k"})",
       "openclaw"},
      {R"("template":"codex","model":"openai/gpt-x",)"
       R"("secrets":{"OPENAI_API_KEY":"k","CODEX_AUTH_JSON":"{}"})",
       "codex"},
  };
  for (const Case& c : cases) {
    std::string id;
    ASSERT_TRUE(Created(Body(c.runtime, c.fields), &id));
    EXPECT_STREQ(Read(id)["runtime"].GetString(), c.runtime) << c.fields;
  }
}

// TEMPLATE_UNAVAILABLE and MISSING_REQUIRED_ENV commit the row as failed and answer without
// its id: only the list, searched by name, finds it to delete.
// Without a platform root, so that the list holds the two rows alone.
TEST_F(Fake2026_08SoleRootTest, FailedRowsAreLeftWithoutAnIdAndFoundByNameInTheList) {
  const HttpExchange unavailable = Create(Body("run-x-pm", R"("template":"seo-agent")"));
  EXPECT_TRUE(IsCoded(unavailable, 422, "TEMPLATE_UNAVAILABLE"));
  const HttpExchange missing_env =
      Create(Body("run-x-child",
                  R"("template":"codex","model":"openai/gpt-x","secrets":{"OPENAI_API_KEY":"k"})"));
  EXPECT_TRUE(IsCoded(missing_env, 422, "MISSING_REQUIRED_ENV"));
  EXPECT_THAT(missing_env.body, HasSubstr("CODEX_AUTH_JSON"));
  for (const HttpExchange* ex : {&unavailable, &missing_env}) {
    EXPECT_THAT(ex->body, Not(HasSubstr(R"("id")"))) << ex->body;
  }
  ASSERT_EQ(fake_->backend().LiveWorkspaceIds().size(), 2u) << "both rows exist";

  rapidjson::Document list;
  ASSERT_TRUE(ParseJson(Get("/workspaces").body, &list));
  ASSERT_TRUE(list.IsArray());
  ASSERT_EQ(list.Size(), 2u);
  // Newest first: the second row's omitted parent_id made it a child of the first.
  for (rapidjson::SizeType i = list.Size(); i-- > 0;) {
    const auto& ws = list[i];
    EXPECT_STREQ(ws["status"].GetString(), "failed");
    EXPECT_TRUE(ws["last_sample_error"].IsString()) << ws["name"].GetString();
    const HttpExchange deleted = Delete(ws["id"].GetString(), ws["name"].GetString());
    EXPECT_EQ(deleted.http_status, 200) << deleted.body;
  }
  EXPECT_TRUE(fake_->backend().LiveWorkspaceIds().empty());
}

TEST_F(Fake2026_08SoleRootTest, OmittedParentDefaultsToTheSoleRootAndNamesGetSuffixed) {
  std::string pm;
  std::string first;
  std::string second;
  std::string third;
  ASSERT_TRUE(Created(Body("PM", kPlatformModelTemplate), &pm));
  ASSERT_TRUE(Created(Body("Researcher", kPlatformModelTemplate), &first));
  ASSERT_TRUE(Created(Body("Researcher", kPlatformModelTemplate), &second));
  ASSERT_TRUE(Created(Body("Researcher", kPlatformModelTemplate), &third));
  EXPECT_TRUE(Read(pm)["parent_id"].IsNull()) << "the first workspace is a root";
  EXPECT_EQ(std::string(Read(first)["parent_id"].GetString()), pm) << "under the sole root";
  EXPECT_EQ(NameOf(first), "Researcher");
  EXPECT_EQ(NameOf(second), "Researcher (2)");
  EXPECT_EQ(NameOf(third), "Researcher (3)");
}

TEST_F(Fake2026_08CreateTest, ANamedParentIsValidated) {
  EXPECT_TRUE(IsCoded(Create(Body("C", R"("template":"claude-code-default","parent_id":"nope")")),
                      400, "WORKSPACE_REPARENT_INVALID_PARENT_ID"));
  EXPECT_TRUE(IsCoded(Create(Body("C", R"("template":"claude-code-default",)"
                                       R"("parent_id":"00000000-0000-4000-8000-000000000000")")),
                      422, "WORKSPACE_REPARENT_PARENT_NOT_FOUND"));
  EXPECT_TRUE(fake_->backend().LiveWorkspaceIds().empty());
}

using Fake2026_08TenancyTest = Fake2026_08Test;

TEST_F(Fake2026_08TenancyTest, AMissingOrgHeaderIs400AndAWrongOneAnEmpty404) {
  FakePlatformOptions options = Options();
  options.org_id = "org-2026-08";
  ASSERT_NO_FATAL_FAILURE(StartWith(options));
  PlatformClient no_org(ClientFor(*fake_, kAdminToken2026_08));
  const HttpExchange missing = no_org.Send("GET", "/workspaces", "");
  EXPECT_TRUE(IsCoded(missing, 400, "TENANT_ORG_HEADER_REQUIRED"));
  EXPECT_THAT(missing.body, HasSubstr(R"("required_header":"X-Molecule-Org-Id")"));
  PlatformClient other_org(ClientFor(*fake_, kAdminToken2026_08, "another-org"));
  const HttpExchange wrong = other_org.Send("GET", "/workspaces", "");
  EXPECT_EQ(wrong.http_status, 404);
  EXPECT_EQ(wrong.body, "");
  EXPECT_EQ(no_org.Send("GET", "/buildinfo", "").http_status, 200) << "/buildinfo is exempt";
  EXPECT_EQ(client_->Send("GET", "/workspaces", "").http_status, 200) << "the right org passes";
}

TEST_F(Fake2026_08TenancyTest, OneRateLimitBucketPerOrgElsePerBearer) {
  FakePlatformOptions options = Options();
  options.rate_limit_per_minute = 3;
  options.time_scale = 1;  // the minute must not roll over during the test
  ASSERT_NO_FATAL_FAILURE(StartWith(options));
  // No org header: each bearer is its own bucket, though every request comes from one IP.
  PlatformClient other_bearer(ClientFor(*fake_, "some-other-bearer"));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(client_->Send("GET", "/buildinfo", "").http_status, 200) << i;
    EXPECT_EQ(other_bearer.Send("GET", "/buildinfo", "").http_status, 200) << i;
  }
  EXPECT_EQ(client_->Send("GET", "/buildinfo", "").http_status, 429);
  // One org: one bucket, whoever calls.
  options.org_id = "org-a";
  ASSERT_NO_FATAL_FAILURE(StartWith(options));
  PlatformClient same_org(ClientFor(*fake_, "some-other-bearer", "org-a"));
  EXPECT_EQ(client_->Send("GET", "/buildinfo", "").http_status, 200);
  EXPECT_EQ(same_org.Send("GET", "/buildinfo", "").http_status, 200);
  EXPECT_EQ(client_->Send("GET", "/buildinfo", "").http_status, 200);
  EXPECT_EQ(same_org.Send("GET", "/buildinfo", "").http_status, 429);
}

TEST_F(Fake2026_08TenancyTest, BuildInfoNamesTheGitShaOn2026_08Only) {
  PlatformClient anonymous(ClientFor(*fake_));
  const HttpExchange info = anonymous.Send("GET", "/buildinfo", "");
  ASSERT_EQ(info.http_status, 200) << "no auth";
  EXPECT_EQ(info.body, R"({"git_sha":"aeec8e47"})");
  FakePlatformOptions options = Options();
  options.platform_version = PlatformVersion::k2026_04;
  ASSERT_NO_FATAL_FAILURE(StartWith(options));
  const HttpExchange april = client_->Send("GET", "/buildinfo", "");
  EXPECT_EQ(april.http_status, 404);
  EXPECT_EQ(april.body, "404 page not found");
}

}  // namespace
}  // namespace taskbounds
