// The standalone //mocks:fake_platform binary as a subprocess: first stdout line, a real
// request, SIGTERM -> exit 0; flag validation; fault flags.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "client/platform_client.h"
#include "gtest/gtest.h"
#include "tests/support/assertions.h"
#include "tests/support/platform_fixture.h"
#include "tests/support/subprocess.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

std::string BinaryPath() { return RunfilePath("mocks/fake_platform"); }

// The standalone fake with `flags`, stdout and stderr both read by the test; null (with a
// recorded failure naming the cause) when it cannot be started.
std::unique_ptr<Subprocess> StartBinary(const std::vector<std::string>& flags) {
  std::vector<std::string> argv = {BinaryPath()};
  argv.insert(argv.end(), flags.begin(), flags.end());
  std::string error;
  auto process = Subprocess::Spawn(argv, EnvironmentWith({}), &error, Subprocess::Stderr::kCapture);
  EXPECT_NE(process, nullptr) << "cannot start " << BinaryPath() << ": " << error;
  return process;
}

// Client options for the URL the binary announces on its first stdout line
// ("listening on <url>"), with test-sized timeouts.
testing::AssertionResult ReadAnnouncedUrl(Subprocess& fake, ClientOptions* options) {
  std::string first;
  testing::AssertionResult got = fake.WaitForNextLine(DefaultWait(), &first);
  if (!got) {
    return got << "\nstderr: " << fake.error_output();
  }
  const std::string prefix = "listening on ";
  if (first.rfind(prefix, 0) != 0) {
    return testing::AssertionFailure() << "first line is not \"listening on <url>\": " << first;
  }
  options->base_url = first.substr(prefix.size());
  options->request_timeout_ms = DefaultWaitMs();
  return testing::AssertionSuccess();
}

TEST(FakePlatformBinaryTest, ServesUntilSigtermAndExitsZero) {
  auto fake = StartBinary(
      {"--port=0", "--time-scale=0.001", "--scenario=agent_ceiling", "--platform-version=2026-04"});
  ASSERT_NE(fake, nullptr) << BinaryPath();
  std::string first;
  ASSERT_TRUE(fake->WaitForNextLine(DefaultWait(), &first))
      << "no first line; stderr: " << fake->error_output();
  const std::string prefix = "listening on http://127.0.0.1:";
  ASSERT_EQ(first.rfind(prefix, 0), 0u) << first;
  const int port = std::stoi(first.substr(prefix.size()));
  EXPECT_GT(port, 0);

  ClientOptions options;
  options.base_url = first.substr(std::string("listening on ").size());
  options.request_timeout_ms = DefaultWaitMs();
  PlatformClient client(options);
  std::string pm;
  ASSERT_TRUE(CreateOnline(client, "PM", &pm));
  auto reply = client.SendMessage(pm, KickoffText(8), DefaultWaitMs());
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.value->outcome, A2AOutcome::kAgentError) << "--scenario reached the backend";

  ASSERT_TRUE(fake->Signal(SIGTERM));
  int status = 0;
  ASSERT_TRUE(fake->WaitForExit(DefaultWait(), &status))
      << "still running " << DefaultWait().count() << " ms after SIGTERM";
  ASSERT_TRUE(WIFEXITED(status)) << "killed by a signal instead of exiting";
  EXPECT_EQ(WEXITSTATUS(status), 0) << fake->error_output();
}

TEST(FakePlatformBinaryTest, SigintAlsoStopsIt) {
  auto fake = StartBinary({});
  ASSERT_NE(fake, nullptr);
  std::string first;
  ASSERT_TRUE(fake->WaitForNextLine(DefaultWait(), &first)) << fake->error_output();
  ASSERT_TRUE(fake->Signal(SIGINT));
  int status = 0;
  ASSERT_TRUE(fake->WaitForExit(DefaultWait(), &status));
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(FakePlatformBinaryTest, FaultFlagIsApplied) {
  auto fake = StartBinary({"--time-scale=0.001", "--platform-version=2026-04",
                           "--fault=POST /workspaces:status=503:count=1"});
  ASSERT_NE(fake, nullptr);
  ClientOptions options;
  ASSERT_TRUE(ReadAnnouncedUrl(*fake, &options));
  PlatformClient client(options);
  EXPECT_TRUE(
      IsFlatError(client.Send("POST", "/workspaces", R"({"name":"PM"})"), 503, "injected fault"));
  EXPECT_EQ(client.Send("POST", "/workspaces", R"({"name":"PM"})").http_status, 201);
  ASSERT_TRUE(fake->Signal(SIGTERM));
  int status = 0;
  ASSERT_TRUE(fake->WaitForExit(DefaultWait(), &status));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(FakePlatformBinaryTest, HeldRequestDoesNotKeepSigtermFromStoppingIt) {
  auto fake =
      StartBinary({"--time-scale=0.001", "--platform-version=2026-04", "--fault=GET /health:hold"});
  ASSERT_NE(fake, nullptr);
  ClientOptions options;
  ASSERT_TRUE(ReadAnnouncedUrl(*fake, &options));
  std::future<HttpExchange> held = std::async(std::launch::async, [options] {
    PlatformClient client(options);
    return client.Send("GET", "/health", "");
  });
  // Another route answers meanwhile; the held one stays unanswered until the stop.
  PlatformClient client(options);
  EXPECT_EQ(client.Send("POST", "/workspaces", R"({"name":"PM"})").http_status, 201);
  EXPECT_EQ(held.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  ASSERT_TRUE(fake->Signal(SIGTERM));
  int status = 0;
  ASSERT_TRUE(fake->WaitForExit(DefaultWait(), &status))
      << "still running " << DefaultWait().count() << " ms after SIGTERM with a held request";
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << fake->error_output();
  ASSERT_EQ(held.wait_for(DefaultWait()), std::future_status::ready);
  EXPECT_EQ(held.get().http_status, 0) << "the held request is dropped, never answered";
}

// Runs the binary with `flags`, expecting it to refuse them: exit status 2; its stderr and
// stdout in `err` and `out`.
testing::AssertionResult ExitsTwo(const std::vector<std::string>& flags, std::string* err,
                                  std::string* out) {
  auto fake = StartBinary(flags);
  if (fake == nullptr) {
    return testing::AssertionFailure() << "could not start the binary with " << flags[0];
  }
  int status = 0;
  if (testing::AssertionResult exited = fake->WaitForExit(DefaultWait(), &status); !exited) {
    return exited << " (flags from " << flags[0] << ")";
  }
  *err = fake->error_output();
  *out = fake->output();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 2) {
    return testing::AssertionFailure()
           << flags[0] << ": wait status " << status << ", not exit 2; stderr: " << *err;
  }
  return testing::AssertionSuccess();
}

TEST(FakePlatformBinaryTest, BadFlagsFailWithOneLine) {
  const std::vector<std::vector<std::string>> bad = {
      {"--port=70000"},
      {"--scenario=forever"},
      {"--time-scale=0"},
      {"--rate-limit=-1"},
      {"--registration-secs=abc"},
      {"--fault=GET /x:status=500"},
      {"--fault=POST /workspaces:explode"},
      {"--fault=POST /workspaces:body=x"},
      {"--fault=POST /workspaces:html:body=x"},
      {"--what=1"},
      {"--port"},
      {"--approval-gate=maybe"},
      {"--platform-root=yes"},
  };
  for (const auto& flags : bad) {
    std::string err;
    std::string out;
    ASSERT_TRUE(ExitsTwo(flags, &err, &out));
    EXPECT_EQ(err.rfind("fake_platform: ", 0), 0u) << err;
    EXPECT_EQ(err.find('\n'), err.size() - 1) << "exactly one line: " << err;
    EXPECT_EQ(out, "") << "nothing on stdout";
  }
}

// An unknown flag is named as unknown, last on the line or not (it once asked for a value).
TEST(FakePlatformBinaryTest, UnknownFlagIsNamedAsUnknownWhereverItIs) {
  for (const std::vector<std::string>& flags :
       {std::vector<std::string>{"--bogus"}, {"--bogus", "--port=0"}, {"--bogus=1"}}) {
    std::string err;
    std::string out;
    ASSERT_TRUE(ExitsTwo(flags, &err, &out));
    EXPECT_EQ(err, "fake_platform: unknown flag --bogus (see --help)\n");
  }
}

TEST(FakePlatformBinaryTest, PlatformVersionFlagChoosesTheProfile) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "2026-08"},
      {"--platform-version=2026-04", "2026-04"},
      {"--platform-version=2026-08", "2026-08"},
  };
  for (const auto& [flag, version] : cases) {
    std::vector<std::string> flags = {"--time-scale=0.001"};
    if (!flag.empty()) {
      flags.push_back(flag);
    }
    auto fake = StartBinary(flags);
    ASSERT_NE(fake, nullptr);
    std::string first;
    ASSERT_TRUE(fake->WaitForNextLine(DefaultWait(), &first))
        << flag << ": " << fake->error_output();
    ASSERT_TRUE(fake->Signal(SIGTERM));
    int status = 0;
    ASSERT_TRUE(fake->WaitForExit(DefaultWait(), &status)) << flag;
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << flag;
    const std::string err = fake->error_output();  // complete: the process has exited
    EXPECT_NE(err.find("platform_version=" + version + " "), std::string::npos)
        << (flag.empty() ? "(no flag)" : flag) << ": " << err;
  }
}

TEST(FakePlatformBinaryTest, UnknownPlatformVersionNamesTheFlagAndTheChoices) {
  auto fake = StartBinary({"--platform-version=2026-13"});
  ASSERT_NE(fake, nullptr);
  int status = 0;
  ASSERT_TRUE(fake->WaitForExit(DefaultWait(), &status));
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_EQ(fake->error_output(),
            "fake_platform: --platform-version must be 2026-04 or 2026-08, got \"2026-13\"\n");
}

TEST(FakePlatformBinaryTest, HelpDocumentsTheFlags) {
  auto fake = StartBinary({"--help"});
  ASSERT_NE(fake, nullptr);
  int status = 0;
  ASSERT_TRUE(fake->WaitForExit(DefaultWait(), &status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  const std::string& help = fake->output();
  for (const char* flag :
       {"--port", "--scenario", "--time-scale", "--admin-token", "--org-id", "--rate-limit",
        "--registration-secs", "--a2a-latency-ms", "--fault", "--platform-version",
        "--approval-gate", "--platform-root", "GET /workspaces ", "GET /buildinfo",
        "PUT /workspaces/{id}/model", "POST /workspaces/{id}/approvals/{approval_id}/decide"}) {
    EXPECT_NE(help.find(flag), std::string::npos) << flag;
  }
}

// 2026-08 with an admin token and the approval gate: the start line says what is enforced,
// and a secret write by the admin waits for approval.
TEST(FakePlatformBinaryTest, AdminTokenAndApprovalGateFlagsReachThe2026_08Profile) {
  auto fake = StartBinary({"--time-scale=0.001", "--platform-version=2026-08",
                           "--admin-token=binary-admin", "--approval-gate=on"});
  ASSERT_NE(fake, nullptr);
  std::string first;
  ASSERT_TRUE(fake->WaitForNextLine(DefaultWait(), &first)) << fake->error_output();
  const std::string prefix = "listening on ";
  ASSERT_EQ(first.rfind(prefix, 0), 0u) << first;
  ClientOptions options;
  options.base_url = first.substr(prefix.size());
  PlatformClient anonymous(options);
  EXPECT_EQ(anonymous.Send("POST", "/workspaces", R"({"name":"PM"})").http_status, 401);
  options.admin_token = "binary-admin";
  PlatformClient admin(options);
  const auto created = admin.CreateWorkspace({"PM", "Coordinator", 2, "claude-code-default"});
  ASSERT_TRUE(created.ok()) << created.error;
  const HttpExchange secret = admin.Send("POST", "/workspaces/" + created.value->id + "/secrets",
                                         R"({"key":"SERPER_API_KEY","value":"v"})");
  EXPECT_EQ(secret.http_status, 202) << secret.body;
  EXPECT_EQ(admin.Send("DELETE", "/workspaces/" + created.value->id, "", 0, {"X-Confirm-Name: PM"})
                .http_status,
            200);
  ASSERT_TRUE(fake->Signal(SIGTERM));
  int status = 0;
  ASSERT_TRUE(fake->WaitForExit(DefaultWait(), &status));
  const std::string err = fake->error_output();
  EXPECT_NE(err.find(" auth=on approval_gate=on "), std::string::npos) << err;
  EXPECT_NE(err.find("0 workspace(s) were still live"), std::string::npos) << err;
}

// --platform-root: on by default (listed, never in the exit summary's leak count), off on
// request; the start line says which.
TEST(FakePlatformBinaryTest, PlatformRootFlagIsOnByDefaultAndNeverCountedAsALeak) {
  for (const std::string& flag : {std::string(), std::string("--platform-root=off")}) {
    std::vector<std::string> flags = {"--time-scale=0.001", "--admin-token=binary-admin"};
    if (!flag.empty()) {
      flags.push_back(flag);
    }
    auto fake = StartBinary(flags);
    ASSERT_NE(fake, nullptr);
    ClientOptions options;
    ASSERT_TRUE(ReadAnnouncedUrl(*fake, &options)) << flag;
    options.admin_token = "binary-admin";
    PlatformClient admin(options);
    const HttpExchange list = admin.Send("GET", "/workspaces", "");
    EXPECT_EQ(list.http_status, 200) << list.body;
    const bool on = flag.empty();
    EXPECT_EQ(list.body.find(R"("kind":"platform")") != std::string::npos, on) << list.body;
    ASSERT_TRUE(fake->Signal(SIGTERM));
    int status = 0;
    ASSERT_TRUE(fake->WaitForExit(DefaultWait(), &status)) << flag;
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << flag;
    const std::string err = fake->error_output();
    EXPECT_NE(err.find(on ? "platform_root=on" : "platform_root=off"), std::string::npos) << err;
    EXPECT_NE(err.find("0 workspace(s) were still live"), std::string::npos) << err;
  }
}

// --phantom-busy=on|off is a flag the binary takes and names in its start line; anything
// else is refused naming the flag.
TEST(FakePlatformBinaryTest, PhantomBusyFlagIsTakenAndNamed) {
  for (const std::string& value : {std::string("on"), std::string("off")}) {
    auto fake = StartBinary({"--time-scale=0.001", "--phantom-busy=" + value,
                             "--phantom-busy-interval-secs=60", "--phantom-busy-quiet-secs=120"});
    ASSERT_NE(fake, nullptr);
    ClientOptions options;
    ASSERT_TRUE(ReadAnnouncedUrl(*fake, &options)) << value;
    ASSERT_TRUE(fake->Signal(SIGTERM));
    int status = 0;
    ASSERT_TRUE(fake->WaitForExit(DefaultWait(), &status)) << value;
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << value;
    EXPECT_NE(fake->error_output().find("phantom_busy=" + value), std::string::npos)
        << fake->error_output();
  }
  std::string err;
  std::string out;
  ASSERT_TRUE(ExitsTwo({"--phantom-busy=maybe"}, &err, &out));
  EXPECT_EQ(err, "fake_platform: --phantom-busy must be on or off, got \"maybe\"\n");
}

}  // namespace
}  // namespace taskbounds
