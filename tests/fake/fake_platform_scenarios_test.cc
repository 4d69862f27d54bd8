// The simulated coordinator: depth -> platform time, and what each scenario's bound does to
// the kickoff (response kind, status transitions, heartbeat history). time_scale 0.001 makes
// a 300 s ceiling 0.3 s of wall time.
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client/platform_client.h"
#include "gtest/gtest.h"
#include "mocks/embedded_fake_platform.h"
#include "mocks/in_memory_platform.h"
#include "tests/support/assertions.h"
#include "tests/support/platform_fixture.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

// These tests hold the 2026-04 profile's rules (platform-api.md): open auth in dev mode, the
// langgraph template, a synchronous A2A answer.
constexpr PlatformVersion kProfile = PlatformVersion::k2026_04;

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(DelegationDepthTest, ParsesTheHarnessTaskText) {
  const std::string reference =
      "You are coordinating a research analysis. Delegate 8 separate sub-questions to the "
      "Researcher (one at a time, sequentially), then synthesize.";
  EXPECT_EQ(ParseDelegationDepth(reference), 8);
  EXPECT_EQ(ParseDelegationDepth(KickoffText(12)), 12);
  EXPECT_EQ(ParseDelegationDepth("hello"), 3) << "default when absent";
  EXPECT_EQ(ParseDelegationDepth("Delegate 0 separate sub-questions"), 3) << "out of range";
  EXPECT_EQ(ParseDelegationDepth("Delegate many separate sub-questions"), 3);
  EXPECT_EQ(ParseDelegationDepth("Delegate 5 questions. Delegate 6 separate sub-questions"), 6);
}

TEST(CoordinatorPlanTest, EachScenarioBoundFiresOnlyWhenTheTaskWouldOutlastIt) {
  FakePlatformOptions options;  // defaults: rounds 15 s, synthesis 40 s/depth, bounds 300 s
  options.platform_version = kProfile;
  {
    options.scenario = Scenario::kUnbounded;
    InMemoryPlatform platform(options);
    const CoordinatorPlan plan = platform.PlanCoordinatorTask(8, 0);
    EXPECT_DOUBLE_EQ(plan.delegation_secs, 120);
    EXPECT_DOUBLE_EQ(plan.synthesis_secs, 320);
    EXPECT_DOUBLE_EQ(plan.answer_after_secs, 440);
    EXPECT_EQ(plan.bound, "");
  }
  {
    options.scenario = Scenario::kAgentCeiling;
    InMemoryPlatform platform(options);
    EXPECT_EQ(platform.PlanCoordinatorTask(8, 0).bound, "agent_ceiling");
    EXPECT_DOUBLE_EQ(platform.PlanCoordinatorTask(8, 0).answer_after_secs, 300);
    EXPECT_EQ(platform.PlanCoordinatorTask(3, 0).bound, "") << "165 s < 300 s";
  }
  {
    options.scenario = Scenario::kPlatformCeiling;
    InMemoryPlatform platform(options);
    EXPECT_EQ(platform.PlanCoordinatorTask(8, 0).bound, "platform_ceiling");
    EXPECT_DOUBLE_EQ(platform.PlanCoordinatorTask(8, 0).answer_after_secs, 300);
    EXPECT_EQ(platform.PlanCoordinatorTask(3, 0).bound, "");
  }
  {
    options.scenario = Scenario::kIdleTimeout;
    InMemoryPlatform platform(options);
    // Heartbeat just before the kickoff: beats at 30, 60, 90, 120 s; synthesis from 120 s
    // starves them, so the 300 s idle timer fires at 420 s, before the natural 440 s.
    CoordinatorPlan plan = platform.PlanCoordinatorTask(8, 0);
    EXPECT_EQ(plan.bound, "idle_timeout");
    EXPECT_DOUBLE_EQ(plan.answer_after_secs, 420);
    // 10 s into the heartbeat period: the last beat before synthesis is at 110 s.
    plan = platform.PlanCoordinatorTask(8, 10);
    EXPECT_DOUBLE_EQ(plan.answer_after_secs, 410);
    EXPECT_EQ(platform.PlanCoordinatorTask(3, 0).bound, "") << "165 s never idles 300 s";
  }
}

class ScenarioTest : public FakePlatformTest {
 protected:
  void Start(Scenario scenario, double terminated_status_secs = 30) {
    FakePlatformOptions options = FastOptions(kProfile);
    options.scenario = scenario;
    options.durations.terminated_status_secs = terminated_status_secs;
    ASSERT_NO_FATAL_FAILURE(FakePlatformTest::Start(options));
    std::string child;
    ASSERT_TRUE(CreateOnline(*client_, "PM", &pm_));
    ASSERT_TRUE(CreateOnline(*client_, "Researcher", &child));
    ASSERT_TRUE(client_->PatchParent(child, pm_).ok());
  }

  // Wall seconds of the kickoff, converted to platform seconds.
  double PlatformSecs(const HttpExchange& ex) const { return ex.timings.total_secs / 0.001; }

  std::string pm_;
};

TEST_F(ScenarioTest, UnboundedAnswersAResultAfterTheWholeTask) {
  ASSERT_NO_FATAL_FAILURE(Start(Scenario::kUnbounded));
  auto reply = client_->SendMessage(pm_, KickoffText(8), DefaultWaitMs());
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.value->outcome, A2AOutcome::kResult);
  EXPECT_EQ(reply.exchange.http_status, 200);
  EXPECT_NE(reply.value->text.find("8 sub-questions"), std::string::npos) << reply.value->text;
  // A lower bound, fixed by construction: the reply cannot come before the simulated end.
  EXPECT_GE(PlatformSecs(reply.exchange), 440.0);
  auto history = client_->GetHeartbeatHistory(pm_, 600);
  ASSERT_TRUE(history.ok()) << history.error;
  EXPECT_FALSE(history.value->available);
}

TEST_F(ScenarioTest, IdleTimeoutQueuesTheRequestWith202) {
  ASSERT_NO_FATAL_FAILURE(Start(Scenario::kIdleTimeout));
  auto reply = client_->SendMessage(pm_, KickoffText(8), DefaultWaitMs());
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.value->outcome, A2AOutcome::kQueued);
  EXPECT_EQ(reply.exchange.http_status, 202);
  EXPECT_TRUE(IsLowerCaseUuid(reply.value->queue_id));
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson(reply.exchange.body, &doc));
  EXPECT_TRUE(doc["queued"].GetBool());
  EXPECT_EQ(doc["queue_depth"].GetInt(), 1);
  EXPECT_STREQ(doc["message"].GetString(),
               "workspace agent busy \xE2\x80\x94 request queued, will dispatch when capacity "
               "available");
  EXPECT_GE(PlatformSecs(reply.exchange), 300.0) << "the idle timer runs 300 s at least";

  auto rows = client_->GetActivity(pm_, 10);
  ASSERT_TRUE(rows.ok()) << rows.error;
  ASSERT_FALSE(rows.value->empty());
  EXPECT_EQ(rows.value->front().status, "error");

  // Depth 3 (165 s) finishes long before any 300 s idle window.
  auto short_task = client_->SendMessage(pm_, KickoffText(3), DefaultWaitMs());
  ASSERT_TRUE(short_task.ok()) << short_task.error;
  EXPECT_EQ(short_task.value->outcome, A2AOutcome::kResult);
}

TEST_F(ScenarioTest, AgentCeilingAnswersAnInBandAgentError) {
  ASSERT_NO_FATAL_FAILURE(Start(Scenario::kAgentCeiling));
  auto reply = client_->SendMessage(pm_, KickoffText(8), DefaultWaitMs());
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.exchange.http_status, 200);
  EXPECT_EQ(reply.value->outcome, A2AOutcome::kAgentError);
  EXPECT_EQ(reply.value->text, "Agent error: task exceeded max_task_duration_seconds (300s)");
  EXPECT_GE(PlatformSecs(reply.exchange), 300.0);
  auto short_task = client_->SendMessage(pm_, KickoffText(3), DefaultWaitMs());
  ASSERT_TRUE(short_task.ok()) << short_task.error;
  EXPECT_EQ(short_task.value->outcome, A2AOutcome::kResult);
}

TEST_F(ScenarioTest, PlatformCeilingTerminatesMarksFailedAndRecordsIt) {
  // 2000 platform s of "failed" = 2 s wall: long enough for the poll right after the reply.
  ASSERT_NO_FATAL_FAILURE(Start(Scenario::kPlatformCeiling, 2000));

  // The harness's own status trace, sampled while the kickoff is in flight.
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<std::string> trace;
  std::thread sampler([&] {
    PlatformClient own(ClientFor(*fake_));
    while (!stop) {
      auto got = own.GetWorkspace(pm_);
      if (got.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        if (trace.empty() || trace.back() != got.value->status) {
          trace.push_back(got.value->status);
        }
      }
      std::this_thread::sleep_for(milliseconds(5));
    }
  });
  auto reply = client_->SendMessage(pm_, KickoffText(8), DefaultWaitMs());
  auto after = client_->GetWorkspace(pm_);
  // As the harness does: the trace is pulled right after the response, covering the run.
  auto history = client_->GetHeartbeatHistory(pm_, 600);
  // Let the sampler poll on into the failed window (2 s), bounded.
  const auto deadline = std::chrono::steady_clock::now() + DefaultWait();
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (!trace.empty() && trace.back() == "failed") {
        break;
      }
    }
    std::this_thread::sleep_for(milliseconds(5));
  }
  stop = true;
  sampler.join();

  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.exchange.http_status, 503);
  EXPECT_EQ(reply.value->outcome, A2AOutcome::kPlatformError);
  EXPECT_EQ(reply.value->error_message, "task terminated: exceeded MAX_TASK_EXECUTION_SECS (300s)");
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson(reply.exchange.body, &doc));
  EXPECT_TRUE(doc["terminated"].GetBool());
  ASSERT_TRUE(after.ok()) << after.error;
  EXPECT_EQ(after.value->status, "failed");
  {
    std::lock_guard<std::mutex> lock(mu);
    ASSERT_GE(trace.size(), 2u);
    EXPECT_EQ(trace.front(), "online");
    EXPECT_EQ(trace.back(), "failed") << "the sampler saw the transition";
  }

  ASSERT_TRUE(history.ok()) << history.error;
  ASSERT_TRUE(history.value->available);
  ASSERT_GE(history.value->entries.size(), 2u) << history.exchange.body;
  const HeartbeatEntry& last = history.value->entries.back();
  EXPECT_EQ(last.status, "failed");
  EXPECT_EQ(last.event, "terminated");
  for (std::size_t i = 0; i + 1 < history.value->entries.size(); ++i) {
    const HeartbeatEntry& e = history.value->entries[i];
    EXPECT_EQ(e.status, "online") << i;
    EXPECT_EQ(e.event, "heartbeat") << i;
    EXPECT_EQ(e.ts.back(), 'Z') << e.ts;
    EXPECT_LE(e.ts, history.value->entries[i + 1].ts) << "oldest first";
  }
  // The exact wire shape.
  HttpExchange raw = client_->Send("GET", "/workspaces/" + pm_ + "/heartbeat-history", "");
  ASSERT_TRUE(ParseJson(raw.body, &doc));
  EXPECT_EQ(std::string(doc["workspace_id"].GetString()), pm_);
  EXPECT_TRUE(doc["entries"].IsArray());
  EXPECT_TRUE(WaitForStatus(*client_, pm_, "online", DefaultWait())) << "back after the window";
}

TEST_F(ScenarioTest, PlatformCeilingLetsAShortTaskFinish) {
  ASSERT_NO_FATAL_FAILURE(Start(Scenario::kPlatformCeiling));
  auto reply = client_->SendMessage(pm_, KickoffText(3), DefaultWaitMs());
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.value->outcome, A2AOutcome::kResult);
  auto history = client_->GetHeartbeatHistory(pm_, 600);
  ASSERT_TRUE(history.ok()) << history.error;
  ASSERT_TRUE(history.value->available);
  for (const HeartbeatEntry& e : history.value->entries) {
    EXPECT_NE(e.event, "terminated");
  }
}

TEST_F(ScenarioTest, ABusyCoordinatorReportsOneActiveTask) {
  ASSERT_NO_FATAL_FAILURE(Start(Scenario::kUnbounded));
  std::thread kickoff([this] {
    PlatformClient own(ClientFor(*fake_));
    auto reply =
        own.SendMessage(pm_, KickoffText(30), DefaultWaitMs());  // 1650 platform s = 1.65 s
    EXPECT_TRUE(reply.ok()) << reply.error;
  });
  const auto deadline = std::chrono::steady_clock::now() + DefaultWait();
  std::int64_t seen = 0;
  while (seen == 0 && std::chrono::steady_clock::now() < deadline) {
    auto got = client_->GetWorkspace(pm_);
    if (got.ok()) {
      seen = got.value->active_tasks;
    }
    std::this_thread::sleep_for(milliseconds(2));
  }
  kickoff.join();
  EXPECT_EQ(seen, 1);
  auto idle = client_->GetWorkspace(pm_);
  ASSERT_TRUE(idle.ok());
  EXPECT_EQ(idle.value->active_tasks, 0);
}

TEST(FixedLatencyTest, EveryA2ACallAnswersAResultRegardlessOfDepth) {
  FakePlatformOptions options = FastOptions(kProfile);
  options.scenario = Scenario::kPlatformCeiling;  // ignored in fixed-latency mode
  options.fixed_a2a_latency_ms = 20;
  auto fake = StartFake(options);
  ASSERT_NE(fake, nullptr);
  PlatformClient client(ClientFor(*fake));
  std::string pm;
  ASSERT_TRUE(CreateOnline(client, "PM", &pm));
  auto reply = client.SendMessage(pm, KickoffText(1000), DefaultWaitMs());
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.value->outcome, A2AOutcome::kResult);
  EXPECT_GE(reply.exchange.timings.total_secs, 0.020);
}

}  // namespace
}  // namespace taskbounds
