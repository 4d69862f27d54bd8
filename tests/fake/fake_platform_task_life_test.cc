// The fake's 2026-08 task life (platform-api-2026-08.md sections 4-6) over real sockets:
// bearer-only A2A, the sync budget's queued answer while the task goes on, the
// message-keyed row completed in place, GET /activity's cursor, the event stream (read with
// libcurl directly), queue items behind the boot turn, and each mechanism's traces. Every
// expectation about when the task ends comes from PlanTask2026_08.
#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "client/platform_client.h"
#include "gtest/gtest.h"
#include "mocks/embedded_fake_platform.h"
#include "mocks/platform/coordinator_model.h"
#include "rapidjson/document.h"
#include "tests/support/platform_fixture.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

constexpr char kAdminToken[] = "task-life-admin-token";

// The kickoff body with our own messageId and contextId, as the harness sends it.
std::string KickoffWithId(int depth, const std::string& message_id) {
  return R"({"jsonrpc":"2.0","id":"k1","method":"message/send","params":{"message":{"role":"user","messageId":")" +
         message_id + R"(","contextId":"ctx-)" + message_id +
         R"(","parts":[{"kind":"text","text":")" + KickoffText(depth) + R"("}]}}})";
}

// The event stream of one workspace, read by libcurl on its own thread until `stop_at`
// appears in the body after `stop_after`, the deadline passes, or the server ends the
// stream.
class StreamReader {
 public:
  StreamReader(std::string url, std::string stop_after, std::string stop_at, long timeout_ms)
      : url_(std::move(url)),
        stop_after_(std::move(stop_after)),
        stop_at_(std::move(stop_at)),
        timeout_ms_(timeout_ms) {
    thread_ = std::thread([this] { Run(); });
  }
  ~StreamReader() { thread_.join(); }
  StreamReader(const StreamReader&) = delete;
  StreamReader& operator=(const StreamReader&) = delete;

  // Waits for the reader to finish within `timeout`; the body read so far.
  [[nodiscard]] testing::AssertionResult WaitDone(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done_.load()) {
      if (std::chrono::steady_clock::now() >= deadline) {
        return testing::AssertionFailure() << "the event stream was still open after "
                                           << timeout.count() << " ms; read: " << Body();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return testing::AssertionSuccess();
  }
  std::string Body() {
    std::lock_guard<std::mutex> lock(mu_);
    return body_;
  }
  long status() const { return status_; }

 private:
  static size_t OnData(char* data, size_t size, size_t count, void* self_ptr) {
    auto* self = static_cast<StreamReader*>(self_ptr);
    std::lock_guard<std::mutex> lock(self->mu_);
    self->body_.append(data, size * count);
    // Returning less than given aborts the transfer: we have what we waited for.
    const std::size_t after = self->body_.find(self->stop_after_);
    const bool seen =
        after != std::string::npos && self->body_.find(self->stop_at_, after) != std::string::npos;
    return seen ? 0 : size * count;
  }
  void Run() {
    CURL* curl = curl_easy_init();
    struct curl_slist* headers =
        curl_slist_append(nullptr, (std::string("Authorization: Bearer ") + kAdminToken).c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms_);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &StreamReader::OnData);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, this);
    curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status_);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    done_ = true;
  }

  const std::string url_;
  const std::string stop_after_;
  const std::string stop_at_;
  const long timeout_ms_;
  std::mutex mu_;
  std::string body_;
  long status_ = 0;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

class TaskLifeTest : public testing::Test {
 protected:
  void Start(Scenario scenario, double time_scale = 0.001) {
    options_ = FastOptions(time_scale);
    options_.platform_version = PlatformVersion::k2026_08;
    options_.scenario = scenario;
    options_.admin_token = kAdminToken;
    Restart();
  }
  void Restart() {
    fake_ = StartFake(options_);
    ASSERT_NE(fake_, nullptr);
    client_ = std::make_unique<PlatformClient>(ClientFor(*fake_, kAdminToken));
    ASSERT_TRUE(CreateOnline(*client_, "PM", &pm_));
  }
  // The stream's answer went out: the fake has subscribed, so no later event is missed.
  [[nodiscard]] testing::AssertionResult StreamOpened() {
    const auto opened = fake_->server().WaitForRequest(
        [](const RecordedRequest& r) {
          return r.answered && r.path.find("/events/stream") != std::string::npos;
        },
        DefaultWait());
    if (!opened) {
      return testing::AssertionFailure() << "the event stream was not answered in time";
    }
    return testing::AssertionSuccess();
  }
  // The a2a_receive row whose request carries `message_id`; null JSON when absent.
  rapidjson::Document RowOf(const std::string& message_id) {
    rapidjson::Document rows;
    rows.Parse(
        client_->Send("GET", "/workspaces/" + pm_ + "/activity?type=a2a_receive", "").body.c_str());
    rapidjson::Document row;
    if (!rows.IsArray()) {
      return row;
    }
    for (auto& r : rows.GetArray()) {
      const auto& req = r["request_body"];
      if (req.IsObject() && req["params"]["message"]["messageId"] == message_id.c_str()) {
        row.CopyFrom(r, row.GetAllocator());
      }
    }
    return row;
  }
  // Polls the row until it has a response_body.
  [[nodiscard]] testing::AssertionResult WaitCompleted(const std::string& message_id,
                                                       rapidjson::Document* row) {
    const auto deadline = std::chrono::steady_clock::now() + DefaultWait();
    while (std::chrono::steady_clock::now() < deadline) {
      *row = RowOf(message_id);
      if (row->IsObject() && !(*row)["response_body"].IsNull()) {
        return testing::AssertionSuccess();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return testing::AssertionFailure() << "row of " << message_id << " never completed";
  }

  FakePlatformOptions options_;
  std::unique_ptr<EmbeddedFakePlatform> fake_;
  std::unique_ptr<PlatformClient> client_;
  std::string pm_;
};

TEST_F(TaskLifeTest, A2ANeedsABearerAndNamesWhatIsWrong) {
  ASSERT_NO_FATAL_FAILURE(Start(Scenario::kUnbounded));
  ClientOptions anonymous = ClientFor(*fake_);
  PlatformClient no_token(anonymous);
  HttpExchange ex = no_token.Send("POST", "/workspaces/" + pm_ + "/a2a", KickoffWithId(1, "m0"));
  EXPECT_EQ(ex.http_status, 401);
  EXPECT_EQ(ex.body, R"({"error":"missing caller auth token"})");
  PlatformClient wrong(ClientFor(*fake_, "not-the-admin-token"));
  ex = wrong.Send("POST", "/workspaces/" + pm_ + "/a2a", KickoffWithId(1, "m0"));
  EXPECT_EQ(ex.http_status, 401);
  EXPECT_EQ(ex.body, R"({"error":"invalid caller auth token"})");
}

TEST_F(TaskLifeTest, AShortTaskAnswersWithinTheSyncBudget) {
  ASSERT_NO_FATAL_FAILURE(Start(Scenario::kUnbounded));
  const HttpExchange ex = client_->Send("POST", "/workspaces/" + pm_ + "/a2a",
                                        KickoffWithId(1, "short-1"), DefaultWaitMs());
  EXPECT_EQ(ex.http_status, 200);
  EXPECT_NE(ex.body.find("Synthesis report"), std::string::npos) << ex.body;
}

TEST_F(TaskLifeTest, PastTheBudgetTheCallIsQueuedAndTheRowCompletesInPlace) {
  ASSERT_NO_FATAL_FAILURE(Start(Scenario::kUnbounded));
  const TaskPlan2026_08 plan = PlanTask2026_08(Scenario::kUnbounded, options_.durations, 3, 0);
  ASSERT_GT(plan.end_secs, options_.durations.sync_budget_secs);
  const HttpExchange ex = client_->Send("POST", "/workspaces/" + pm_ + "/a2a",
                                        KickoffWithId(3, "long-3"), DefaultWaitMs());
  EXPECT_EQ(ex.http_status, 200);
  EXPECT_EQ(ex.body, R"({"status":"queued","delivery_mode":"push-async","method":"message/send"})");
  const rapidjson::Document early = RowOf("long-3");
  ASSERT_TRUE(early.IsObject()) << "the row is written at receipt";
  EXPECT_TRUE(early["response_body"].IsNull());
  EXPECT_TRUE(early["duration_ms"].IsNull());
  rapidjson::Document done;
  ASSERT_TRUE(WaitCompleted("long-3", &done));
  EXPECT_STREQ(done["status"].GetString(), "ok");
  EXPECT_STREQ(done["id"].GetString(), early["id"].GetString()) << "the same row";
  EXPECT_STREQ(done["created_at"].GetString(), early["created_at"].GetString());
  EXPECT_NEAR(done["duration_ms"].GetDouble(), plan.end_secs * 1000, 1);
}

TEST_F(TaskLifeTest, ActivityCursorListsLaterRowsOldestFirst) {
  ASSERT_NO_FATAL_FAILURE(Start(Scenario::kStallWatchdog, 0.0002));
  const std::string base = "/workspaces/" + pm_ + "/activity";
  const HttpExchange ex =
      client_->Send("POST", "/workspaces/" + pm_ + "/a2a", KickoffWithId(1, "stall-1"));
  ASSERT_EQ(ex.http_status, 200);
  rapidjson::Document row;
  ASSERT_TRUE(WaitCompleted("stall-1", &row));
  EXPECT_STREQ(row["status"].GetString(), "error") << "the restart killed the turn";
  rapidjson::Document later;
  later.Parse(client_->Send("GET", base + "?since_id=" + row["id"].GetString(), "").body.c_str());
  ASSERT_TRUE(later.IsArray());
  ASSERT_EQ(later.Size(), 2u);
  EXPECT_STREQ(later[0]["method"].GetString(), "probe");
  EXPECT_STREQ(later[1]["method"].GetString(), "restart");
  EXPECT_STREQ(later[1]["activity_type"].GetString(), "stall_watchdog");
  EXPECT_LT(row["seq"].GetInt64(), later[0]["seq"].GetInt64());
  EXPECT_LT(later[0]["seq"].GetInt64(), later[1]["seq"].GetInt64());
  EXPECT_EQ(client_->Send("GET", base + "?since_id=nope", "").http_status, 410);
  EXPECT_EQ(client_->Send("GET", base + "?since_secs=abc", "").http_status, 400);
}

TEST_F(TaskLifeTest, TheStreamCarriesTheCompletionWithOurMessageId) {
  ASSERT_NO_FATAL_FAILURE(Start(Scenario::kUnbounded));
  StreamReader reader(fake_->url("/workspaces/" + pm_ + "/events/stream"),
                      R"({"type":"A2A_RESPONSE")", R"("message_id":"streamed-3"}})",
                      DefaultWaitMs());
  ASSERT_TRUE(StreamOpened());
  const HttpExchange ex =
      client_->Send("POST", "/workspaces/" + pm_ + "/a2a", KickoffWithId(3, "streamed-3"));
  ASSERT_EQ(ex.http_status, 200);
  ASSERT_TRUE(reader.WaitDone(DefaultWait()));
  const std::string body = reader.Body();
  EXPECT_EQ(reader.status(), 200);
  EXPECT_NE(body.find(R"(data: {"type":"ACTIVITY_LOGGED")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"({"type":"WORKSPACE_HEARTBEAT")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"({"type":"A2A_RESPONSE")"), std::string::npos) << body;
  EXPECT_LT(body.find(R"("type":"ACTIVITY_LOGGED")"), body.find(R"("type":"A2A_RESPONSE")"))
      << "the ingest row at receipt comes before the completion";
}

TEST_F(TaskLifeTest, TheStreamEndsWhenTheServerStops) {
  ASSERT_NO_FATAL_FAILURE(Start(Scenario::kUnbounded));
  StreamReader reader(fake_->url("/workspaces/" + pm_ + "/events/stream"), "never", "appears",
                      4 * DefaultWaitMs());
  ASSERT_TRUE(StreamOpened());
  fake_->Stop();
  EXPECT_TRUE(reader.WaitDone(DefaultWait()));
}

TEST_F(TaskLifeTest, BootTurnQueuesTheKickoffWithAQueueId) {
  options_ = FastOptions(0.001);
  options_.platform_version = PlatformVersion::k2026_08;
  options_.admin_token = kAdminToken;
  options_.durations.boot_turn_secs = 60;
  ASSERT_NO_FATAL_FAILURE(Restart());
  const HttpExchange ex =
      client_->Send("POST", "/workspaces/" + pm_ + "/a2a", KickoffWithId(1, "gated-1"));
  ASSERT_EQ(ex.http_status, 200);
  rapidjson::Document ack;
  ack.Parse(ex.body.c_str());
  ASSERT_TRUE(ack.IsObject() && ack.HasMember("queue_id")) << ex.body;
  const std::string item = "/workspaces/" + pm_ + "/a2a/queue/" + ack["queue_id"].GetString();
  rapidjson::Document row;
  ASSERT_TRUE(WaitCompleted("gated-1", &row));
  const HttpExchange got = client_->Send("GET", item, "");
  EXPECT_EQ(got.http_status, 200);
  EXPECT_NE(got.body.find(R"("status":"completed")"), std::string::npos) << got.body;
  EXPECT_NE(got.body.find("Synthesis report"), std::string::npos) << got.body;
  EXPECT_EQ(client_->Send("GET", "/workspaces/" + pm_ + "/a2a/queue/nope", "").http_status, 404);
}

TEST_F(TaskLifeTest, IdleTimerCancelsRequeuesAndTheRedispatchFillsTheRow) {
  options_ = FastOptions(0.001);
  options_.platform_version = PlatformVersion::k2026_08;
  options_.admin_token = kAdminToken;
  options_.scenario = Scenario::kIdleTimeout;
  options_.durations.idle_timeout_2026_08_secs = 120;
  ASSERT_NO_FATAL_FAILURE(Restart());
  ASSERT_EQ(
      client_->Send("POST", "/workspaces/" + pm_ + "/a2a", KickoffWithId(1, "idle-1")).http_status,
      200);
  rapidjson::Document row;
  ASSERT_TRUE(WaitCompleted("idle-1", &row));
  EXPECT_TRUE(row["duration_ms"].IsNull()) << "a drained queue item leaves no duration_ms";
  const std::string all =
      client_->Send("GET", "/workspaces/" + pm_ + "/activity?type=a2a_receive", "").body;
  EXPECT_NE(all.find("(queued: target busy)"), std::string::npos) << all;
}

TEST_F(TaskLifeTest, AgentErrorsNameTheirTag) {
  ASSERT_NO_FATAL_FAILURE(Start(Scenario::kAgentFailure));
  const HttpExchange ex =
      client_->Send("POST", "/workspaces/" + pm_ + "/a2a", KickoffWithId(1, "fail-1"));
  EXPECT_EQ(ex.http_status, 200);
  EXPECT_NE(ex.body.find("Agent error (ProviderAuthError)"), std::string::npos) << ex.body;
}

TEST(TaskLife2026_04Test, TheOldProfileHasNoStreamNorQueueRoutes) {
  FakePlatformOptions options = FastOptions();
  options.platform_version = PlatformVersion::k2026_04;
  auto fake = StartFake(options);
  ASSERT_NE(fake, nullptr);
  PlatformClient client(ClientFor(*fake));
  std::string pm;
  ASSERT_TRUE(CreateOnline(client, "PM", &pm));
  EXPECT_EQ(client.Send("GET", "/workspaces/" + pm + "/events/stream", "").body,
            "404 page not found");
  EXPECT_EQ(client.Send("GET", "/workspaces/" + pm + "/a2a/queue/q", "").body,
            "404 page not found");
  EXPECT_EQ(client.Send("POST", "/workspaces/" + pm + "/a2a", KickoffWithId(1, "old")).http_status,
            200)
      << "2026-04's A2A needs no bearer";
}

}  // namespace
}  // namespace taskbounds
