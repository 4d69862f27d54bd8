// The phantom-busy reset (FakePlatformOptions::phantom_busy_reset; 2026-08's sweeper,
// external-workspaces-2026-08.md section 0 b), through the project client over real loopback
// sockets, on both profiles: a workspace whose task runs with neither activity rows nor
// heartbeats reads active_tasks 0 in GET and in the list once the sweeper ticks, while the
// task goes on; the agent's next heartbeat restores the counter.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "client/platform_client.h"
#include "gtest/gtest.h"
#include "mocks/embedded_fake_platform.h"
#include "rapidjson/document.h"
#include "tests/support/platform_fixture.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

// The PM's active_tasks in a JSON object; -1 when absent.
std::int64_t ActiveTasksIn(const rapidjson::Value& ws) {
  return ws.IsObject() && ws.HasMember("active_tasks") && ws["active_tasks"].IsInt64()
             ? ws["active_tasks"].GetInt64()
             : -1;
}

class PhantomBusyTest : public testing::TestWithParam<PlatformVersion> {
 protected:
  void SetUp() override {
    // 0.01: the depth-64 task lasts about 35 wall seconds, far longer than the test; the
    // sweeper ticks every 5 wall seconds and resets after 1 s without a row.
    FakePlatformOptions options = HarnessOptions(GetParam(), 0.01);
    options.phantom_busy_reset = true;
    options.durations.phantom_busy_interval_secs = 500;
    options.durations.phantom_busy_quiet_secs = 100;
    // The simulated agent sends no heartbeat (a quiet synthesis): only the test's restores.
    options.durations.heartbeat_interval_secs = 0;
    // 2026-08 holds the call for the whole task, so "the call has not returned" is "the
    // task runs" on both profiles.
    options.sync_budget_disabled = true;
    fake_ = StartHarnessFake(options);
    ASSERT_NE(fake_, nullptr);
    client_ = std::make_unique<PlatformClient>(ClientFor(*fake_, kHarnessAdminToken));
    const auto created =
        client_->CreateWorkspace({"phantom-pm", "Coordinator", 2, kTemplateOnEveryProfile});
    ASSERT_TRUE(created.ok()) << created.error;
    pm_ = created.value->id;
    ASSERT_TRUE(WaitForStatus(*client_, pm_, "online", DefaultWait()));
    kickoff_ = std::thread([this] {
      PlatformClient caller(ClientFor(*fake_, kHarnessAdminToken));
      const std::string body =
          R"({"jsonrpc":"2.0","id":"k1","method":"message/send","params":{"message":{"role":"user","messageId":"phantom-1","parts":[{"kind":"text","text":")" +
          KickoffText(64) + R"("}]}}})";
      (void)caller.Send("POST", "/workspaces/" + pm_ + "/a2a", body, 10 * DefaultWaitMs());
      task_call_returned_ = true;
    });
  }
  void TearDown() override {
    if (fake_) {
      fake_->Stop();  // wakes the held kickoff
    }
    if (kickoff_.joinable()) {
      kickoff_.join();
    }
  }

  std::int64_t ActiveTasksOfGet() {
    rapidjson::Document doc;
    doc.Parse(client_->Send("GET", "/workspaces/" + pm_, "").body.c_str());
    return ActiveTasksIn(doc);
  }

  std::int64_t ActiveTasksOfListed() {
    rapidjson::Document doc;
    doc.Parse(client_->Send("GET", "/workspaces", "").body.c_str());
    if (!doc.IsArray()) {
      return -1;
    }
    for (const rapidjson::Value& ws : doc.GetArray()) {
      if (ws.IsObject() && ws.HasMember("id") && ws["id"].IsString() &&
          ws["id"].GetString() == pm_) {
        return ActiveTasksIn(ws);
      }
    }
    return -1;
  }

  std::unique_ptr<EmbeddedFakePlatform> fake_;
  std::unique_ptr<PlatformClient> client_;
  std::string pm_;
  std::thread kickoff_;
  std::atomic<bool> task_call_returned_{false};
};

TEST_P(PhantomBusyTest, AQuietRunningTaskReadsZeroUntilAHeartbeatRestoresIt) {
  // Busy from the kickoff until the sweeper's first tick (5 wall seconds after the start).
  ASSERT_TRUE(Eventually([this] { return ActiveTasksOfGet() == 1; }, DefaultWait(),
                         "the PM's task to start"));
  ASSERT_TRUE(Eventually([this] { return ActiveTasksOfGet() == 0; }, DefaultWait(),
                         "the sweeper's reset of the PM's active_tasks"));
  EXPECT_EQ(ActiveTasksOfListed(), 0) << "the list carries GET's fields";
  EXPECT_FALSE(task_call_returned_) << "the task still runs: the reset restarts nothing";
  EXPECT_EQ(fake_->backend().StatusOf(pm_), "online");

  const HttpExchange beat =
      client_->Send("POST", "/registry/heartbeat",
                    R"({"workspace_id":")" + pm_ + R"(","active_tasks":1,"uptime_seconds":42})");
  ASSERT_EQ(beat.http_status, 200) << beat.body;
  // Restored until the sweeper's next tick finds the PM quiet again (5 wall seconds).
  EXPECT_EQ(ActiveTasksOfGet(), 1);
  EXPECT_FALSE(task_call_returned_);
}

INSTANTIATE_TEST_SUITE_P(Profiles, PhantomBusyTest, testing::ValuesIn(AllPlatformVersions()),
                         ProfileParamName);

}  // namespace
}  // namespace taskbounds
