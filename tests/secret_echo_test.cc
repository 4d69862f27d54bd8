// A platform that echoes the run's secrets back (in an error body, an A2A answer, an activity
// row, a 422 create refusal): over real sockets, //mocks:fake_platform answers with --fault
// bodies holding ADMIN_TOKEN and the LLM key, and neither //tools:measure nor the gtest sweep
// (//tests:coordinator_task_bounds_test pointed at it with PLATFORM) may print them: not on
// stdout, stderr, events.jsonl, run.json, nor in the test XML (properties and failure
// messages). The masked forms (client/secrets.h) must be there instead.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/scripted_http_server.h"
#include "tests/support/subprocess.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

constexpr char kAdminToken[] = "adm-tok-0123456789-SECRET";  // masked ***CRET
constexpr char kLlmKey[] = "sk-or-v1-abc-SECRETKEY99";       // masked ***EY99
constexpr char kOrgId[] = "0b5c1f9e-7a2d-4e3b-9c8f-1d2e3f4a5b6c";

struct EchoCase {
  std::string name;
  std::vector<std::string> faults;  // --fault values; @T@ and @K@ stand for the secrets
  std::string a2a_timeout = "600";  // platform seconds
  // False when the echo reaches only the events (an A2A answer's head): stderr and the XML
  // are then only checked for the secrets' absence.
  bool echo_in_summary = true;
  // MODE=saas: TENANT_ADMIN_TOKEN and ORG_ID instead of ADMIN_TOKEN, and the key as
  // SECRET_NAME + SECRET_VALUE instead of OPENROUTER_API_KEY.
  bool saas = false;
};

std::ostream& operator<<(std::ostream& os, const EchoCase& c) { return os << c.name; }

std::string WithSecrets(std::string text) {
  for (const auto& [marker, secret] : {std::pair<std::string, std::string>{"@T@", kAdminToken},
                                       std::pair<std::string, std::string>{"@K@", kLlmKey}}) {
    for (std::size_t at = text.find(marker); at != std::string::npos; at = text.find(marker)) {
      text.replace(at, marker.size(), secret);
    }
  }
  return text;
}

std::vector<EchoCase> EchoCases() {
  const std::string echo = "Bearer @T@ key=@K@";
  return {
      {"ErrorBody",
       {"POST /workspaces/{id}/a2a:status=500:body={\"error\":\"upstream said " + echo + "\"}"}},
      {"A2AAnswer",
       {"POST /workspaces/{id}/a2a:status=200:body={\"jsonrpc\":\"2.0\",\"id\":\"1\",\"result\":"
        "{\"parts\":[{\"kind\":\"text\",\"text\":\"the agent says " +
        echo + "\"}]}}"},
       "600",
       false},
      // A queued kickoff followed to A2A_TIMEOUT; the PM's rows show a stall watchdog whose
      // summary echoes the secrets, which becomes the verdict's reason.
      {"ActivityRow",
       {"POST /workspaces/{id}/a2a:status=200:body={\"status\":\"queued\",\"queue_id\":\"q1\"}",
        "GET /workspaces/{id}/activity:status=200:body=[{\"id\":\"a1\",\"activity_type\":"
        "\"stall_watchdog\",\"method\":\"x\",\"status\":\"ok\",\"summary\":\"watchdog saw " +
            echo + "\",\"duration_ms\":5,\"created_at\":\"2026-11-30T10:00:00Z\"}]"},
       "20"},
      // The same watchdog as a frame of the PM's event stream (2026-08 section 5).
      {"EventStreamFrame",
       {"POST /workspaces/{id}/a2a:status=200:body={\"status\":\"queued\",\"queue_id\":\"q1\"}",
        "GET /workspaces/{id}/events/stream:status=200:body=data: {\"type\":\"ACTIVITY_LOGGED\","
        "\"timestamp\":\"2026-11-30T10:00:00Z\",\"data\":{\"activity_type\":\"stall_watchdog\","
        "\"status\":\"ok\",\"summary\":\"frame saw " +
            echo + "\"}}\n\n"},
       "20"},
      {"Create422",
       {"POST /workspaces:status=422:body={\"error\":\"model needs " + echo +
        "\",\"code\":\"MISSING_BYOK_CREDENTIAL\",\"key\":\"@K@\",\"hint\":\"Bearer @T@\"}"}},
      {"SaasErrorBody",
       {"POST /workspaces/{id}/a2a:status=502:body=upstream said " + echo},
       "600",
       true,
       true},
  };
}

// The fake platform binary, enforcing kAdminToken, with the case's faults.
testing::AssertionResult StartFake(const EchoCase& c, std::unique_ptr<Subprocess>* fake,
                                   std::string* url) {
  std::vector<std::string> argv = {RunfilePath("mocks/fake_platform"), "--port=0",
                                   "--time-scale=0.01",
                                   std::string("--admin-token=") + kAdminToken};
  if (c.saas) {
    argv.push_back(std::string("--org-id=") + kOrgId);
  }
  for (const std::string& fault : c.faults) {
    argv.push_back("--fault=" + WithSecrets(fault));
  }
  std::string error;
  *fake = Subprocess::Spawn(argv, EnvironmentWith({}), &error, Subprocess::Stderr::kCapture);
  if (*fake == nullptr) {
    return testing::AssertionFailure() << "cannot start the fake: " << error;
  }
  std::string first;
  if (testing::AssertionResult got = (*fake)->WaitForNextLine(DefaultWait(), &first); !got) {
    return got << "\nfake's stderr: " << (*fake)->error_output();
  }
  const std::string prefix = "listening on ";
  if (first.rfind(prefix, 0) != 0) {
    return testing::AssertionFailure()
           << "fake's first line is not \"listening on <url>\": " << first;
  }
  *url = first.substr(prefix.size());
  return testing::AssertionSuccess();
}

// What a run is given: the fake's URL, the secrets, a model that needs the key.
std::map<std::string, std::optional<std::string>> RunEnvironment(const EchoCase& c,
                                                                 const std::string& url,
                                                                 const std::string& outputs) {
  std::map<std::string, std::optional<std::string>> env = {
      {"PLATFORM", url},
      {"ADMIN_TOKEN", kAdminToken},
      {"OPENROUTER_API_KEY", kLlmKey},
      {"MODEL", "openrouter/x"},
      {"PM_TEMPLATE", "hermes"},
      {"CHILD_TEMPLATE", "hermes"},
      {"TIME_SCALE", "0.01"},
      {"A2A_TIMEOUT", c.a2a_timeout},
      {"SYNTHESIS_DEPTH", "3"},
      {"SYNTHESIS_DEPTHS", "3"},
      {"RESULTS_DIR", outputs},
      {"TEST_UNDECLARED_OUTPUTS_DIR", outputs},
      {"TENANT_ID", std::nullopt},
      {"OPENAI_API_KEY", std::nullopt},
      {"SECRET_NAME", std::nullopt},
      {"SECRET_VALUE", std::nullopt},
      {"MODE", std::nullopt},
      {"ORG_ID", std::nullopt},
      {"ORG_SLUG", std::nullopt},
      {"TENANT_ADMIN_TOKEN", std::nullopt},
      {"CP_ADMIN_API_TOKEN", std::nullopt},
      {"VARIANTS", std::nullopt},
      {"REPEAT", std::nullopt},
      {"DRY_RUN", std::nullopt},
      {"KEEP_WORKSPACES", std::nullopt},
      {"FAKE_SCENARIO", std::nullopt},
      {"FAKE_PLATFORM_VERSION", std::nullopt},
      // The outer test's own Bazel settings are not the inner binary's.
      {"XML_OUTPUT_FILE", std::nullopt},
      {"GTEST_OUTPUT", std::nullopt},
      {"TEST_SHARD_STATUS_FILE", std::nullopt},
      {"TEST_TOTAL_SHARDS", std::nullopt},
      {"TEST_SHARD_INDEX", std::nullopt},
      {"TEST_PREMATURE_EXIT_FILE", std::nullopt}};
  if (c.saas) {
    env["MODE"] = "saas";
    env["ORG_ID"] = kOrgId;
    env["TENANT_ADMIN_TOKEN"] = kAdminToken;
    env["ADMIN_TOKEN"] = std::nullopt;
    env["SECRET_NAME"] = "OPENROUTER_API_KEY";
    env["SECRET_VALUE"] = kLlmKey;
    env["OPENROUTER_API_KEY"] = std::nullopt;
  }
  return env;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A fresh folder under TEST_TMPDIR for one run's files.
std::string FreshDir(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = std::string(tmp != nullptr ? tmp : "/tmp") + "/secret_echo_" + name;
  const std::string command = "rm -rf '" + dir + "' && mkdir -p '" + dir + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return dir;
}

// Every file under `dir` (events.jsonl, run.json, ...), concatenated, with their names.
std::string FilesUnder(const std::string& dir, std::vector<std::string>* names) {
  CompletedProcess listed;
  EXPECT_TRUE(RunToCompletion({"/usr/bin/find", dir, "-type", "f"}, EnvironmentWith({}),
                              DefaultWait(), Subprocess::Stderr::kCapture, &listed));
  std::string all;
  std::istringstream lines(listed.out);
  for (std::string path; std::getline(lines, path);) {
    names->push_back(path.substr(path.rfind('/') + 1));
    all += "\n== " + path + "\n" + ReadFile(path);
  }
  return all;
}

// `where` holds neither secret, and (when `echoed`) at least one masked form.
testing::AssertionResult MaskedOnly(const std::string& where, const std::string& text,
                                    bool echoed = true) {
  for (const char* secret : {kAdminToken, kLlmKey}) {
    if (text.find(secret) != std::string::npos) {
      return testing::AssertionFailure() << where << " prints the secret " << secret << ":\n"
                                         << text;
    }
  }
  if (echoed && text.find("***CRET") == std::string::npos &&
      text.find("***EY99") == std::string::npos) {
    return testing::AssertionFailure() << where << " shows no masked form (***CRET, ***EY99):\n"
                                       << text;
  }
  return testing::AssertionSuccess();
}

bool Has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

class SecretEchoTest : public ::testing::TestWithParam<EchoCase> {};

TEST_P(SecretEchoTest, MeasurePrintsTheEchoedSecretsOnlyMasked) {
  std::unique_ptr<Subprocess> fake;
  std::string url;
  ASSERT_TRUE(StartFake(GetParam(), &fake, &url));
  const std::string outputs = FreshDir("measure_" + GetParam().name);
  CompletedProcess run;
  ASSERT_TRUE(RunToCompletion({RunfilePath("tools/measure")},
                              EnvironmentWith(RunEnvironment(GetParam(), url, outputs)),
                              DefaultWait(), Subprocess::Stderr::kCapture, &run));
  EXPECT_TRUE(MaskedOnly("stdout", run.out));
  EXPECT_TRUE(MaskedOnly("stderr", run.err, GetParam().echo_in_summary));
  std::vector<std::string> names;
  const std::string files = FilesUnder(outputs, &names);
  EXPECT_TRUE(Has(names, "events.jsonl") && Has(names, "run.json")) << files;
  EXPECT_TRUE(MaskedOnly("the run's files", files));
}

TEST_P(SecretEchoTest, SweepTestPrintsTheEchoedSecretsOnlyMasked) {
  std::unique_ptr<Subprocess> fake;
  std::string url;
  ASSERT_TRUE(StartFake(GetParam(), &fake, &url));
  const std::string outputs = FreshDir("sweep_" + GetParam().name);
  const std::string xml = outputs + ".xml";
  CompletedProcess run;
  // The sweep may fail (the faults are not a platform it expects): only its output matters.
  ASSERT_TRUE(RunToCompletion(
      {RunfilePath("tests/coordinator_task_bounds_test"), "--gtest_output=xml:" + xml},
      EnvironmentWith(RunEnvironment(GetParam(), url, outputs)), DefaultWait(),
      Subprocess::Stderr::kCapture, &run));
  EXPECT_TRUE(MaskedOnly("the sweep's stdout and stderr", run.out + run.err));
  const std::string report = ReadFile(xml);
  ASSERT_NE(report.find("<testsuites"), std::string::npos) << "no XML at " << xml << "\n"
                                                           << run.out << run.err;
  EXPECT_TRUE(MaskedOnly("the sweep's XML", report, GetParam().echo_in_summary));
  std::vector<std::string> names;
  EXPECT_TRUE(MaskedOnly("the sweep's files", FilesUnder(outputs, &names)));
}

// A scripted platform that creates "ws-1" (201 `create_body`), then fails the link (PATCH)
// and the status reads with `echo_body`; its delete answers 410 at once (a failing delete
// would be retried for seconds of wall time).
void ScriptEchoingWorkspace(testing_support::ScriptedHttpServer& platform,
                            const std::string& create_body, const std::string& echo_body) {
  testing_support::ScriptedResponse created;
  created.status = 201;
  created.body = create_body;
  platform.Script("POST", "/workspaces", created);
  testing_support::ScriptedResponse echo;
  echo.status = 500;
  echo.body = echo_body;
  platform.Script("PATCH", "/workspaces/ws-1", echo);
  platform.Script("GET", "/workspaces/ws-1", echo);
  echo.status = 410;
  platform.Script("DELETE", "/workspaces/ws-1", echo);
}

// //tools:measure with `env` (RESULTS_DIR `outputs`): its stdout, stderr and files, in one.
testing::AssertionResult RunMeasure(const std::map<std::string, std::optional<std::string>>& env,
                                    const std::string& outputs, std::string* all) {
  CompletedProcess run;
  testing::AssertionResult ran =
      RunToCompletion({RunfilePath("tools/measure")}, EnvironmentWith(env), DefaultWait(),
                      Subprocess::Stderr::kCapture, &run);
  std::vector<std::string> names;
  *all = run.out + run.err + FilesUnder(outputs, &names);
  return ran;
}

// A created workspace's auth_token (2026-08 section 1), echoed by every later answer.
TEST(SecretEchoTest, MeasurePrintsAnEchoedWorkspaceTokenOnlyMasked) {
  const std::string token = "ws-auth-token-0123456789-WTOK";  // masked ***WTOK
  testing_support::ScriptedHttpServer platform;
  ASSERT_TRUE(platform.Start());
  ScriptEchoingWorkspace(
      platform, "{\"id\":\"ws-1\",\"status\":\"provisioning\",\"auth_token\":\"" + token + "\"}",
      "{\"error\":\"workspace ws-1 (token " + token + ") is broken\"}");
  const std::string outputs = FreshDir("measure_WorkspaceToken");
  std::map<std::string, std::optional<std::string>> env =
      RunEnvironment(EchoCase{}, platform.base_url(), outputs);
  for (const char* unset : {"OPENROUTER_API_KEY", "MODEL", "PM_TEMPLATE", "CHILD_TEMPLATE"}) {
    env[unset] = std::nullopt;
  }
  std::string all;
  ASSERT_TRUE(RunMeasure(env, outputs, &all));
  EXPECT_EQ(all.find(token), std::string::npos) << all;
  EXPECT_NE(all.find("***WTOK"), std::string::npos) << all;
}

// MODE=saas with ORG_SLUG: the tenant's admin token is fetched from the control plane with
// CP_ADMIN_API_TOKEN (2026-08 section 2). One scripted server is both control plane and
// platform; the platform's answers then quote both tokens.
TEST(SecretEchoTest, MeasurePrintsEchoedSaasTokensOnlyMasked) {
  const std::string cp_token = "cp-admin-token-0123456789-CPTK";       // masked ***CPTK
  const std::string fetched = "fetched-tenant-token-0123456789-FTTK";  // masked ***FTTK
  testing_support::ScriptedHttpServer platform;
  ASSERT_TRUE(platform.Start());
  testing_support::ScriptedResponse token;
  token.body = "{\"admin_token\":\"" + fetched + "\"}";
  platform.Script("GET", "/cp/admin/orgs/acme-org/admin-token", token);
  ScriptEchoingWorkspace(platform, "{\"id\":\"ws-1\",\"status\":\"provisioning\"}",
                         "{\"error\":\"bearer " + fetched + " via " + cp_token + " refused\"}");
  const std::string outputs = FreshDir("measure_SaasTokens");
  std::map<std::string, std::optional<std::string>> env =
      RunEnvironment(EchoCase{}, platform.base_url(), outputs);
  for (const char* unset :
       {"ADMIN_TOKEN", "OPENROUTER_API_KEY", "MODEL", "PM_TEMPLATE", "CHILD_TEMPLATE"}) {
    env[unset] = std::nullopt;
  }
  env["MODE"] = "saas";
  env["ORG_ID"] = kOrgId;
  env["ORG_SLUG"] = "acme-org";
  env["CP_ADMIN_API_TOKEN"] = cp_token;
  env["CP_API_URL"] = platform.base_url();
  std::string all;
  ASSERT_TRUE(RunMeasure(env, outputs, &all));
  ASSERT_FALSE(platform.requests().empty());
  EXPECT_EQ(platform.requests().front().target, "/cp/admin/orgs/acme-org/admin-token");
  EXPECT_EQ(all.find(cp_token), std::string::npos) << all;
  EXPECT_EQ(all.find(fetched), std::string::npos) << all;
  EXPECT_NE(all.find("***CPTK"), std::string::npos) << all;
  EXPECT_NE(all.find("***FTTK"), std::string::npos) << all;
}

INSTANTIATE_TEST_SUITE_P(Echoes, SecretEchoTest, ::testing::ValuesIn(EchoCases()),
                         [](const ::testing::TestParamInfo<EchoCase>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace taskbounds
