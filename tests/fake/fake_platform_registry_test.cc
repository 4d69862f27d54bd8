// The agent-side registry routes (platform-api.md 4, 6.1, 6.2) and the secret-triggered
// restart of a workspace that is still provisioning (3.4), through the project client's
// low-level Send over real loopback sockets.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "client/platform_client.h"
#include "gtest/gtest.h"
#include "mocks/embedded_fake_platform.h"
#include "tests/support/assertions.h"
#include "tests/support/platform_fixture.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

// These tests hold the 2026-04 profile's rules (platform-api.md): open auth in dev mode, the
// langgraph template, a synchronous A2A answer.
constexpr PlatformVersion kProfile = PlatformVersion::k2026_04;

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr char kUnknownId[] = "00000000-0000-4000-8000-000000000000";

// A heartbeat as the agent sends it (heartbeat.py), `runtime_state` only when non-empty.
std::string HeartbeatBody(const std::string& id, double error_rate,
                          const std::string& runtime_state = "") {
  char rate[32];
  std::snprintf(rate, sizeof(rate), "%g", error_rate);
  std::string body = R"({"workspace_id":")" + id + R"(","error_rate":)" + rate +
                     R"(,"sample_error":"","active_tasks":1,"current_task":"research",)"
                     R"("uptime_seconds":42)";
  if (!runtime_state.empty()) {
    body += R"(,"runtime_state":")" + runtime_state + R"(")";
  }
  return body + "}";
}

HttpExchange Heartbeat(PlatformClient& client, const std::string& id, double error_rate,
                       const std::string& runtime_state = "") {
  return client.Send("POST", "/registry/heartbeat", HeartbeatBody(id, error_rate, runtime_state));
}

HttpExchange Register(PlatformClient& client, const std::string& id, const std::string& url) {
  return client.Send("POST", "/registry/register",
                     R"({"id":")" + id + R"(","url":")" + url +
                         R"(","agent_card":{"name":"Registered agent","skills":[]}})");
}

// GET /workspaces/{id}'s status, or a description of what went wrong.
std::string StatusNow(PlatformClient& client, const std::string& id) {
  auto got = client.GetWorkspace(id);
  return got.ok() ? got.value->status : "(GET failed: " + got.error + ")";
}

class RegistryTest : public FakePlatformTest {
 protected:
  void SetUp() override { Start(FastOptions(kProfile)); }

  // Options where the simulated agent never registers on its own: only the registry
  // routes (or a restart) can end provisioning, so status changes are the test's doing.
  static FakePlatformOptions NeverRegistersOptions(double time_scale = 0.001) {
    FakePlatformOptions options = FastOptions(kProfile, time_scale);
    options.durations.registration_secs = 1e6;
    options.durations.provision_timeout_secs = 1e7;
    return options;
  }

  std::string MustCreate(const std::string& name) {
    auto created = client_->CreateWorkspace({name, "", 2, "langgraph"});
    EXPECT_TRUE(created.ok()) << created.error;
    return created.ok() ? created.value->id : "";
  }
};

TEST_F(RegistryTest, ErrorRateDegradesAndOnlyALowRateBringsItBack) {
  std::string id;
  ASSERT_TRUE(CreateOnline(*client_, "PM", &id));

  HttpExchange beat = Heartbeat(*client_, id, 0.6);
  EXPECT_EQ(beat.http_status, 200);
  EXPECT_EQ(beat.body, R"({"status":"ok"})");
  EXPECT_EQ(StatusNow(*client_, id), "degraded") << "error_rate >= 0.5";
  HttpExchange got = client_->Send("GET", "/workspaces/" + id, "");
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson(got.body, &doc));
  ASSERT_TRUE(doc["last_error_rate"].IsNumber()) << got.body;
  EXPECT_DOUBLE_EQ(doc["last_error_rate"].GetDouble(), 0.6) << "the heartbeat's snapshot";

  ASSERT_EQ(Heartbeat(*client_, id, 0.3).http_status, 200);
  EXPECT_EQ(StatusNow(*client_, id), "degraded") << "0.3 is not below 0.1";
  ASSERT_EQ(Heartbeat(*client_, id, 0.1).http_status, 200);
  EXPECT_EQ(StatusNow(*client_, id), "degraded") << "0.1 is not below 0.1";
  ASSERT_EQ(Heartbeat(*client_, id, 0.05).http_status, 200);
  EXPECT_EQ(StatusNow(*client_, id), "online") << "error_rate < 0.1 recovers";
  ASSERT_EQ(Heartbeat(*client_, id, 0.3).http_status, 200);
  EXPECT_EQ(StatusNow(*client_, id), "online") << "0.3 does not degrade an online workspace";
}

TEST_F(RegistryTest, AWedgedRuntimeDegradesUntilItStopsSayingSo) {
  std::string id;
  ASSERT_TRUE(CreateOnline(*client_, "PM", &id));

  ASSERT_EQ(Heartbeat(*client_, id, 0, "wedged").http_status, 200);
  EXPECT_EQ(StatusNow(*client_, id), "degraded") << "wedged, whatever the error rate";
  ASSERT_EQ(Heartbeat(*client_, id, 0, "wedged").http_status, 200);
  EXPECT_EQ(StatusNow(*client_, id), "degraded") << "recovery needs an empty runtime_state";
  ASSERT_EQ(Heartbeat(*client_, id, 0).http_status, 200);
  EXPECT_EQ(StatusNow(*client_, id), "online");
}

TEST_F(RegistryTest, HeartbeatNeedsAWorkspaceIdAndAnswersOkForUnknownOnes) {
  for (const char* body :
       {R"({"error_rate":0.6})", R"({"workspace_id":"","error_rate":0.6})", "not json", "[]",
        R"({"workspace_id":7})", R"({"workspace_id":"x","error_rate":"high"})"}) {
    SCOPED_TRACE(body);
    EXPECT_TRUE(IsFlatError(client_->Send("POST", "/registry/heartbeat", body), 400,
                            "invalid request body"));
  }
  HttpExchange unknown = Heartbeat(*client_, kUnknownId, 0.9);
  EXPECT_EQ(unknown.http_status, 200) << "the UPDATE touches no row and still answers ok";
  EXPECT_EQ(unknown.body, R"({"status":"ok"})");
  EXPECT_EQ(Heartbeat(*client_, "not-a-uuid", 0.9).http_status, 200);
  EXPECT_TRUE(fake_->server().LiveWorkspaceIds().empty()) << "no workspace invented";
}

TEST_F(RegistryTest, RemovedWorkspacesAreNeitherDegradedNorRevived) {
  std::string id;
  ASSERT_TRUE(CreateOnline(*client_, "PM", &id));
  ASSERT_TRUE(client_->DeleteWorkspace(id, false).ok());

  EXPECT_EQ(Heartbeat(*client_, id, 0.9).http_status, 200);
  EXPECT_EQ(StatusNow(*client_, id), "removed");
  EXPECT_EQ(Heartbeat(*client_, id, 0).http_status, 200);
  EXPECT_EQ(StatusNow(*client_, id), "removed");
  EXPECT_EQ(Register(*client_, id, "http://agent:9000").http_status, 200);
  EXPECT_EQ(StatusNow(*client_, id), "removed") << "register revives only non-removed rows";
}

TEST_F(RegistryTest, FirstHeartbeatWhileProvisioningMarksItOnline) {
  Start(NeverRegistersOptions());
  const std::string id = MustCreate("PM");
  ASSERT_EQ(StatusNow(*client_, id), "provisioning");
  ASSERT_EQ(Heartbeat(*client_, id, 0.9).http_status, 200);
  EXPECT_EQ(StatusNow(*client_, id), "online")
      << "one transition per heartbeat: provisioning -> online, not on to degraded";
  ASSERT_EQ(Heartbeat(*client_, id, 0.9).http_status, 200);
  EXPECT_EQ(StatusNow(*client_, id), "degraded");
}

TEST_F(RegistryTest, RegisterRevivesAFailedWorkspaceWithItsUrlAndCard) {
  FakePlatformOptions options = NeverRegistersOptions();
  options.durations.provision_timeout_secs = 10;  // 10 ms wall, then "failed"
  Start(options);
  const std::string id = MustCreate("Researcher");
  ASSERT_TRUE(WaitForStatus(*client_, id, "failed", DefaultWait()));
  ASSERT_EQ(Heartbeat(*client_, id, 0).http_status, 200);
  EXPECT_EQ(StatusNow(*client_, id), "failed") << "a heartbeat does not revive failed";

  HttpExchange registered = Register(*client_, id, "http://agent-7:9000");
  EXPECT_EQ(registered.http_status, 200);
  EXPECT_EQ(registered.body, R"({"status":"registered"})");
  HttpExchange got = client_->Send("GET", "/workspaces/" + id, "");
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson(got.body, &doc));
  EXPECT_STREQ(doc["status"].GetString(), "online") << got.body;
  EXPECT_STREQ(doc["url"].GetString(), "http://agent-7:9000");
  ASSERT_TRUE(doc["agent_card"].IsObject()) << got.body;
  EXPECT_STREQ(doc["agent_card"]["name"].GetString(), "Registered agent");
}

TEST_F(RegistryTest, RegisterEndsDegradedAndAFailedTermination) {
  FakePlatformOptions options = FastOptions(kProfile);
  options.scenario = Scenario::kPlatformCeiling;
  options.durations.terminated_status_secs = 1e6;  // "failed" until something revives it
  Start(options);
  std::string id;
  ASSERT_TRUE(CreateOnline(*client_, "PM", &id));
  ASSERT_EQ(Heartbeat(*client_, id, 0.7).http_status, 200);
  ASSERT_EQ(StatusNow(*client_, id), "degraded");
  ASSERT_EQ(Register(*client_, id, "http://pm:8000").http_status, 200);
  EXPECT_EQ(StatusNow(*client_, id), "online") << "registration sets online";

  // Depth 8 needs 440 s; the hypothetical ceiling terminates it at 300 s -> failed.
  auto reply = client_->SendMessage(id, KickoffText(8), DefaultWaitMs());
  ASSERT_TRUE(reply.ok()) << reply.error;
  ASSERT_EQ(StatusNow(*client_, id), "failed");
  ASSERT_EQ(Register(*client_, id, "http://pm:8000").http_status, 200);
  EXPECT_EQ(StatusNow(*client_, id), "online") << "registration revives failed";
}

TEST_F(RegistryTest, RegisterValidatesItsBody) {
  for (const char* body :
       {R"({"url":"http://a:1"})", R"({"id":""})", "not json", R"({"id":"x","url":5})"}) {
    SCOPED_TRACE(body);
    EXPECT_TRUE(IsFlatError(client_->Send("POST", "/registry/register", body), 400,
                            "invalid request body"));
  }
  EXPECT_TRUE(
      IsFlatError(Register(*client_, kUnknownId, "http://a:1"), 404, "workspace not found"));
  EXPECT_TRUE(fake_->server().LiveWorkspaceIds().empty()) << "no workspace invented";
}

TEST_F(RegistryTest, FaultsCanBeInjectedOnTheRegistryRoutes) {
  std::string id;
  ASSERT_TRUE(CreateOnline(*client_, "PM", &id));
  ASSERT_TRUE(fake_->server().InjectFault("POST /registry/heartbeat", Fault::Status(503), 1));
  ASSERT_TRUE(fake_->server().InjectFault("POST /registry/register", Fault::Status(502), 1));
  EXPECT_EQ(Heartbeat(*client_, id, 0.9).http_status, 503);
  EXPECT_EQ(StatusNow(*client_, id), "online") << "the faulted heartbeat never arrived";
  EXPECT_EQ(Register(*client_, id, "http://a:1").http_status, 502);
  EXPECT_EQ(Heartbeat(*client_, id, 0.9).http_status, 200);
  EXPECT_EQ(StatusNow(*client_, id), "degraded");
  const auto requests = fake_->server().requests();
  int heartbeats = 0;
  for (const RecordedRequest& r : requests) {
    heartbeats += r.route == "POST /registry/heartbeat" ? 1 : 0;
  }
  EXPECT_EQ(heartbeats, 2) << "both heartbeats logged under their route key";
}

TEST(RegistryAccessTest, RegistryRoutesAnswerWithoutTheOrgHeaderOrABearer) {
  FakePlatformOptions options = FastOptions(kProfile);
  options.admin_token = "admin-token-for-registry-tests";
  options.org_id = "org-7c1e";
  auto fake = StartFake(options);
  ASSERT_NE(fake, nullptr);
  PlatformClient admin(ClientFor(*fake, options.admin_token, options.org_id));
  PlatformClient agent(ClientFor(*fake));  // no bearer, no X-Molecule-Org-Id
  std::string id;
  ASSERT_TRUE(CreateOnline(admin, "PM", &id));

  // Control: the same anonymous client is refused elsewhere.
  HttpExchange guarded = agent.Send("GET", "/workspaces/" + id, "");
  EXPECT_EQ(guarded.http_status, 404) << "tenancy is on";
  EXPECT_EQ(guarded.body, "");
  PlatformClient tenant_only(ClientFor(*fake, "", options.org_id));
  EXPECT_TRUE(IsFlatError(tenant_only.Send("PATCH", "/workspaces/" + id, R"({"name":"X"})"), 401,
                          "missing workspace auth token"))
      << "auth is on";

  HttpExchange beat = Heartbeat(agent, id, 0.8);
  EXPECT_EQ(beat.http_status, 200) << beat.body;
  EXPECT_EQ(beat.body, R"({"status":"ok"})");
  EXPECT_EQ(StatusNow(admin, id), "degraded");
  HttpExchange registered = Register(agent, id, "http://pm:8000");
  EXPECT_EQ(registered.http_status, 200) << registered.body;
  EXPECT_EQ(StatusNow(admin, id), "online");
}

// A poll of GET /workspaces/{id} with the client-side times around it: the server read its
// status at some instant between `sent` and `answered`.
struct Observation {
  Clock::time_point sent;
  Clock::time_point answered;
  std::string status;
  std::string url;
};

Observation Observe(PlatformClient& client, const std::string& id) {
  Observation o;
  o.sent = Clock::now();
  HttpExchange got = client.Send("GET", "/workspaces/" + id, "");
  o.answered = Clock::now();
  rapidjson::Document doc;
  doc.Parse(got.body.data(), got.body.size());
  if (got.http_status != 200 || doc.HasParseError() || !doc.IsObject() ||
      !doc.HasMember("status") || !doc["status"].IsString() || !doc.HasMember("url") ||
      !doc["url"].IsString()) {
    o.status = "(bad answer " + std::to_string(got.http_status) + ": " + got.BodyExcerpt() + ")";
    return o;
  }
  o.status = doc["status"].GetString();
  o.url = doc["url"].GetString();
  return o;
}

Clock::duration Scaled(double platform_secs, double time_scale) {
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(platform_secs * time_scale));
}

TEST_F(RegistryTest, SecretWrittenWhileProvisioningRestartsOnlyAfterTheWait) {
  // The agent never registers on its own, so the workspace is certainly provisioning when
  // the secret lands, and only the restart (wait, then restart_secs) brings it online.
  const double scale = 0.02;
  FakePlatformOptions options = NeverRegistersOptions(scale);
  options.durations.restart_wait_if_provisioning_secs = 10;  // 200 ms wall
  options.durations.restart_secs = 5;                        // 100 ms wall
  Start(options);
  const std::string id = MustCreate("Researcher");
  const Clock::time_point before_secret = Clock::now();
  ASSERT_TRUE(client_->SetSecret(id, "OPENROUTER_API_KEY", "placeholder").ok());

  std::vector<Observation> seen;
  const auto deadline = Clock::now() + DefaultWait();
  while (Clock::now() < deadline) {
    seen.push_back(Observe(*client_, id));
    if (seen.back().status != "provisioning") {
      break;
    }
    std::this_thread::sleep_for(milliseconds(2));
  }
  ASSERT_FALSE(seen.empty());
  const Observation& last = seen.back();
  ASSERT_EQ(last.status, "online") << "after " << seen.size() << " polls";
  // Causality, not timing: the server cannot have shown online before wait + restart
  // passed from the moment the secret was sent.
  EXPECT_GE(
      last.answered - before_secret,
      Scaled(options.durations.restart_wait_if_provisioning_secs + options.durations.restart_secs,
             scale))
      << "online came before the 10 s wait and the restart had both passed";
  EXPECT_NE(last.url, "") << "the new container's URL";
  for (const Observation& o : seen) {
    if (o.answered - before_secret <
        Scaled(options.durations.restart_wait_if_provisioning_secs, scale)) {
      EXPECT_NE(o.url, "") << "the restart (which clears the URL) had not begun yet";
    }
  }
}

TEST_F(RegistryTest, AnAgentRegisteringDuringTheWaitIsOnlineUntilTheRestart) {
  // platform-api.md 4: provisioning -> (maybe briefly online) -> provisioning -> online.
  const double scale = 0.001;
  FakePlatformOptions options = NeverRegistersOptions(scale);
  options.durations.restart_wait_if_provisioning_secs = 2000;  // 2 s wall
  options.durations.restart_secs = 2000;                       // 2 s wall
  Start(options);
  const std::string id = MustCreate("Researcher");
  const Clock::time_point before_secret = Clock::now();
  ASSERT_TRUE(client_->SetSecret(id, "OPENROUTER_API_KEY", "placeholder").ok());
  ASSERT_EQ(Register(*client_, id, "http://first-container:8000").http_status, 200);
  const Observation registered = Observe(*client_, id);
  if (registered.answered - before_secret <
      Scaled(options.durations.restart_wait_if_provisioning_secs, scale)) {
    EXPECT_EQ(registered.status, "online") << "the first container registered";
    EXPECT_EQ(registered.url, "http://first-container:8000");
  }

  ASSERT_TRUE(WaitForStatus(*client_, id, "provisioning", DefaultWait()))
      << "the delayed restart begins";
  const Observation restarting = Observe(*client_, id);
  EXPECT_GE(restarting.answered - before_secret,
            Scaled(options.durations.restart_wait_if_provisioning_secs, scale));
  if (restarting.status == "provisioning") {
    EXPECT_EQ(restarting.url, "") << "a restart clears the URL";
  }
  EXPECT_TRUE(WaitForStatus(*client_, id, "online", DefaultWait())) << "the new container";
}

TEST(RegistryHarnessTest, APmDegradedMidKickoffShowsDegradedWhileTheCallRuns) {
  // Depth 8 in the unbounded scenario: 120 s of delegation + 320 s of synthesis, 4.4 s wall.
  const double scale = 0.01;
  auto fake = StartFake(FastOptions(kProfile, scale));
  ASSERT_NE(fake, nullptr);
  PlatformClient poller(ClientFor(*fake));
  std::string pm;
  ASSERT_TRUE(CreateOnline(poller, "PM", &pm, DefaultWait()));

  ApiResult<A2AReply> reply;
  std::thread kickoff([&] {
    PlatformClient caller(ClientFor(*fake));
    reply = caller.SendMessage(pm, KickoffText(8), 3 * DefaultWaitMs());
  });
  const auto a2a_arrived = fake->server().WaitForRequest(
      [](const RecordedRequest& r) { return r.route == "POST /workspaces/{id}/a2a"; },
      DefaultWait());
  bool degraded_during_call = false;
  std::string last = "(not polled)";
  if (a2a_arrived) {
    ASSERT_EQ(Heartbeat(poller, pm, 0.6).http_status, 200);
    const auto deadline = Clock::now() + DefaultWait();
    while (Clock::now() < deadline) {
      last = StatusNow(poller, pm);
      if (last == "degraded") {
        // Polled while the call was still open: its request is not answered yet.
        for (const RecordedRequest& r : fake->server().requests()) {
          if (r.sequence == a2a_arrived->sequence) {
            degraded_during_call = !r.answered;
          }
        }
        break;
      }
      std::this_thread::sleep_for(milliseconds(5));
    }
  }
  kickoff.join();
  ASSERT_TRUE(a2a_arrived) << "the kickoff never reached the fake";
  EXPECT_EQ(last, "degraded");
  EXPECT_TRUE(degraded_during_call) << "degraded was seen only after the answer";
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.value->outcome, A2AOutcome::kResult)
      << "degraded does not end the task; the proxy only needs a URL";
  EXPECT_EQ(StatusNow(poller, pm), "degraded") << "no recovering heartbeat yet";
  ASSERT_EQ(Heartbeat(poller, pm, 0.05).http_status, 200);
  EXPECT_EQ(StatusNow(poller, pm), "online");
}

}  // namespace
}  // namespace taskbounds
