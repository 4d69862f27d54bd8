// EventStream and its parts: the SSE framer, the frame parser, and the streaming client
// against a scripted server on loopback (reconnect, a route that is not there, stop while
// the platform holds the request, the credentials sent).
#include "client/event_stream.h"

#include <chrono>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/scripted_http_server.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

using ::taskbounds::testing_support::RecordedRequest;
using ::taskbounds::testing_support::ScriptedHttpServer;
using ::taskbounds::testing_support::ScriptedResponse;
using ::testing::ElementsAre;
using Clock = std::chrono::steady_clock;

constexpr char kPath[] = "/workspaces/pm-1/events/stream";

std::string Frame(const std::string& json) { return "data: " + json + "\n\n"; }

TEST(SseFramerTest, JoinsDataLinesAndSplitsAcrossFeeds) {
  SseFramer framer(1024);
  std::vector<std::string> frames;
  framer.Feed(": keep-alive comment\n\nevent: x\ndata: {\"a\":", &frames);
  EXPECT_TRUE(frames.empty());
  framer.Feed("1}\r\ndata:2\r\n\r\ndata: last\r", &frames);
  framer.Feed("\n\r\n", &frames);
  EXPECT_THAT(frames, ElementsAre("{\"a\":1}\n2", "last"));
}

TEST(SseFramerTest, DropsAFrameOverTheCapWholeAndKeepsTheNext) {
  SseFramer framer(16);
  std::vector<std::string> frames;
  framer.Feed("data: " + std::string(40, 'x') + "\ndata: tail\n\ndata: ok\n\n", &frames);
  EXPECT_THAT(frames, ElementsAre("ok"));
  EXPECT_EQ(framer.oversized_frames(), 1u);
}

TEST(ParseStreamEventTest, ReadsTheCompletionEvent) {
  std::string error;
  const auto event = ParseStreamEvent(
      R"({"type":"A2A_RESPONSE","timestamp":"2026-08-14T10:00:00Z","data":{"message_id":"m-1",)"
      R"("method":"message/send","duration_ms":640000,"response_body":{"result":{}}}})",
      &error);
  ASSERT_TRUE(event.has_value()) << error;
  EXPECT_EQ(event->kind, StreamEventKind::kA2AResponse);
  EXPECT_EQ(event->message_id, "m-1");
  EXPECT_EQ(event->duration_ms, 640000);
  EXPECT_EQ(event->response_body, R"({"result":{}})");
}

TEST(ParseStreamEventTest, KindsOfTodaysEvents) {
  std::string error;
  EXPECT_EQ(ParseStreamEvent(R"({"type":"WORKSPACE_HEARTBEAT","data":{"active_tasks":1}})", &error)
                ->active_tasks,
            1);
  EXPECT_EQ(ParseStreamEvent(R"({"type":"WORKSPACE_OFFLINE"})", &error)->kind,
            StreamEventKind::kStatus);
  EXPECT_EQ(ParseStreamEvent(
                R"({"type":"ACTIVITY_LOGGED","data":{"activity_type":"stall_watchdog"}})", &error)
                ->activity_type,
            "stall_watchdog");
  EXPECT_EQ(ParseStreamEvent(R"({"type":"SOMETHING_NEW"})", &error)->kind, StreamEventKind::kOther);
}

TEST(ParseStreamEventTest, NamesWhatIsWrongWithAFrame) {
  std::string error;
  EXPECT_FALSE(ParseStreamEvent("not json", &error).has_value());
  EXPECT_THAT(error, ::testing::HasSubstr("frame"));
  EXPECT_FALSE(ParseStreamEvent(R"({"data":{}})", &error).has_value());
  EXPECT_THAT(error, ::testing::HasSubstr("'type'"));
  // Found by //client/fuzz:event_stream_fuzzer: a frame that is JSON but not an object
  // reached RapidJSON's MemberEnd() (an assertion, undefined behaviour without one).
  for (const char* frame : {"[1]", "\"WORKSPACE_HEARTBEAT\"", "42", "null", "true"}) {
    EXPECT_FALSE(ParseStreamEvent(frame, &error).has_value()) << frame;
    EXPECT_EQ(error, "frame is not a JSON object") << frame;
  }
}

class EventStreamTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start()); }

  EventStreamOptions Options() const {
    EventStreamOptions o;
    o.client.base_url = server_.base_url();
    o.client.admin_token = "admin-secret-1234";
    o.client.tenant_id = "org-1";
    o.workspace_id = "pm-1";
    o.reconnect_backoff = std::chrono::milliseconds(20);
    return o;
  }

  ScriptedHttpServer server_;
};

TEST_F(EventStreamTest, DeliversEveryFrameAndReconnectsWhenClosed) {
  ScriptedResponse answer;
  answer.content_type = "text/event-stream";
  answer.body = Frame(R"({"type":"WORKSPACE_HEARTBEAT","data":{"active_tasks":1}})") +
                Frame("garbage") + Frame(R"({"type":"A2A_RESPONSE","data":{"message_id":"m"}})");
  server_.Script("GET", kPath, answer);
  EventStream stream(Options());
  stream.Start();
  ASSERT_EQ(stream.WaitConnected(Clock::now() + DefaultWait()), StreamState::kConnected);
  std::vector<StreamEvent> got;
  const auto deadline = Clock::now() + DefaultWait();
  while (got.size() < 2 && Clock::now() < deadline) {
    for (StreamEvent& e : stream.WaitAndDrain(deadline)) {
      got.push_back(std::move(e));
    }
  }
  ASSERT_GE(got.size(), 2u);
  EXPECT_EQ(got[0].kind, StreamEventKind::kHeartbeat);
  EXPECT_EQ(got[1].message_id, "m");
  // Each answer ends the connection; the stream opens it again.
  ASSERT_TRUE(server_.WaitForRequests(2, DefaultWait()));
  stream.Stop();
  const EventStreamStats stats = stream.stats();
  EXPECT_GE(stats.parse_errors, 1);
  EXPECT_GE(stats.attempts, 2);
  const std::vector<RecordedRequest> requests = server_.requests();
  const auto& headers = requests.front().headers;
  EXPECT_EQ(headers.find("Authorization")->second, "Bearer admin-secret-1234");
  EXPECT_EQ(headers.find("X-Molecule-Org-Id")->second, "org-1");
  EXPECT_EQ(headers.count("X-Workspace-ID"), 0u);
}

TEST_F(EventStreamTest, ARouteThatIsNotThereMakesItUnavailableAfterOneRequest) {
  EventStream stream(Options());  // unscripted: Gin's plain 404, as on 2026-04
  stream.Start();
  ASSERT_EQ(stream.WaitConnected(Clock::now() + DefaultWait()), StreamState::kUnavailable);
  EXPECT_TRUE(stream.WaitAndDrain(Clock::now() + DefaultWait()).empty());
  EXPECT_FALSE(stream.alive());
  const EventStreamStats stats = stream.stats();
  EXPECT_TRUE(stats.unavailable);
  EXPECT_EQ(stats.attempts, 1);
  EXPECT_EQ(stats.last_http_status, 404);
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_F(EventStreamTest, GivesUpWhenNoConnectionWorksWithinTheWindow) {
  ScriptedResponse answer;
  answer.status = 503;
  answer.body = R"({"error":"busy"})";
  server_.Script("GET", kPath, answer);
  EventStreamOptions options = Options();
  options.reconnect_window = std::chrono::milliseconds(100);
  EventStream stream(options);
  stream.Start();
  ASSERT_EQ(stream.WaitConnected(Clock::now() + DefaultWait()), StreamState::kUnavailable);
  const EventStreamStats stats = stream.stats();
  EXPECT_TRUE(stats.gave_up);
  EXPECT_FALSE(stats.unavailable);
  EXPECT_GE(stats.attempts, 2);
  EXPECT_THAT(stats.last_error, ::testing::HasSubstr("503"));
}

TEST_F(EventStreamTest, StopEndsAStreamThePlatformHolds) {
  ScriptedResponse answer;
  answer.hang = true;
  server_.Script("GET", kPath, answer);
  EventStream stream(Options());
  stream.Start();
  ASSERT_TRUE(server_.WaitForRequests(1, DefaultWait()));
  EXPECT_EQ(stream.WaitConnected(Clock::now() + std::chrono::milliseconds(50)),
            StreamState::kNotYet);
  stream.Stop();  // returns although the server never answers (else the test times out)
  EXPECT_FALSE(stream.alive());
  EXPECT_EQ(stream.stats().connects, 0);
}

}  // namespace
}  // namespace taskbounds
