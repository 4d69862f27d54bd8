// StatusSampler against the embedded fake: it sees real status transitions, it stops at
// once when asked, and a poll that hangs cannot hold Stop() beyond its bound.
#include "fixtures/run/status_sampler.h"

#include <chrono>
#include <sstream>
#include <string>

#include "client/event_log.h"
#include "client/platform_client.h"
#include "client/verdict.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mocks/request_log_matchers.h"
#include "tests/support/assertions.h"
#include "tests/support/platform_fixture.h"
#include "tests/support/scripted_http_server.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

// Run on the 2026-04 profile: its open auth and langgraph template are what these tests' fakes and
// clients assume.
constexpr PlatformVersion kProfile = PlatformVersion::k2026_04;

using std::chrono::milliseconds;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;

TEST(StatusSamplerTest, SeesProvisioningThenOnline) {
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 0.001;
  options.durations.registration_secs = 300;  // 0.3 s wall: long enough to sample
  auto fake = StartHarnessFake(options);
  ASSERT_TRUE(fake);
  PlatformClient client(ClientFor(*fake));
  const auto created = client.CreateWorkspace({"PM", "Coordinator", 2, "claude-code-default"});
  ASSERT_TRUE(created.ok()) << created.error;

  std::ostringstream out;
  EventLog events(out);
  SamplerOptions sampler_options;
  sampler_options.client = ClientFor(*fake);
  sampler_options.workspace_id = created.value->id;
  sampler_options.interval_platform_secs = 10;  // 10 ms wall
  sampler_options.time_scale = 0.001;
  StatusSampler sampler(sampler_options, &events);
  sampler.Start();
  ASSERT_TRUE(Eventually([&] { return !sampler.transitions().empty(); }, DefaultWait(),
                         "a status transition"));
  EXPECT_TRUE(sampler.Stop());

  const auto transitions = sampler.transitions();
  ASSERT_FALSE(transitions.empty());
  EXPECT_EQ(transitions.front().from, "provisioning");
  EXPECT_EQ(transitions.front().to, "online");
  const auto samples = sampler.samples();
  ASSERT_GE(samples.size(), 2u);
  EXPECT_EQ(samples.front().status, "provisioning");
  for (std::size_t i = 1; i < samples.size(); ++i) {
    EXPECT_GE(samples[i].at_platform_secs, samples[i - 1].at_platform_secs);
  }
  EXPECT_TRUE(samples.back().final);
  const auto lines = EventsNamed(ParseEvents(out.str()), "status_sample");
  EXPECT_EQ(lines.size(), static_cast<std::size_t>(sampler.successful_samples()));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.front().Str("workspace_id"), created.value->id);
  EXPECT_EQ(lines.front().Str("status"), "provisioning");
  EXPECT_TRUE(lines.front().Has("at_platform_secs"));

  ASSERT_TRUE(client.DeleteWorkspace(created.value->id, true).ok());
  EXPECT_THAT(fake->backend().LiveWorkspaceIds(), ::testing::IsEmpty());
}

TEST(StatusSamplerTest, SeesThePlatformCeilingFailedTransition) {
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.scenario = Scenario::kPlatformCeiling;
  options.time_scale = 0.001;
  options.durations.terminated_status_secs = 2000;  // "failed" for 2 s wall
  auto fake = StartHarnessFake(options);
  ASSERT_TRUE(fake);
  PlatformClient client(ClientFor(*fake));
  std::string pm;
  std::string child;
  ASSERT_TRUE(CreateLinkedPair(client, &pm, &child));
  ASSERT_TRUE(Eventually([&] { return fake->backend().StatusOf(pm) == "online"; }, DefaultWait(),
                         "PM online"));

  SamplerOptions sampler_options;
  sampler_options.client = ClientFor(*fake);
  sampler_options.workspace_id = pm;
  sampler_options.interval_platform_secs = 15;
  sampler_options.time_scale = 0.001;
  sampler_options.initial_status = "online";
  StatusSampler sampler(sampler_options, nullptr);
  sampler.Start();
  // Depth 8 runs 440 s unbounded; the hypothetical ceiling terminates it at 300 s.
  const auto reply = client.SendMessage(pm, "Delegate 8 separate sub-questions", DefaultWaitMs());
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.exchange.http_status, 503);
  ASSERT_TRUE(Eventually(
      [&] {
        for (const auto& t : sampler.transitions()) {
          if (t.to == "failed") return true;
        }
        return false;
      },
      DefaultWait(), "a transition to failed"));
  EXPECT_TRUE(sampler.Stop());

  const auto transitions = sampler.transitions();
  EXPECT_THAT(transitions, Contains(AllOf(Field(&StatusTransition::from, "online"),
                                          Field(&StatusTransition::to, "failed"))));
  for (const auto& t : transitions) {
    if (t.to != "failed") {
      continue;
    }
    EXPECT_TRUE(IsInterventionStatus(t.to));
    // The task started after the sampler's origin, and was terminated 300 s into it.
    EXPECT_GE(t.at_platform_secs, 300.0);
  }

  ASSERT_TRUE(client.DeleteWorkspace(child, false).ok());
  ASSERT_TRUE(client.DeleteWorkspace(pm, true).ok());
  EXPECT_THAT(fake->backend().LiveWorkspaceIds(), ::testing::IsEmpty());
}

TEST(StatusSamplerTest, StopWakesTheThreadInsteadOfWaitingOutTheInterval) {
  auto fake = StartHarnessFake(FastOptions(kProfile, 1.0));
  ASSERT_TRUE(fake);
  PlatformClient client(ClientFor(*fake));
  const auto created = client.CreateWorkspace({"PM", "Coordinator", 2, "claude-code-default"});
  ASSERT_TRUE(created.ok()) << created.error;

  SamplerOptions sampler_options;
  sampler_options.client = ClientFor(*fake);
  sampler_options.workspace_id = created.value->id;
  sampler_options.interval_platform_secs = 1e6;  // would sleep for 11 days
  sampler_options.time_scale = 1.0;
  sampler_options.join_timeout = DefaultWait();
  StatusSampler sampler(sampler_options, nullptr);
  sampler.Start();
  ASSERT_TRUE(Eventually([&] { return sampler.successful_samples() >= 1; }, DefaultWait(),
                         "the first sample"));
  // Joined (true) rather than detached after join_timeout: the condition variable woke it.
  EXPECT_TRUE(sampler.Stop());
  const auto samples = sampler.samples();
  ASSERT_EQ(samples.size(), 2u);  // the first poll and the final one
  EXPECT_FALSE(samples[0].final);
  EXPECT_TRUE(samples[1].final);
  EXPECT_TRUE(sampler.Stop());  // idempotent

  ASSERT_TRUE(client.DeleteWorkspace(created.value->id, true).ok());
}

TEST(StatusSamplerTest, StopIsBoundedWhenAPollHangs) {
  auto fake = StartHarnessFake(FastOptions(kProfile));
  ASSERT_TRUE(fake);
  PlatformClient client(ClientFor(*fake));
  const auto created = client.CreateWorkspace({"PM", "Coordinator", 2, "claude-code-default"});
  ASSERT_TRUE(created.ok()) << created.error;
  ASSERT_TRUE(fake->server().InjectFault("GET /workspaces/{id}", Fault::Hang()));

  std::ostringstream out;
  EventLog events(out);
  SamplerOptions sampler_options;
  sampler_options.client = ClientFor(*fake);
  sampler_options.workspace_id = created.value->id;
  sampler_options.time_scale = 0.001;
  sampler_options.join_timeout = milliseconds(200);
  sampler_options.final_sample = false;
  StatusSampler sampler(sampler_options, &events);
  sampler.Start();
  ASSERT_TRUE(WaitForRequest(fake->server(), IsRequest("GET", "/workspaces/" + created.value->id),
                             DefaultWait()));
  // The poll is stuck inside the fake: Stop() gives up after join_timeout and detaches.
  EXPECT_FALSE(sampler.Stop());
  EXPECT_EQ(sampler.successful_samples(), 0);
  EXPECT_TRUE(EventsNamed(ParseEvents(out.str()), "status_sample").empty());

  fake->server().ClearFaults();
  ASSERT_TRUE(client.DeleteWorkspace(created.value->id, true).ok());
  EXPECT_THAT(fake->backend().LiveWorkspaceIds(), ::testing::IsEmpty());
  fake->Stop();  // releases the hung poll; the detached thread then ends on its own
  EXPECT_TRUE(Eventually([&] { return sampler.thread_finished(); }, DefaultWait(),
                         "the detached poll to end"));
  const auto samples = sampler.samples();
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_FALSE(samples[0].ok);
}

}  // namespace
}  // namespace taskbounds

namespace taskbounds {
namespace {

// 2026-08's liveness fields reach the samples and the events; wedged:true is noted once.
TEST(StatusSamplerLivenessTest, RecordsWedgedActiveTasksAndTheLastHeartbeat) {
  testing_support::ScriptedHttpServer server;
  ASSERT_TRUE(server.Start());
  testing_support::ScriptedResponse answer;
  answer.body = R"({"id":"pm-1","name":"PM","status":"online","wedged":true,"active_tasks":1,)"
                R"("last_heartbeat_at":"2026-08-14T10:00:00Z"})";
  server.Script("GET", "/workspaces/pm-1", answer);
  std::ostringstream out;
  EventLog events(out);
  SamplerOptions options;
  options.client.base_url = server.base_url();
  options.workspace_id = "pm-1";
  options.interval_platform_secs = 10;
  options.time_scale = 0.001;
  options.initial_status = "online";
  StatusSampler sampler(options, &events);
  sampler.Start();
  ASSERT_TRUE(
      Eventually([&] { return sampler.successful_samples() > 0; }, DefaultWait(), "a sample"));
  EXPECT_TRUE(sampler.Stop());
  ASSERT_TRUE(sampler.first_wedged_at().has_value());
  const StatusSample first = sampler.samples().front();
  EXPECT_TRUE(first.wedged);
  EXPECT_EQ(first.active_tasks, 1);
  EXPECT_EQ(first.last_heartbeat_at, "2026-08-14T10:00:00Z");
  EXPECT_THAT(out.str(), ::testing::HasSubstr(R"("wedged":true,"active_tasks":1,)"
                                              R"("last_heartbeat_at":"2026-08-14T10:00:00Z")"));
  EXPECT_TRUE(sampler.transitions().empty());  // online throughout
}

}  // namespace
}  // namespace taskbounds
