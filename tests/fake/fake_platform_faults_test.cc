// Fault injection on the fake platform's server: each fault kind, seen through the
// project's PlatformClient, plus next-N versus every-call semantics.
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "client/platform_client.h"
#include "gtest/gtest.h"
#include "mocks/embedded_fake_platform.h"
#include "mocks/request_log_matchers.h"
#include "tests/support/assertions.h"
#include "tests/support/platform_fixture.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

// These tests hold the 2026-04 profile's rules (platform-api.md): open auth in dev mode, the
// langgraph template, a synchronous A2A answer.
constexpr PlatformVersion kProfile = PlatformVersion::k2026_04;

using std::chrono::milliseconds;

class FaultTest : public FakePlatformTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(Start(FastOptions(kProfile)));
    auto created = client_->CreateWorkspace({"PM", "", 2, "langgraph"});
    ASSERT_TRUE(created.ok()) << created.error;
    id_ = created.value->id;
  }

  FakePlatformServer& server() { return fake_->server(); }

  // GET /workspaces/{id}[suffix] on a client of its own, answered on another thread, so
  // the test thread can watch the request while the server holds it.
  std::future<HttpExchange> GetInBackground(const std::string& suffix = "") {
    return std::async(std::launch::async, [this, suffix] {
      PlatformClient client(ClientFor(*fake_));
      return client.Send("GET", "/workspaces/" + id_ + suffix, "");
    });
  }

  std::string id_;
};

TEST_F(FaultTest, StatusFaultAppliesToTheNextNCallsOnly) {
  ASSERT_TRUE(server().InjectFault("POST /workspaces",
                                   Fault::Status(503, R"({"error":"maintenance"})"), 2));
  EXPECT_TRUE(
      IsFlatError(client_->Send("POST", "/workspaces", R"({"name":"A"})"), 503, "maintenance"));
  auto second = client_->CreateWorkspace({"B", "", 2, "langgraph"});
  EXPECT_FALSE(second.ok());
  EXPECT_EQ(second.exchange.http_status, 503);
  EXPECT_NE(second.error.find("maintenance"), std::string::npos) << second.error;
  auto third = client_->CreateWorkspace({"C", "", 2, "langgraph"});
  EXPECT_TRUE(third.ok()) << "the fault was used up: " << third.error;
  // Other routes were never affected.
  EXPECT_TRUE(client_->GetWorkspace(id_).ok());
}

TEST_F(FaultTest, EveryCallFaultLastsUntilCleared) {
  ASSERT_TRUE(server().InjectFault("GET /workspaces/{id}", Fault::Status(500), kEveryCall));
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(IsFlatError(client_->Send("GET", "/workspaces/" + id_, ""), 500, "injected fault"))
        << i;
  }
  server().ClearFaults();
  EXPECT_TRUE(client_->GetWorkspace(id_).ok());
}

TEST_F(FaultTest, FaultsOnOneRouteQueueInOrder) {
  ASSERT_TRUE(server().InjectFault("GET /workspaces/{id}", Fault::Status(502), 1));
  ASSERT_TRUE(server().InjectFault("GET /workspaces/{id}", Fault::Status(504), 1));
  EXPECT_EQ(client_->Send("GET", "/workspaces/" + id_, "").http_status, 502);
  EXPECT_EQ(client_->Send("GET", "/workspaces/" + id_, "").http_status, 504);
  EXPECT_EQ(client_->Send("GET", "/workspaces/" + id_, "").http_status, 200);
}

TEST_F(FaultTest, DelayFaultAnswersNormallyAfterTheDelay) {
  ASSERT_TRUE(server().InjectFault("GET /workspaces/{id}", Fault::Delay(milliseconds(150)), 1));
  auto got = client_->GetWorkspace(id_);
  ASSERT_TRUE(got.ok()) << got.error;
  EXPECT_GE(got.exchange.timings.total_secs, 0.150) << "cannot answer before the delay";
  RecordedRequest record;
  ASSERT_TRUE(WaitForRequest(server(), IsAnswered("GET", "/workspaces/" + id_, 200), DefaultWait(),
                             &record));
  EXPECT_EQ(record.fault, "delay");
}

TEST_F(FaultTest, HangIsReleasedByStop) {
  ASSERT_TRUE(server().InjectFault("GET /workspaces/{id}", Fault::Hang(), kEveryCall));
  HttpExchange result;
  std::thread caller([&] {
    ClientOptions options = ClientFor(*fake_);
    options.request_timeout_ms =
        3 * DefaultWaitMs();  // far beyond the wait below: Stop() must end it
    PlatformClient own(options);
    result = own.Send("GET", "/workspaces/" + id_, "");
  });
  ASSERT_TRUE(WaitForRequest(server(), IsRequest("GET", "/workspaces/" + id_), DefaultWait()));
  fake_->Stop();
  caller.join();
  EXPECT_FALSE(result.transport_ok()) << "a hung request gets no answer";
  EXPECT_FALSE(result.timed_out) << "Stop() released it, not the client's timeout";
  EXPECT_EQ(result.http_status, 0);
  const auto log = server().requests();
  ASSERT_FALSE(log.empty());
  EXPECT_TRUE(log.back().dropped);
  EXPECT_EQ(log.back().fault, "hang");
}

TEST_F(FaultTest, HtmlBodyIsAnErrorNotJson) {
  ASSERT_TRUE(server().InjectFault("POST /workspaces", Fault::HtmlBody(), 1));
  auto created = client_->CreateWorkspace({"B", "", 2, "langgraph"});
  EXPECT_FALSE(created.ok());
  EXPECT_EQ(created.exchange.http_status, 502);
  EXPECT_EQ(created.exchange.content_type, "text/html");
  EXPECT_EQ(created.exchange.body.rfind("<html>", 0), 0u) << created.exchange.body;
  EXPECT_FALSE(created.error.empty());
}

TEST_F(FaultTest, TruncatedJsonFailsToParse) {
  ASSERT_TRUE(server().InjectFault("GET /workspaces/{id}", Fault::TruncatedJson(), 1));
  auto got = client_->GetWorkspace(id_);
  EXPECT_FALSE(got.ok());
  EXPECT_EQ(got.exchange.http_status, 200);
  rapidjson::Document doc;
  EXPECT_FALSE(ParseJson(got.exchange.body, &doc)) << "the body really is cut";
  EXPECT_FALSE(got.error.empty());
}

TEST_F(FaultTest, DroppedConnectionGivesTheClientNoResponseAtAll) {
  ASSERT_TRUE(server().InjectFault("GET /workspaces/{id}", Fault::DropConnection(), 1));
  // A fresh client: libcurl transparently retries a request that died on a *reused*
  // connection, which would hide a single drop.
  PlatformClient fresh(ClientFor(*fake_));
  HttpExchange ex = fresh.Send("GET", "/workspaces/" + id_, "");
  EXPECT_FALSE(ex.transport_ok());
  EXPECT_EQ(ex.http_status, 0) << "not even a status line arrived";
  EXPECT_TRUE(ex.body.empty());
  EXPECT_FALSE(ex.timed_out);
  RecordedRequest record;
  ASSERT_TRUE(WaitForRequest(
      server(), Matching("dropped GET", [](const RecordedRequest& r) { return r.dropped; }),
      DefaultWait(), &record));
  EXPECT_EQ(record.fault, "drop_connection");
  // The fault was used up; the server still serves.
  EXPECT_TRUE(fresh.GetWorkspace(id_).ok());
}

TEST_F(FaultTest, DroppedA2AIsNoResponseForTheHarness) {
  ASSERT_TRUE(
      server().InjectFault("POST /workspaces/{id}/a2a", Fault::DropConnection(), kEveryCall));
  PlatformClient fresh(ClientFor(*fake_));
  auto reply = fresh.SendMessage(id_, KickoffText(3), DefaultWaitMs());
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.value->outcome, A2AOutcome::kNoResponse);
}

TEST_F(FaultTest, WildcardRouteMatchesEveryRequestIncludingUnknownRoutes) {
  ASSERT_TRUE(server().InjectFault("*", Fault::Status(418, R"({"error":"teapot"})"), kEveryCall));
  EXPECT_TRUE(IsFlatError(client_->Send("GET", "/workspaces/" + id_, ""), 418, "teapot"));
  EXPECT_TRUE(IsFlatError(client_->Send("GET", "/no/such/route", ""), 418, "teapot"));
}

TEST_F(FaultTest, InjectFaultRejectsUnknownRoutesAndZeroCounts) {
  EXPECT_FALSE(server().InjectFault("GET /nope", Fault::Status(500), 1));
  EXPECT_FALSE(server().InjectFault("GET /workspaces/{id}", Fault::Status(500), 0));
  EXPECT_FALSE(server().InjectFault("GET /workspaces/{id}", Fault::Status(500), -7));
  EXPECT_TRUE(client_->GetWorkspace(id_).ok()) << "nothing was injected";
}

TEST_F(FaultTest, RequestLogRecordsEveryRequestWithItsAnswer) {
  const std::string body = R"({"name":"Logged"})";
  auto created = client_->Send("POST", "/workspaces?x=1", body);
  ASSERT_EQ(created.http_status, 201);
  RecordedRequest record;
  const DescribedPredicate logged_create =
      Matching("the logged create", [&](const RecordedRequest& r) { return r.body == body; });
  ASSERT_TRUE(WaitForRequest(server(), logged_create, DefaultWait(), &record));
  EXPECT_TRUE(record.answered);
  EXPECT_EQ(record.status, 201);
  EXPECT_EQ(record.route, "POST /workspaces");
  EXPECT_EQ(record.body, body);
  ASSERT_EQ(record.query.count("x"), 1u);
  EXPECT_EQ(record.query.at("x"), "1");
  auto content_type = record.headers.find("content-type");  // any case
  ASSERT_NE(content_type, record.headers.end());
  EXPECT_EQ(content_type->second, "application/json");
  EXPECT_GT(record.sequence, 0u);

  // A wait for something that never comes fails with a description, bounded.
  testing::AssertionResult missing =
      WaitForRequest(server(), IsRequest("DELETE", "/workspaces/" + id_), milliseconds(50));
  EXPECT_FALSE(missing);
  EXPECT_NE(std::string(missing.message()).find("no request matching"), std::string::npos);
}

// Every wait below is bounded by DefaultWait(); the held requests themselves are released
// explicitly.
TEST_F(FaultTest, HeldRequestWaitsUntilReleasedThenAnswersNormally) {
  ASSERT_TRUE(server().HoldNext("GET /workspaces/{id}"));
  std::future<HttpExchange> answer = GetInBackground();
  RecordedRequest held;
  ASSERT_TRUE(WaitUntilHeld(server(), "GET /workspaces/{id}", DefaultWait(), &held));
  EXPECT_EQ(held.path, "/workspaces/" + id_);
  ASSERT_EQ(server().HeldRequests().size(), 1u);
  EXPECT_FALSE(server().HeldRequests().front().answered) << "a held request has no answer yet";
  EXPECT_EQ(answer.wait_for(milliseconds(0)), std::future_status::timeout)
      << "the client got an answer while the request was held";

  ASSERT_TRUE(Release(server(), held));
  ASSERT_EQ(answer.wait_for(DefaultWait()), std::future_status::ready);
  EXPECT_EQ(answer.get().http_status, 200) << "after release: the backend's answer";
  RecordedRequest record;
  ASSERT_TRUE(WaitForRequest(server(), IsAnswered("GET", "/workspaces/" + id_, 200), DefaultWait(),
                             &record));
  EXPECT_EQ(record.fault, "hold");
  EXPECT_TRUE(server().HeldRequests().empty());
  EXPECT_FALSE(Release(server(), held)) << "released twice";
}

TEST_F(FaultTest, HeldRequestsAnswerInTheOrderTheTestReleasesThem) {
  ASSERT_TRUE(server().HoldNext("GET /workspaces/{id}"));
  ASSERT_TRUE(server().HoldNext("GET /workspaces/{id}/activity"));
  std::future<HttpExchange> first = GetInBackground();
  RecordedRequest held_first;
  ASSERT_TRUE(WaitUntilHeld(server(), "GET /workspaces/{id}", DefaultWait(), &held_first));
  std::future<HttpExchange> second = GetInBackground("/activity");
  RecordedRequest held_second;
  ASSERT_TRUE(
      WaitUntilHeld(server(), "GET /workspaces/{id}/activity", DefaultWait(), &held_second));
  EXPECT_LT(held_first.sequence, held_second.sequence);

  // Release the later arrival first: it answers while the earlier one is still held.
  ASSERT_TRUE(Release(server(), held_second));
  ASSERT_EQ(second.wait_for(DefaultWait()), std::future_status::ready);
  EXPECT_EQ(second.get().http_status, 200);
  EXPECT_EQ(first.wait_for(milliseconds(0)), std::future_status::timeout);
  EXPECT_EQ(server().ReleaseAll(), 1u);
  ASSERT_EQ(first.wait_for(DefaultWait()), std::future_status::ready);
  EXPECT_EQ(first.get().http_status, 200);
}

TEST_F(FaultTest, HoldThenStatusAnswersTheStatusOnRelease) {
  Fault fault = Fault::Status(503, R"({"error":"after hold"})");
  fault.hold = true;
  ASSERT_TRUE(server().InjectFault("GET /workspaces/{id}", fault, 1));
  std::future<HttpExchange> answer = GetInBackground();
  RecordedRequest held;
  ASSERT_TRUE(WaitUntilHeld(server(), "*", DefaultWait(), &held));
  ASSERT_TRUE(Release(server(), held));
  ASSERT_EQ(answer.wait_for(DefaultWait()), std::future_status::ready);
  EXPECT_TRUE(IsFlatError(answer.get(), 503, "after hold"));
  RecordedRequest record;
  ASSERT_TRUE(WaitForRequest(server(), IsAnswered("GET", "/workspaces/" + id_, 503), DefaultWait(),
                             &record));
  EXPECT_EQ(record.fault, "hold+status");
}

TEST_F(FaultTest, StopReleasesHeldRequestsByDroppingTheirConnections) {
  ASSERT_TRUE(server().HoldNext("GET /workspaces/{id}"));
  std::future<HttpExchange> answer = GetInBackground();
  ASSERT_TRUE(WaitUntilHeld(server(), "GET /workspaces/{id}", DefaultWait()));
  std::future<void> stopped = std::async(std::launch::async, [this] { fake_->Stop(); });
  ASSERT_EQ(stopped.wait_for(DefaultWait()), std::future_status::ready)
      << "Stop() did not return with a held request";
  ASSERT_EQ(answer.wait_for(DefaultWait()), std::future_status::ready);
  const HttpExchange exchange = answer.get();
  EXPECT_EQ(exchange.http_status, 0) << "a held request never gets an answer after Stop()";
  const std::vector<RecordedRequest> log = server().requests();
  ASSERT_FALSE(log.empty());
  EXPECT_TRUE(log.back().dropped);
  EXPECT_EQ(log.back().fault, "hold");
  EXPECT_FALSE(server().WaitUntilHeld("*", milliseconds(0))) << "nothing stays held";
}

TEST_F(FaultTest, WaitUntilHeldFailsWithACauseWhenNothingIsHeld) {
  EXPECT_TRUE(client_->GetWorkspace(id_).ok());
  testing::AssertionResult none = WaitUntilHeld(server(), "GET /workspaces/{id}", milliseconds(50));
  EXPECT_FALSE(none);
  EXPECT_NE(std::string(none.message()).find("no request held on"), std::string::npos)
      << none.message();
  EXPECT_FALSE(server().Release(424242)) << "an unknown sequence is not held";
  EXPECT_FALSE(server().HoldNext("GET /nowhere")) << "unknown route key";
}

TEST_F(FaultTest, PassEntriesLetCallsThroughSoALaterCallFails) {
  ASSERT_TRUE(server().InjectFault("POST /workspaces", Fault::Pass(), 2));
  ASSERT_TRUE(server().InjectFault("POST /workspaces", Fault::Status(500), 1));
  const std::vector<long> expected = {201, 201, 500, 201};
  std::vector<long> got;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    got.push_back(client_->Send("POST", "/workspaces", R"({"name":"Q"})").http_status);
  }
  EXPECT_EQ(got, expected);
  std::vector<std::string> faults;
  for (const RecordedRequest& r : server().requests()) {
    if (r.route == "POST /workspaces" && r.sequence > 1) {  // #1 is the fixture's create
      faults.push_back(r.fault);
    }
  }
  EXPECT_EQ(faults, (std::vector<std::string>{"pass", "pass", "status", ""}));
}

}  // namespace
}  // namespace taskbounds
