// The fixture of the CoordinatorRun tests (coordinator_run_test, coordinator_provision_test):
// an embedded fake with the harness tests' server, the events a run writes, and a run of all
// steps against the fake.
#ifndef TESTS_HARNESS_COORDINATOR_RUN_FIXTURE_H_
#define TESTS_HARNESS_COORDINATOR_RUN_FIXTURE_H_

#include <sstream>
#include <string>
#include <vector>

#include "client/config.h"
#include "client/event_log.h"
#include "fixtures/run/coordinator_run.h"
#include "fixtures/run/workspace_janitor.h"
#include "mocks/fake_platform_options.h"
#include "tests/support/assertions.h"
#include "tests/support/platform_fixture.h"

namespace taskbounds {

// Secrets the tests configure; their masked forms are ***tail and ***wxyz.
inline constexpr char kAdminToken[] = "adm-0123456789-SECRET-tail";
inline constexpr char kLlmKey[] = "sk-or-v1-0123456789-SECRET-wxyz";
// A secret name every profile stores for claude-code-default: not a vendor key, which 2026-08
// refuses for a model the platform bills (platform-api-2026-08.md sections 1 and 2).
inline constexpr char kProbeSecretName[] = "TASKBOUNDS_PROBE";

class CoordinatorRunTest : public FakePlatformTest {
 protected:
  // Starts the fake with `options`; TearDown then expects no workspace left.
  void StartFakeWith(const FakePlatformOptions& options);

  // Runs all steps against the fake with `config`, events into out_, the dry run's plan into
  // plan_. With `janitor` null, a janitor for this run only.
  RunReport RunAll(const RunConfig& config, const RunOptions& options = {},
                   WorkspaceJanitor* janitor = nullptr);

  // The events written so far, parsed.
  std::vector<ParsedEvent> Events() const { return ParseEvents(out_.str()); }

  // "METHOD /path" of every request the fake received other than GET and HEAD.
  std::vector<std::string> Mutating() const;

  std::ostringstream out_;
  std::ostringstream plan_;
  EventLog events_{out_};
};

// A CoordinatorRunTest on each fake profile (the parameter): for what the harness does on
// every platform version. Instantiate with testing::ValuesIn(AllPlatformVersions()) and
// ProfileParamName.
class EveryProfileRunTest : public CoordinatorRunTest,
                            public testing::WithParamInterface<PlatformVersion> {
 protected:
  // A harness fake on this test's profile (HarnessOptions: it enforces kHarnessAdminToken).
  FakePlatformOptions Options(double time_scale = 0.001) const {
    return HarnessOptions(GetParam(), time_scale);
  }
  // FakeRunConfig carrying kHarnessAdminToken; its templates (claude-code-default) exist on
  // every profile.
  static RunConfig Config(double time_scale = 0.001, int depth = 1);
  // A live-style run (PLATFORM set) with the kProbeSecretName secret configured.
  static RunConfig SecretConfig(double time_scale = 0.001);
  // True on today's platform (2026-08), whose A2A proxy answers queued at once and whose
  // harness then follows the task (platform-api-2026-08.md section 4).
  bool OnTodaysProfile() const { return GetParam() == PlatformVersion::k2026_08; }
};

}  // namespace taskbounds

#endif  // TESTS_HARNESS_COORDINATOR_RUN_FIXTURE_H_
