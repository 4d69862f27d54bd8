// Issue 19 item 7: overlapping runs, each its own //tools:measure process, against one
// standalone 2026-08 fake (//mocks:fake_platform), with and without the org's platform agent
// (--platform-root=on|off). On a create without parent_id the platform picks the org's single
// kind='platform' root, else the sole root workspace (platform-api-2026-08.md section 1): on
// an org without a platform agent the first run's PM used to become that root and every
// overlapping run's PM its child, so the first run to end kept its PM (a named leak).
//
// kRuns processes start at once and are each followed into their A2A wait; then, with every
// run's workspaces live, GET /workspaces must show no run's workspace under another run's
// (each child under its own PM). The run whose PM was created first is stopped first (the
// one that was stranded), then the others all at once (their cleanups race); every one must
// delete what it made and name nothing as left behind, and GET /workspaces must show nothing
// of the runs afterwards (on "on" only the platform agent, which is the platform's own).
// The runs are stopped with SIGTERM, so nothing here depends on how long a task lasts.
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "client/platform_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/assertions.h"
#include "tests/support/subprocess.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

constexpr int kRuns = 4;
constexpr char kAdminToken[] = "overlap-admin-token";
// Wall seconds per platform second, the fake's and the runs' (TIME_SCALE). A depth-64 task
// on the fake's unbounded scenario lasts about 3500 platform seconds, 70 wall seconds here:
// far longer than the test needs before it stops the runs.
constexpr char kTimeScale[] = "0.02";

struct MeasureProcess {
  std::unique_ptr<Subprocess> process;
  std::string pm;
  std::string child;
  std::string pm_provisioned_ts;  // the event's "ts": ISO 8601 UTC, sorts as time
};

// The `"ts"` of an event line ("" when absent).
std::string TsOf(const std::string& line) {
  const std::string key = "\"ts\":\"";
  const std::size_t at = line.find(key);
  if (at == std::string::npos) {
    return "";
  }
  const std::size_t begin = at + key.size();
  return line.substr(begin, line.find('"', begin) - begin);
}

std::string Describe(const std::vector<WorkspaceSummary>& listed) {
  std::string out;
  for (const WorkspaceSummary& ws : listed) {
    out += "\n  " + ws.id + " '" + ws.name + "' kind=" + ws.kind +
           " parent=" + (ws.parent_id.empty() ? "<root>" : ws.parent_id);
  }
  return out.empty() ? " (none)" : out;
}

class OverlappingRunsTest : public testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    std::string error;
    fake_ = Subprocess::Spawn(
        {RunfilePath("mocks/fake_platform"), "--port=0", std::string("--time-scale=") + kTimeScale,
         std::string("--admin-token=") + kAdminToken,
         std::string("--platform-root=") + (GetParam() ? "on" : "off")},
        EnvironmentWith({}), &error, Subprocess::Stderr::kCapture);
    ASSERT_NE(fake_, nullptr) << "cannot start mocks/fake_platform: " << error;
    std::string first;
    ASSERT_TRUE(fake_->WaitForNextLine(DefaultWait(), &first)) << fake_->error_output();
    const std::string prefix = "listening on ";
    ASSERT_EQ(first.rfind(prefix, 0), 0u) << first;
    url_ = first.substr(prefix.size());
    ClientOptions options;
    options.base_url = url_;
    options.admin_token = kAdminToken;
    options.request_timeout_ms = DefaultWaitMs();
    client_ = std::make_unique<PlatformClient>(options);
  }

  void TearDown() override {
    if (fake_ != nullptr && fake_->Signal(SIGTERM)) {
      int status = 0;
      EXPECT_TRUE(fake_->WaitForExit(DefaultWait(), &status)) << fake_->error_output();
    }
  }

  // //tools:measure against the fake, its environment cleared of every variable the tool
  // reads but these, so the developer's shell cannot leak in.
  std::unique_ptr<Subprocess> StartMeasure() {
    const std::vector<std::string> env = EnvironmentWith({
        {"PLATFORM", url_},
        {"ADMIN_TOKEN", std::string(kAdminToken)},
        {"TIME_SCALE", std::string(kTimeScale)},
        {"SYNTHESIS_DEPTH", std::string("64")},
        {"A2A_TIMEOUT", std::string("86400")},
        {"TENANT_ID", std::nullopt},
        {"OPENROUTER_API_KEY", std::nullopt},
        {"OPENAI_API_KEY", std::nullopt},
        {"SECRET_NAME", std::nullopt},
        {"SECRET_VALUE", std::nullopt},
        {"SYNTHESIS_DEPTHS", std::nullopt},
        {"DRY_RUN", std::nullopt},
        {"KEEP_WORKSPACES", std::nullopt},
        {"FAKE_SCENARIO", std::nullopt},
        {"FAKE_PLATFORM_VERSION", std::nullopt},
        {"VARIANTS", std::nullopt},
        {"REPEAT", std::nullopt},
        {"MODEL", std::nullopt},
        {"PM_TEMPLATE", std::nullopt},
        {"CHILD_TEMPLATE", std::nullopt},
        {"MODE", std::nullopt},
        {"RESULTS_DIR", std::nullopt},
        {"WAIT_ONLINE_SECS", std::nullopt},
    });
    std::string error;
    auto process = Subprocess::Spawn({RunfilePath("tools/measure")}, env, &error);
    EXPECT_NE(process, nullptr) << "cannot start tools/measure: " << error;
    return process;
  }

  // Waits until `run` sent its kickoff (both its workspaces exist); reads their ids.
  testing::AssertionResult InItsA2AWait(MeasureProcess* run) {
    testing::AssertionResult sent = run->process->WaitForLine(
        [](const std::string& line) {
          return line.find("\"event\":\"a2a_kickoff_sent\"") != std::string::npos;
        },
        DefaultWait());
    if (!sent) {
      return sent << "\noutput so far:\n" << run->process->output();
    }
    const auto events = ParseEvents(run->process->output());
    const auto pm = EventsNamed(events, "pm_provisioned");
    const auto child = EventsNamed(events, "child_provisioned");
    if (pm.size() != 1 || child.size() != 1) {
      return testing::AssertionFailure() << "not one PM and one child provisioned:\n"
                                         << run->process->output();
    }
    run->pm = pm[0].Str("workspace_id");
    run->child = child[0].Str("workspace_id");
    run->pm_provisioned_ts = TsOf(pm[0].line);
    return testing::AssertionSuccess();
  }

  // Stops `run` with SIGTERM (its janitor's cleanup runs, then it dies of the signal) and
  // checks that it deleted both of its workspaces and named nothing as left behind.
  void ExpectEndsCleanly(MeasureProcess& run) {
    int status = 0;
    ASSERT_TRUE(run.process->WaitForExit(3 * DefaultWait(), &status)) << run.process->output();
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM)
        << DescribeWaitStatus(status) << "\n"
        << run.process->output();
    const auto events = ParseEvents(run.process->output());
    std::set<std::string> deleted;
    for (const ParsedEvent& e : EventsNamed(events, "cleanup_deleted")) {
      deleted.insert(e.Str("workspace_id"));
    }
    EXPECT_THAT(deleted, ::testing::IsSupersetOf({run.child, run.pm}))
        << "run of PM " << run.pm << ":\n"
        << run.process->output();
    EXPECT_EQ(EventsNamed(events, "cleanup_failed").size(), 0u)
        << "run of PM " << run.pm << " left something behind:\n"
        << run.process->output();
  }

  testing::AssertionResult List(std::vector<WorkspaceSummary>* listed) {
    const ApiResult<std::vector<WorkspaceSummary>> list = client_->ListWorkspaces();
    if (!list.ok()) {
      return testing::AssertionFailure() << "GET /workspaces failed: " << list.error;
    }
    *listed = *list.value;
    return testing::AssertionSuccess();
  }

  std::unique_ptr<Subprocess> fake_;
  std::string url_;
  std::unique_ptr<PlatformClient> client_;
};

TEST_P(OverlappingRunsTest, NoRunNestsUnderAnotherAndNoneLeavesAnythingBehind) {
  std::vector<MeasureProcess> runs(kRuns);
  for (MeasureProcess& run : runs) {
    run.process = StartMeasure();
    ASSERT_NE(run.process, nullptr);
  }
  for (MeasureProcess& run : runs) {
    ASSERT_TRUE(InItsA2AWait(&run));
  }

  // Every run's workspaces are live now: where did the platform put them?
  std::vector<WorkspaceSummary> listed;
  ASSERT_TRUE(List(&listed));
  std::map<std::string, std::string> parent_of;
  for (const WorkspaceSummary& ws : listed) {
    parent_of[ws.id] = ws.parent_id;
  }
  for (const MeasureProcess& run : runs) {
    // For the log: where each PM went, and how the run chose it (its pm_parent event).
    const auto chose = EventsNamed(ParseEvents(run.process->output()), "pm_parent");
    std::cout << "PM " << run.pm << " under "
              << (parent_of[run.pm].empty() ? "<root>" : parent_of[run.pm]) << " ("
              << (chose.empty() ? "the platform's default" : chose.back().Str("source")) << ")\n";
    ASSERT_EQ(parent_of.count(run.pm), 1u) << run.pm << " not listed:" << Describe(listed);
    ASSERT_EQ(parent_of.count(run.child), 1u) << run.child << " not listed:" << Describe(listed);
    EXPECT_EQ(parent_of[run.child], run.pm) << "the child sits under its own PM";
    for (const MeasureProcess& other : runs) {
      if (&other == &run) {
        continue;
      }
      EXPECT_NE(parent_of[run.pm], other.pm)
          << "run of PM " << run.pm << " nests under another run's PM:" << Describe(listed);
      EXPECT_NE(parent_of[run.pm], other.child)
          << "run of PM " << run.pm << " nests under another run's child:" << Describe(listed);
    }
  }

  // The run whose PM came first ends first: before, every other PM sat under it.
  const auto first = std::min_element(runs.begin(), runs.end(),
                                      [](const MeasureProcess& a, const MeasureProcess& b) {
                                        return a.pm_provisioned_ts < b.pm_provisioned_ts;
                                      });
  ASSERT_TRUE(first->process->Signal(SIGTERM));
  ExpectEndsCleanly(*first);
  // The others all at once: their cleanups overlap.
  for (MeasureProcess& run : runs) {
    if (&run != &*first) {
      ASSERT_TRUE(run.process->Signal(SIGTERM));
    }
  }
  for (MeasureProcess& run : runs) {
    if (&run != &*first) {
      ExpectEndsCleanly(run);
    }
  }

  ASSERT_TRUE(List(&listed));
  for (const WorkspaceSummary& ws : listed) {
    EXPECT_EQ(ws.kind, "platform")
        << "left on the platform after every run ended:" << Describe(listed);
  }
}

INSTANTIATE_TEST_SUITE_P(PlatformRoot, OverlappingRunsTest, testing::Bool(),
                         [](const testing::TestParamInfo<bool>& info) {
                           return std::string(info.param ? "On" : "Off");
                         });

}  // namespace
}  // namespace taskbounds
