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

}  // namespace taskbounds

#endif  // TESTS_HARNESS_COORDINATOR_RUN_FIXTURE_H_
