// StatusSampler against the embedded fake, on each profile: it sees real status transitions
// (a tombstone's too, however the profile answers it), it stops at once when asked, and a
// poll that hangs cannot hold Stop() beyond its bound.
#include "fixtures/run/status_sampler.h"

#include <chrono>
#include <memory>
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

using std::chrono::milliseconds;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;

// Waits until `sampler` has recorded a transition to `status`, within `timeout`.
testing::AssertionResult SawTransitionTo(const StatusSampler& sampler, const std::string& status,
                                         milliseconds timeout) {
  return Eventually(
      [&] {
        for (const auto& t : sampler.transitions()) {
          if (t.to == status) return true;
        }
        return false;
      },
      timeout, "a transition to " + status);
}

// What the sampler sees is the harness's: these tests run on each fake profile (the
// parameter), against a fake that enforces kHarnessAdminToken; the sampler's client sends it.
class StatusSamplerTest : public testing::TestWithParam<PlatformVersion> {
 protected:
  // HarnessOptions on this test's profile.
  FakePlatformOptions Options(double time_scale = 0.001) const {
    return HarnessOptions(GetParam(), time_scale);
  }
  // Starts the fake and a client with the admin token; false (with a recorded failure)
  // when the fake cannot start.
  bool StartFakeAndClient(const FakePlatformOptions& options) {
    fake_ = StartHarnessFake(options);
    if (!fake_) {
      return false;
    }
    client_ = std::make_unique<PlatformClient>(ClientFor(*fake_, kHarnessAdminToken));
    return true;
  }
  // A PM made from the template every profile maintains; its id, "" after a failure.
  std::string CreatePm() {
    const auto created =
        client_->CreateWorkspace({"PM", "Coordinator", 2, kTemplateOnEveryProfile});
    EXPECT_TRUE(created.ok()) << created.error;
    return created.ok() ? created.value->id : "";
  }
  // A sampler of `workspace_id` on this test's fake, with the admin token.
  SamplerOptions SamplerFor(const std::string& workspace_id, double time_scale) const {
    SamplerOptions options;
    options.client = ClientFor(*fake_, kHarnessAdminToken);
    options.workspace_id = workspace_id;
    options.time_scale = time_scale;
    return options;
  }

  std::unique_ptr<EmbeddedFakePlatform> fake_;
  std::unique_ptr<PlatformClient> client_;
};

INSTANTIATE_TEST_SUITE_P(EveryProfile, StatusSamplerTest, testing::ValuesIn(AllPlatformVersions()),
                         ProfileParamName);

TEST_P(StatusSamplerTest, SeesProvisioningThenOnline) {
  FakePlatformOptions options = Options();
  options.durations.registration_secs = 300;  // 0.3 s wall: long enough to sample
  ASSERT_TRUE(StartFakeAndClient(options));
  const std::string pm = CreatePm();
  ASSERT_FALSE(pm.empty());

  std::ostringstream out;
  EventLog events(out);
  SamplerOptions sampler_options = SamplerFor(pm, 0.001);
  sampler_options.interval_platform_secs = 10;  // 10 ms wall
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
  EXPECT_EQ(lines.front().Str("workspace_id"), pm);
  EXPECT_EQ(lines.front().Str("status"), "provisioning");
  EXPECT_TRUE(lines.front().Has("at_platform_secs"));

  ASSERT_TRUE(client_->DeleteWorkspace(pm, true).ok());
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), ::testing::IsEmpty());
}

TEST_P(StatusSamplerTest, SeesOnlineThenRemovedWhenTheWorkspaceIsDeleted) {
  ASSERT_TRUE(StartFakeAndClient(Options()));
  const std::string pm = CreatePm();
  ASSERT_FALSE(pm.empty());
  ASSERT_TRUE(WaitForStatus(*client_, pm, "online", DefaultWait()));

  SamplerOptions sampler_options = SamplerFor(pm, 0.001);
  sampler_options.interval_platform_secs = 10;  // 10 ms wall
  sampler_options.initial_status = "online";
  StatusSampler sampler(sampler_options, nullptr);
  sampler.Start();
  ASSERT_TRUE(Eventually([&] { return sampler.successful_samples() >= 1; }, DefaultWait(),
                         "the first sample"));
  ASSERT_TRUE(client_->DeleteWorkspace(pm, true).ok());
  // The platform shows the tombstone differently (2026-04: 200 status "removed",
  // platform-api.md section 3.2; 2026-08: 410, platform-api-2026-08.md section 3); the
  // sampler sees the same transition on both, and a 410 is a sample, not a failed poll.
  ASSERT_TRUE(SawTransitionTo(sampler, "removed", DefaultWait()));
  EXPECT_TRUE(sampler.Stop());
  EXPECT_THAT(sampler.transitions(), Contains(AllOf(Field(&StatusTransition::from, "online"),
                                                    Field(&StatusTransition::to, "removed"))));
  for (const StatusSample& sample : sampler.samples()) {
    EXPECT_TRUE(sample.ok) << "a poll failed at " << sample.at_platform_secs << " s";
  }
}

// 2026-04's hypothetical platform ceiling (the platform_ceiling scenario) is that
// profile's rule only.
TEST(StatusSampler2026_04Test, SeesThePlatformCeilingFailedTransition) {
  FakePlatformOptions options;
  options.platform_version = PlatformVersion::k2026_04;
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
  ASSERT_TRUE(SawTransitionTo(sampler, "failed", DefaultWait()));
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

TEST_P(StatusSamplerTest, StopWakesTheThreadInsteadOfWaitingOutTheInterval) {
  ASSERT_TRUE(StartFakeAndClient(Options(1.0)));
  const std::string pm = CreatePm();
  ASSERT_FALSE(pm.empty());

  SamplerOptions sampler_options = SamplerFor(pm, 1.0);
  sampler_options.interval_platform_secs = 1e6;  // would sleep for 11 days
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

  ASSERT_TRUE(client_->DeleteWorkspace(pm, true).ok());
}

TEST_P(StatusSamplerTest, StopIsBoundedWhenAPollHangs) {
  ASSERT_TRUE(StartFakeAndClient(Options()));
  const std::string pm = CreatePm();
  ASSERT_FALSE(pm.empty());
  ASSERT_TRUE(fake_->server().InjectFault("GET /workspaces/{id}", Fault::Hang()));

  std::ostringstream out;
  EventLog events(out);
  SamplerOptions sampler_options = SamplerFor(pm, 0.001);
  sampler_options.join_timeout = milliseconds(200);
  sampler_options.final_sample = false;
  StatusSampler sampler(sampler_options, &events);
  sampler.Start();
  ASSERT_TRUE(
      WaitForRequest(fake_->server(), IsRequest("GET", "/workspaces/" + pm), DefaultWait()));
  // The poll is stuck inside the fake: Stop() gives up after join_timeout and detaches.
  EXPECT_FALSE(sampler.Stop());
  EXPECT_EQ(sampler.successful_samples(), 0);
  EXPECT_TRUE(EventsNamed(ParseEvents(out.str()), "status_sample").empty());

  fake_->server().ClearFaults();
  ASSERT_TRUE(client_->DeleteWorkspace(pm, true).ok());
  EXPECT_THAT(fake_->backend().LiveWorkspaceIds(), ::testing::IsEmpty());
  fake_->Stop();  // releases the hung poll; the detached thread then ends on its own
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

// A sampler polling a scripted platform (GET /workspaces/pm-1) every 10 platform s at
// TIME_SCALE 0.001, online until a test scripts otherwise, with one sample taken.
class StatusSamplerLostSightTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start());
    Answer(200, R"({"id":"pm-1","name":"PM","status":"online"})");
    SamplerOptions options;
    options.client.base_url = server_.base_url();
    options.client.request_timeout_ms = 2000;
    options.workspace_id = "pm-1";
    options.interval_platform_secs = 10;
    options.time_scale = 0.001;
    options.initial_status = "online";
    sampler_ = std::make_unique<StatusSampler>(options, nullptr);
    sampler_->Start();
    ASSERT_TRUE(MorePolls(1));
  }

  // The PM's GET answers `status` with `body` from now on.
  void Answer(int status, const std::string& body,
              const std::string& content_type = "application/json") {
    testing_support::ScriptedResponse answer;
    answer.status = status;
    answer.content_type = content_type;
    answer.body = body;
    server_.Script("GET", "/workspaces/pm-1", answer);
  }

  // Waits until the sampler has recorded `count` more samples.
  testing::AssertionResult MorePolls(std::size_t count) {
    const std::size_t seen = sampler_->samples().size();
    return Eventually([&] { return sampler_->samples().size() >= seen + count; }, DefaultWait(),
                      "more samples");
  }

  testing_support::ScriptedHttpServer server_;
  std::unique_ptr<StatusSampler> sampler_;  // destroyed first: it polls server_
};

// A platform that stops answering: the sampler says since when and why, and one that answers
// again closes the gap (a blip is not a lost platform).
TEST_F(StatusSamplerLostSightTest, APlatformThatStopsAnsweringIsUnreachableUntilItAnswers) {
  EXPECT_FALSE(sampler_->lost_sight().lost());
  Answer(503, R"({"error":"upstream unavailable"})");
  ASSERT_TRUE(MorePolls(3));
  const LostSight lost = sampler_->lost_sight();
  EXPECT_GT(lost.unreachable_from_secs, 0);
  EXPECT_THAT(lost.last_error, ::testing::HasSubstr("503"));
  EXPECT_LT(lost.vanished_at_secs, 0);
  Answer(200, R"({"id":"pm-1","name":"PM","status":"online"})");
  ASSERT_TRUE(Eventually([&] { return sampler_->samples().back().ok; }, DefaultWait(), "recovery"));
  EXPECT_FALSE(sampler_->lost_sight().lost()) << "the platform answers again";
  // Before the recovery, the gap was open: the bound a task's end gives.
  EXPECT_GE(sampler_->lost_sight(lost.unreachable_from_secs + 20).unreachable_from_secs, 0);
  EXPECT_TRUE(sampler_->Stop());
}

// The platform's JSON 404 for the PM is a vanished workspace; a plain-text 404 (no such route:
// a proxy or a wrong URL answering) is not, it is an unreachable platform.
TEST_F(StatusSamplerLostSightTest, OnlyThePlatformsJson404IsAVanishedPm) {
  Answer(404, "404 page not found", "text/plain");
  ASSERT_TRUE(MorePolls(2));
  EXPECT_LT(sampler_->lost_sight().vanished_at_secs, 0);
  EXPECT_GE(sampler_->lost_sight().unreachable_from_secs, 0);
  Answer(404, R"({"error":"workspace not found"})");
  ASSERT_TRUE(MorePolls(2));
  EXPECT_TRUE(sampler_->Stop());
  const LostSight lost = sampler_->lost_sight();
  EXPECT_GT(lost.vanished_at_secs, 0);
  EXPECT_EQ(lost.vanished_http_status, 404);
  EXPECT_LT(lost.unreachable_from_secs, 0) << "the platform answered about the PM";
}

// A server that is gone: the error names the failed connection.
TEST_F(StatusSamplerLostSightTest, AStoppedServerIsUnreachableWithTheConnectError) {
  server_.Stop();
  ASSERT_TRUE(MorePolls(2));
  EXPECT_TRUE(sampler_->Stop());
  const LostSight lost = sampler_->lost_sight();
  EXPECT_GT(lost.unreachable_from_secs, 0);
  EXPECT_THAT(lost.last_error, ::testing::HasSubstr("connect"));
}

}  // namespace
}  // namespace taskbounds
