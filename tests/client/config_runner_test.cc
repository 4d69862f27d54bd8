// RunConfig's variables for today's platform (platform-api-2026-08.md section 2, the
// runner's contract): templates, model, secret, WAIT_ONLINE_SECS, MODE=saas, VARIANTS and
// TLS trust; each validated before any request with one line naming the variable.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "client/config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/config_env.h"
#include "tests/support/scripted_http_server.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

using ::taskbounds::testing_support::ScriptedHttpServer;
using ::taskbounds::testing_support::ScriptedResponse;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

using ::taskbounds::testing_support::Env;
using ::taskbounds::testing_support::LocalEnv;
using ::taskbounds::testing_support::MustFail;
using ::taskbounds::testing_support::MustLoad;
using ::taskbounds::testing_support::With;

constexpr char kOrgId[] = "123e4567-e89b-12d3-a456-426614174000";

// --- templates, model, secret, wait ---------------------------------------------------

TEST(RunnerConfigTest, DefaultsAreWhatTodaysPlatformMaintains) {
  const RunConfig c = MustLoad(LocalEnv());
  EXPECT_EQ(c.pm_template, "claude-code-default");
  EXPECT_EQ(c.child_template, "claude-code-default");
  EXPECT_EQ(c.model, "");
  EXPECT_EQ(c.wait_online_secs, 180);
  ASSERT_EQ(c.variants.size(), 1u);
  EXPECT_EQ(c.variants[0].name, "ClaudeCodeDefault");
  EXPECT_FALSE(c.saas.enabled);
}

TEST(RunnerConfigTest, TemplatesModelAndWaitAreRead) {
  Env env = With(LocalEnv(), "PM_TEMPLATE", "hermes");
  env = With(env, "CHILD_TEMPLATE", "openclaw");
  env = With(env, "MODEL", "minimax/MiniMax-M2.7");
  env = With(env, "WAIT_ONLINE_SECS", " 30 ");
  const RunConfig c = MustLoad(env);
  EXPECT_EQ(c.pm_template, "hermes");
  EXPECT_EQ(c.child_template, "openclaw");
  EXPECT_EQ(c.model, "minimax/MiniMax-M2.7");
  EXPECT_EQ(c.wait_online_secs, 30);
  EXPECT_EQ(c.variants.at(0).name, "HermesMinimaxMiniMaxM27");
}

TEST(RunnerConfigTest, BadTemplateModelOrWaitNamesTheVariable) {
  EXPECT_THAT(MustFail(With(LocalEnv(), "PM_TEMPLATE", "lang graph")), StartsWith("PM_TEMPLATE="));
  EXPECT_THAT(MustFail(With(LocalEnv(), "CHILD_TEMPLATE", "../x")), StartsWith("CHILD_TEMPLATE="));
  EXPECT_THAT(MustFail(With(LocalEnv(), "MODEL", "a \"b\"")), StartsWith("MODEL="));
  EXPECT_THAT(MustFail(With(LocalEnv(), "WAIT_ONLINE_SECS", "-1")),
              StartsWith("WAIT_ONLINE_SECS="));
}

TEST(RunnerConfigTest, SecretNameAndValueTakePrecedenceOverTheLegacyKeys) {
  Env env = With(LocalEnv(), "SECRET_NAME", "MINIMAX_API_KEY");
  env = With(env, "SECRET_VALUE", "sk-mm-value");
  const RunConfig c = MustLoad(env);
  EXPECT_EQ(c.llm_key_name, "MINIMAX_API_KEY");
  EXPECT_EQ(c.llm_key, "sk-mm-value");
}

TEST(RunnerConfigTest, SecretValueMayComeFromTheVariableSecretNameNames) {
  Env env = With(LocalEnv(), "SECRET_NAME", "MINIMAX_API_KEY");
  env = With(env, "MINIMAX_API_KEY", "sk-from-named");
  const RunConfig c = MustLoad(env);
  EXPECT_EQ(c.llm_key, "sk-from-named");
}

TEST(RunnerConfigTest, SecretNameWithoutAValueOnALivePlatformNamesBothWays) {
  const Env env = {{"PLATFORM", "http://localhost:8080"}, {"SECRET_NAME", "MINIMAX_API_KEY"}};
  EXPECT_EQ(MustFail(env),
            "SECRET_NAME=MINIMAX_API_KEY has no value: set SECRET_VALUE or the variable "
            "MINIMAX_API_KEY");
}

TEST(RunnerConfigTest, BadSecretNameOrControlCharactersAreRefusedWithoutTheValue) {
  EXPECT_THAT(MustFail(With(LocalEnv(), "SECRET_NAME", "1BAD")), StartsWith("SECRET_NAME="));
  Env env = With(LocalEnv(), "SECRET_NAME", "K");
  env = With(env, "SECRET_VALUE", "sk-\x01secret-tail");
  const std::string error = MustFail(env);
  EXPECT_THAT(error, StartsWith("SECRET_VALUE contains control characters"));
  EXPECT_THAT(error, Not(HasSubstr("secret-tail")));
}

TEST(RunnerConfigTest, LegacyKeysStillWorkAsTheSecret) {
  const RunConfig c = MustLoad({{"PLATFORM", "http://localhost:8080"}, {"OPENAI_API_KEY", "sk-o"}});
  EXPECT_EQ(c.llm_key_name, "OPENAI_API_KEY");
  EXPECT_EQ(c.llm_key, "sk-o");
}

// --- VARIANTS ----------------------------------------------------------------------------

TEST(RunnerConfigTest, VariantsAreNamedForTestNames) {
  const RunConfig c =
      MustLoad(With(LocalEnv(), "VARIANTS", "claude-code-default, hermes ,Fast=hermes:x/y:free"));
  ASSERT_EQ(c.variants.size(), 3u);
  EXPECT_EQ(c.variants[0].name, "ClaudeCodeDefault");
  EXPECT_EQ(c.variants[1].name, "Hermes");
  EXPECT_EQ(c.variants[1].template_name, "hermes");
  EXPECT_EQ(c.variants[1].model, "");
  EXPECT_EQ(c.variants[2].name, "Fast");
  EXPECT_EQ(c.variants[2].model, "x/y:free");
}

TEST(RunnerConfigTest, BadVariantsNameTheItem) {
  EXPECT_THAT(MustFail(With(LocalEnv(), "VARIANTS", "hermes,,codex")), StartsWith("VARIANTS: "));
  EXPECT_THAT(MustFail(With(LocalEnv(), "VARIANTS", "hermes,hermes")), HasSubstr("used twice"));
  EXPECT_THAT(MustFail(With(LocalEnv(), "VARIANTS", "My-Name=hermes")),
              HasSubstr("not letters and digits"));
  EXPECT_THAT(MustFail(With(LocalEnv(), "VARIANTS", "hermes:")), StartsWith("VARIANTS: item"));
  // The whole item is quoted, not what is left after its Name= prefix.
  EXPECT_THAT(MustFail(With(LocalEnv(), "VARIANTS", "hermes, a=b=c")),
              StartsWith("VARIANTS: item \"a=b=c\" is not [Name=]template[:model]"));
}

// --- MODE=saas -----------------------------------------------------------------------------

Env SaasEnv() {
  return {{"PLATFORM", "https://tenant.example"},
          {"MODE", "saas"},
          {"ORG_ID", kOrgId},
          {"TENANT_ADMIN_TOKEN", "tenant-admin-token-abcd"},
          {"SECRET_NAME", "K"},
          {"SECRET_VALUE", "v"}};
}

TEST(RunnerConfigTest, SaasWithATenantAdminTokenSendsItAndTheOrgId) {
  const RunConfig c = MustLoad(SaasEnv());
  EXPECT_TRUE(c.saas.enabled);
  EXPECT_EQ(c.tenant_id, kOrgId);
  EXPECT_EQ(c.admin_token, "tenant-admin-token-abcd");
  EXPECT_FALSE(c.saas.needs_token_resolution());
  const ClientOptions o = c.ToClientOptions();
  EXPECT_EQ(o.tenant_id, kOrgId);
}

TEST(RunnerConfigTest, SaasRefusesABadOrgIdSlugOrMissingTokenBeforeAnyRequest) {
  EXPECT_THAT(MustFail(With(SaasEnv(), "ORG_ID", "acme")),
              StartsWith("ORG_ID=\"acme\" is not a UUID"));
  Env slug = SaasEnv();
  slug.erase("TENANT_ADMIN_TOKEN");
  EXPECT_THAT(MustFail(slug), StartsWith("MODE=saas needs TENANT_ADMIN_TOKEN, or ORG_SLUG"));
  EXPECT_THAT(MustFail(With(slug, "ORG_SLUG", "-acme")), StartsWith("ORG_SLUG=\"-acme\""));
  EXPECT_THAT(MustFail(With(slug, "ORG_SLUG", "acme")), HasSubstr("set CP_ADMIN_API_TOKEN"));
  Env cp = With(With(slug, "ORG_SLUG", "acme"), "CP_ADMIN_API_TOKEN", "cp-token");
  EXPECT_THAT(MustFail(With(cp, "CP_API_URL", "http://cp.example")), StartsWith("CP_API_URL="));
  EXPECT_THAT(MustFail(With(SaasEnv(), "MODE", "cloud")), StartsWith("MODE=\"cloud\""));
  Env no_platform = SaasEnv();
  no_platform.erase("PLATFORM");
  EXPECT_THAT(MustFail(no_platform), StartsWith("MODE=saas needs PLATFORM"));
}

TEST(RunnerConfigTest, SaasTokenIsResolvedFromTheControlPlaneAndNeverShown) {
  ScriptedHttpServer cp;
  ASSERT_TRUE(cp.Start());
  ScriptedResponse answer;
  answer.body = R"({"admin_token":"resolved-tenant-token-WXYZ"})";
  cp.Script("GET", "/cp/admin/orgs/acme-co/admin-token", answer);
  Env env = SaasEnv();
  env.erase("TENANT_ADMIN_TOKEN");
  env["ORG_SLUG"] = "acme-co";
  env["CP_ADMIN_API_TOKEN"] = "cp-admin-token-1234";
  env["CP_API_URL"] = cp.base_url();
  RunConfig c = MustLoad(env);
  ASSERT_TRUE(c.saas.needs_token_resolution());
  EXPECT_EQ(c.admin_token, "");

  EXPECT_EQ(ResolveSaasAdminToken(&c, DefaultWaitMs()), "");
  EXPECT_EQ(c.admin_token, "resolved-tenant-token-WXYZ");
  ASSERT_EQ(cp.requests().size(), 1u);
  EXPECT_EQ(cp.requests()[0].Header("Authorization"), "Bearer cp-admin-token-1234");

  answer.body = R"({"token":"x"})";
  cp.Script("GET", "/cp/admin/orgs/acme-co/admin-token", answer);
  const std::string error = ResolveSaasAdminToken(&c, DefaultWaitMs());
  EXPECT_THAT(error, StartsWith("CP_API_URL: GET "));
  EXPECT_THAT(error, HasSubstr("admin_token"));
  cp.Stop();
}

// --- TLS trust -------------------------------------------------------------------------------

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

TEST(RunnerConfigTest, CaBundleVariablesAreCheckedAndCarriedToTheClient) {
  const std::string bundle = TempPath("bundle.pem");
  std::FILE* f = std::fopen(bundle.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs("-----BEGIN CERTIFICATE-----\n", f);
  std::fclose(f);

  const RunConfig file = MustLoad(With(LocalEnv(), "SSL_CERT_FILE", bundle));
  EXPECT_EQ(file.ToClientOptions().ca_file, bundle);
  const RunConfig dir = MustLoad(With(LocalEnv(), "SSL_CERT_DIR", std::getenv("TEST_TMPDIR")));
  EXPECT_EQ(dir.ToClientOptions().ca_path, std::getenv("TEST_TMPDIR"));
  // CURL_CA_BUNDLE wins over both, as in curl's tool.
  Env both = With(With(LocalEnv(), "CURL_CA_BUNDLE", bundle), "SSL_CERT_FILE", "/nonexistent");
  EXPECT_EQ(MustLoad(both).ca_file, bundle);
}

TEST(RunnerConfigTest, TheEmbeddedFakeIgnoresTrustVariables) {
  const RunConfig c = MustLoad({{"SSL_CERT_FILE", "/nonexistent/ca.pem"}});
  EXPECT_TRUE(c.use_embedded_fake);
  EXPECT_EQ(c.ca_file, "");
}

TEST(RunnerConfigTest, MissingOrUnreadableCaBundleIsAOneLineErrorNamingTheVariable) {
  EXPECT_THAT(MustFail(With(LocalEnv(), "SSL_CERT_FILE", "/nonexistent/ca.pem")),
              StartsWith("SSL_CERT_FILE=\"/nonexistent/ca.pem\" cannot be read (No such file"));
  EXPECT_THAT(MustFail(With(LocalEnv(), "CURL_CA_BUNDLE", std::getenv("TEST_TMPDIR"))),
              StartsWith("CURL_CA_BUNDLE="));
  EXPECT_THAT(MustFail(With(LocalEnv(), "SSL_CERT_DIR", "/nonexistent-dir")),
              StartsWith("SSL_CERT_DIR="));
}

}  // namespace
}  // namespace taskbounds
