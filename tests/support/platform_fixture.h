// The embedded fake platform inside a test: start it, point a PlatformClient at it, bring
// workspaces online, and check that a test left none behind. Shared by the fake's own tests
// (tests/fake) and the harness tests (tests/harness).
#ifndef TESTS_SUPPORT_PLATFORM_FIXTURE_H_
#define TESTS_SUPPORT_PLATFORM_FIXTURE_H_

#include <chrono>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "client/config.h"
#include "client/platform_client.h"
#include "gtest/gtest.h"
#include "mocks/embedded_fake_platform.h"
#include "tests/support/wait.h"

namespace taskbounds {

// Starts the fake, or records a failure of the current test (with the reason) and returns
// null: check the result (ASSERT_NE(fake, nullptr)).
std::unique_ptr<EmbeddedFakePlatform> StartFake(const FakePlatformOptions& options,
                                                const ServerOptions& server_options = {});

// Client options for `fake`: its URL, optional credentials, test-sized timeouts.
ClientOptions ClientFor(const EmbeddedFakePlatform& fake, const std::string& admin_token = "",
                        const std::string& tenant_id = "");

// Short simulated durations: registration and restart in a few wall milliseconds. The
// profile is the fake's default (kDefaultPlatformVersion) unless FAKE_PLATFORM_VERSION says
// otherwise; a test of one profile's rules names it with the second overload.
FakePlatformOptions FastOptions(double time_scale = 0.001);
FakePlatformOptions FastOptions(PlatformVersion version, double time_scale = 0.001);

// The admin bearer harness fakes enforce on every profile: 2026-08 fails closed without one
// (platform-api-2026-08.md section 1); 2026-04 enforces it when set. Clients and run configs
// of harness tests send it.
inline constexpr char kHarnessAdminToken[] = "harness-admin-0123456789";
// A harness fake on `version`: FastOptions plus kHarnessAdminToken.
FakePlatformOptions HarnessOptions(PlatformVersion version, double time_scale = 0.001);
// A template every profile maintains (2026-08 dropped langgraph).
inline constexpr char kTemplateOnEveryProfile[] = "claude-code-default";

// Name of a profile parameter (TEST_P over testing::ValuesIn(AllPlatformVersions())):
// "V2026_04", "V2026_08".
std::string ProfileParamName(const testing::TestParamInfo<PlatformVersion>& info);
// gtest prints a profile parameter as its name ("2026-08"), not as 4 raw bytes.
void PrintTo(PlatformVersion version, std::ostream* os);

// The one platform fixture: an embedded fake and a client for it (no credentials). Start()
// replaces both, so a test can restart the fake with other options; a test whose fake must
// end empty calls CheckLeaksAtTearDown() (see ExpectNoWorkspacesLeft). Fixtures that need
// more (credentials, a workspace made in SetUp) derive from it.
class FakePlatformTest : public testing::Test {
 protected:
  // Starts the fake (stopping a previous one) and points client_ at it. Fails the test
  // fatally when it cannot start: call as ASSERT_NO_FATAL_FAILURE(Start(...)).
  void Start(const FakePlatformOptions& options, const ServerOptions& server_options = {});
  // From now on TearDown records `workspaces_left`, expects none, and deletes the rest.
  void CheckLeaksAtTearDown() { check_leaks_ = true; }
  void TearDown() override;

  std::unique_ptr<EmbeddedFakePlatform> fake_;
  std::unique_ptr<PlatformClient> client_;

 private:
  bool check_leaks_ = false;
};

// Polls GET /workspaces/{id} until its status is `status` or `timeout` passes.
testing::AssertionResult WaitForStatus(PlatformClient& client, const std::string& id,
                                       const std::string& status,
                                       std::chrono::milliseconds timeout);

// Creates a workspace from `template_name` and waits until it is online. The default,
// langgraph, exists on the 2026-04 profile only; 2026-08 tests pass claude-code-default.
testing::AssertionResult CreateOnline(PlatformClient& client, const std::string& name,
                                      std::string* id,
                                      std::chrono::milliseconds timeout = DefaultWait(),
                                      const std::string& template_name = "langgraph");

// message/send body whose task text makes the simulated coordinator use `depth`.
std::string KickoffText(int depth);

// The server of the harness tests' fakes: a small worker pool (they run few requests at
// once).
ServerOptions HarnessServerOptions();

// Starts an embedded fake with HarnessServerOptions(); null (with a recorded failure) when
// it cannot.
std::unique_ptr<EmbeddedFakePlatform> StartHarnessFake(const FakePlatformOptions& options);

// A run config for the embedded fake: no credentials, the given time scale.
RunConfig FakeRunConfig(double time_scale, int depth = 1);

// PM ("PM") and child ("Researcher") created on `client`'s platform from
// kTemplateOnEveryProfile and linked, ids out. On 2026-08 `client` needs the admin token.
testing::AssertionResult CreateLinkedPair(PlatformClient& client, std::string* pm,
                                          std::string* child);

// The fake's live workspace ids, joined for messages.
std::string Describe(const std::vector<std::string>& ids);

// The leak check every harness test ends with: clears injected faults, records the number
// of workspaces still live as the `workspaces_left` property (the suite's leak measure),
// expects none, then deletes them so one failing test does not leak into the next.
void ExpectNoWorkspacesLeft(EmbeddedFakePlatform& fake);

}  // namespace taskbounds

#endif  // TESTS_SUPPORT_PLATFORM_FIXTURE_H_
