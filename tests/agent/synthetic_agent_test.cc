// The synthetic coordinator (//mocks/agent) over real loopback sockets: each behaviour (hold
// for a set time or until the caller hangs up, headers at once or at the end, a normal or an
// Agent error answer, heartbeats), requests served while a kickoff is held (stall probe,
// re-dispatch), what it records (arrival, hang-up, re-dispatch, probe metadata, the caller's
// credential), the inbound secret, the agent card, and stop. The caller is a raw socket
// (agent_caller.h), so the test sees exactly when headers arrive and hangs up when it likes.
#include "mocks/agent/synthetic_agent.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "mocks/agent/a2a_call.h"
#include "mocks/http/loopback_server.h"
#include "rapidjson/document.h"
#include "tests/agent/agent_caller.h"
#include "tests/support/assertions.h"
#include "tests/support/scripted_http_server.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

// Wall seconds per platform second: a 50 s hold takes 50 ms.
constexpr double kTimeScale = 0.001;
constexpr char kSecret[] = "fake-inbound-secret-0123456789";
constexpr char kWorkspaceToken[] = "fake-workspace-token-0123456789";

AgentTime Deadline() { return std::chrono::steady_clock::now() + DefaultWait(); }

// Every record so far, one line each, for failure messages.
std::string Seen(const SyntheticAgent& agent) {
  std::ostringstream out;
  out << "requests seen:";
  for (const AgentRequest& r : agent.Requests()) {
    out << "\n  " << AgentRequestJson(r, agent.clock(), agent.started_at());
  }
  return out.str();
}

bool IsMessage(const AgentRequest& r, const std::string& message_id, int dispatch) {
  return r.message_id == message_id && r.dispatch == dispatch;
}

class SyntheticAgentTest : public testing::Test {
 protected:
  void TearDown() override {
    if (agent_) {
      EXPECT_EQ(agent_->Stop(), "");
    }
  }

  // Starts the agent with `behaviour` at kTimeScale.
  testing::AssertionResult Start(const AgentBehaviour& behaviour) {
    SyntheticAgentOptions options;
    options.behaviour = behaviour;
    options.time_scale = kTimeScale;
    std::string error;
    agent_ = SyntheticAgent::Start(options, &error);
    if (!agent_) {
      return testing::AssertionFailure() << "the agent did not start: " << error;
    }
    return testing::AssertionSuccess();
  }

  // Sends a message/send without reading the answer.
  testing::AssertionResult Call(const std::string& body, std::unique_ptr<AgentCall>* call,
                                const std::vector<std::string>& headers = {}) {
    return AgentCall::Send(agent_->port(), "POST", "/", body, headers, call);
  }

  // The `dispatch`th arrival of `message_id`, once the agent has recorded it.
  testing::AssertionResult Arrived(const std::string& message_id, int dispatch, AgentRequest* out) {
    auto found = agent_->WaitForRequest(
        [&](const AgentRequest& r) { return IsMessage(r, message_id, dispatch); }, Deadline());
    if (!found) {
      return testing::AssertionFailure() << "arrival " << dispatch << " of " << message_id
                                         << " was never recorded; " << Seen(*agent_);
    }
    *out = *found;
    return testing::AssertionSuccess();
  }

  // Request `sequence` once it has ended.
  testing::AssertionResult Ended(std::uint64_t sequence, AgentRequest* out) {
    auto found = agent_->WaitForEnd(sequence, Deadline());
    if (!found) {
      return testing::AssertionFailure()
             << "request " << sequence << " never ended; " << Seen(*agent_);
    }
    *out = *found;
    return testing::AssertionSuccess();
  }

  std::unique_ptr<SyntheticAgent> agent_;
};

AgentBehaviour HoldFor(double secs, HeaderTiming headers = HeaderTiming::kAtEnd) {
  AgentBehaviour behaviour;
  behaviour.hold_secs = secs;
  behaviour.headers = headers;
  return behaviour;
}

AgentBehaviour HoldUntilCut(HeaderTiming headers) {
  AgentBehaviour behaviour;
  behaviour.headers = headers;
  return behaviour;
}

TEST_F(SyntheticAgentTest, FixedHoldAnswersAtItsEndWithHeadersAndBodyTogether) {
  ASSERT_TRUE(Start(HoldFor(50)));
  RawResponse response;
  ASSERT_TRUE(PostAndRead(agent_->port(), MessageSendBody("k1", "Synthesise."), {}, &response));
  EXPECT_EQ(response.status, 200);
  EXPECT_FALSE(response.chunked) << "headers at the end come with a Content-Length";
  EXPECT_EQ(response.Header("content-length"), std::to_string(response.body.size()));
  std::string text;
  ASSERT_TRUE(ResultText(response, &text));
  EXPECT_EQ(text, "Synthetic coordinator finished task k1 after 50 platform seconds.");

  AgentRequest kickoff;
  ASSERT_TRUE(Arrived("k1", 1, &kickoff));
  ASSERT_TRUE(Ended(kickoff.sequence, &kickoff));
  EXPECT_EQ(kickoff.kind, RequestKind::kKickoff);
  EXPECT_TRUE(kickoff.held);
  EXPECT_FALSE(kickoff.redispatch);
  EXPECT_EQ(kickoff.end, RequestEnd::kAnswered) << Seen(*agent_);
  EXPECT_EQ(kickoff.status, 200);
  EXPECT_EQ(kickoff.reply, "result");
  EXPECT_EQ(kickoff.text_head, "Synthesise.");
  EXPECT_EQ(kickoff.context_id, "ctx-k1");
  ASSERT_TRUE(kickoff.headers_sent_at && kickoff.ended_at);
  EXPECT_EQ(*kickoff.headers_sent_at, *kickoff.ended_at) << "headers went out with the body";
  // A lower bound by construction: the answer is not written before the hold's end.
  EXPECT_GE(*kickoff.ended_at - kickoff.arrived_at, agent_->clock().Wall(50));
  EXPECT_FALSE(kickoff.hung_up_at);
  EXPECT_EQ(agent_->HeldTasks(), 0);
}

TEST_F(SyntheticAgentTest, AgentErrorReplyCarriesTheTag) {
  AgentBehaviour behaviour = HoldFor(5);
  behaviour.reply = ReplyKind::kAgentError;
  behaviour.error_tag = "RateLimitError";
  ASSERT_TRUE(Start(behaviour));
  RawResponse response;
  ASSERT_TRUE(PostAndRead(agent_->port(), MessageSendBody("k1", "go"), {}, &response));
  EXPECT_EQ(response.status, 200) << "an agent error is an HTTP-200 JSON-RPC result";
  std::string text;
  ASSERT_TRUE(ResultText(response, &text));
  EXPECT_EQ(text.rfind("Agent error (RateLimitError): ", 0), 0u) << text;
  AgentRequest kickoff;
  ASSERT_TRUE(Arrived("k1", 1, &kickoff));
  ASSERT_TRUE(Ended(kickoff.sequence, &kickoff));
  EXPECT_EQ(kickoff.reply, "agent_error");
}

TEST_F(SyntheticAgentTest, HeadersAtOnceArriveWhileTheTaskIsHeld) {
  ASSERT_TRUE(Start(HoldUntilCut(HeaderTiming::kAtOnce)));
  std::unique_ptr<AgentCall> call;
  ASSERT_TRUE(Call(MessageSendBody("k1", "go"), &call));
  RawResponse head;
  ASSERT_TRUE(call->ReadHead(DefaultWait(), &head)) << Seen(*agent_);
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.chunked) << "the body follows later, chunked";

  AgentRequest kickoff;
  ASSERT_TRUE(Arrived("k1", 1, &kickoff));
  ASSERT_TRUE(agent_->WaitForRequest(
      [&](const AgentRequest& r) {
        return r.sequence == kickoff.sequence && r.headers_sent_at.has_value();
      },
      Deadline()))
      << "the headers were read but never recorded as sent; " << Seen(*agent_);
  EXPECT_EQ(agent_->Requests().at(0).end, RequestEnd::kInFlight) << "the task is still held";
  EXPECT_EQ(agent_->HeldTasks(), 1);

  call->HangUp();
  ASSERT_TRUE(Ended(kickoff.sequence, &kickoff));
  EXPECT_EQ(kickoff.end, RequestEnd::kCallerHungUp);
  ASSERT_TRUE(kickoff.hung_up_at);
  EXPECT_EQ(kickoff.ended_at, kickoff.hung_up_at);
  EXPECT_EQ(kickoff.status, 200) << "the status line had gone out";
  EXPECT_EQ(agent_->HeldTasks(), 0);
}

TEST_F(SyntheticAgentTest, HeadersAtOnceBodyFollowsAtTheHoldsEnd) {
  ASSERT_TRUE(Start(HoldFor(50, HeaderTiming::kAtOnce)));
  std::unique_ptr<AgentCall> call;
  ASSERT_TRUE(Call(MessageSendBody("k1", "go"), &call));
  RawResponse response;
  ASSERT_TRUE(call->ReadToEnd(DefaultWait(), &response));
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.chunked);
  std::string text;
  ASSERT_TRUE(ResultText(response, &text));
  EXPECT_EQ(text, "Synthetic coordinator finished task k1 after 50 platform seconds.");
  AgentRequest kickoff;
  ASSERT_TRUE(Arrived("k1", 1, &kickoff));
  ASSERT_TRUE(Ended(kickoff.sequence, &kickoff));
  EXPECT_EQ(kickoff.end, RequestEnd::kAnswered);
  ASSERT_TRUE(kickoff.headers_sent_at && kickoff.ended_at);
  EXPECT_LT(*kickoff.headers_sent_at, *kickoff.ended_at) << "headers before the hold, body after";
  EXPECT_GE(*kickoff.ended_at - kickoff.arrived_at, agent_->clock().Wall(50));
}

TEST_F(SyntheticAgentTest, HeadersAtTheEndSendNothingWhileHeldAndTheHangUpIsRecorded) {
  ASSERT_TRUE(Start(HoldUntilCut(HeaderTiming::kAtEnd)));
  std::unique_ptr<AgentCall> call;
  ASSERT_TRUE(Call(MessageSendBody("k1", "go"), &call));
  AgentRequest kickoff;
  ASSERT_TRUE(Arrived("k1", 1, &kickoff));
  EXPECT_TRUE(kickoff.held);
  EXPECT_FALSE(kickoff.headers_sent_at);
  EXPECT_TRUE(call->NothingReceivedYet()) << "a byte of the answer arrived while the task is held";
  EXPECT_EQ(agent_->HeldTasks(), 1);

  call->HangUp();
  ASSERT_TRUE(Ended(kickoff.sequence, &kickoff));
  EXPECT_EQ(kickoff.end, RequestEnd::kCallerHungUp);
  ASSERT_TRUE(kickoff.hung_up_at);
  EXPECT_GE(*kickoff.hung_up_at, kickoff.arrived_at);
  EXPECT_FALSE(kickoff.headers_sent_at) << "nothing was ever answered";
  EXPECT_EQ(kickoff.status, 0);
  EXPECT_EQ(kickoff.reply, "");
  EXPECT_EQ(agent_->HeldTasks(), 0);
}

TEST_F(SyntheticAgentTest, HangUpEndsAFixedHoldEarly) {
  // 10^6 platform seconds: 1000 wall seconds, far past any test's deadline.
  ASSERT_TRUE(Start(HoldFor(1e6)));
  std::unique_ptr<AgentCall> call;
  ASSERT_TRUE(Call(MessageSendBody("k1", "go"), &call));
  AgentRequest kickoff;
  ASSERT_TRUE(Arrived("k1", 1, &kickoff));
  call->HangUp();
  ASSERT_TRUE(Ended(kickoff.sequence, &kickoff));
  EXPECT_EQ(kickoff.end, RequestEnd::kCallerHungUp);
  EXPECT_TRUE(kickoff.hung_up_at);
}

TEST_F(SyntheticAgentTest, StallProbeIsAnsweredAtOnceWhileAKickoffIsHeld) {
  ASSERT_TRUE(Start(HoldUntilCut(HeaderTiming::kAtEnd)));
  std::unique_ptr<AgentCall> kickoff_call;
  ASSERT_TRUE(Call(MessageSendBody("k1", "Synthesise."), &kickoff_call));
  AgentRequest kickoff;
  ASSERT_TRUE(Arrived("k1", 1, &kickoff));

  RawResponse response;
  ASSERT_TRUE(PostAndRead(
      agent_->port(),
      MessageSendBody("probe-1", "Liveness check: are you stuck?", "self-stall", "rpc-probe"), {},
      &response))
      << Seen(*agent_);
  EXPECT_EQ(response.status, 200);
  std::string text;
  ASSERT_TRUE(ResultText(response, &text));
  EXPECT_EQ(text, "Liveness check answered: alive, holding 1 task(s)");
  EXPECT_NE(response.body.find("\"id\":\"rpc-probe\""), std::string::npos) << response.body;

  AgentRequest probe;
  ASSERT_TRUE(Arrived("probe-1", 1, &probe));
  ASSERT_TRUE(Ended(probe.sequence, &probe));
  EXPECT_EQ(probe.kind, RequestKind::kStallProbe);
  EXPECT_EQ(probe.source_type, "self-stall");
  EXPECT_FALSE(probe.held);
  EXPECT_EQ(probe.reply, "probe_result");
  EXPECT_FALSE(agent_->Requests().at(kickoff.sequence - 1).ended())
      << "the kickoff must still be held; " << Seen(*agent_);
  EXPECT_EQ(agent_->HeldTasks(), 1);
  kickoff_call->HangUp();
  ASSERT_TRUE(Ended(kickoff.sequence, &kickoff));
}

// A probe is known by its text and its metadata together: either alone is a kickoff.
TEST_F(SyntheticAgentTest, HalfAProbeIsAKickoff) {
  ASSERT_TRUE(Start(HoldFor(0)));
  RawResponse response;
  ASSERT_TRUE(
      PostAndRead(agent_->port(), MessageSendBody("a", "Liveness check please"), {}, &response));
  ASSERT_TRUE(PostAndRead(agent_->port(), MessageSendBody("b", "Synthesise.", "self-stall"), {},
                          &response));
  AgentRequest a;
  AgentRequest b;
  ASSERT_TRUE(Arrived("a", 1, &a));
  ASSERT_TRUE(Arrived("b", 1, &b));
  EXPECT_EQ(a.kind, RequestKind::kKickoff);
  EXPECT_EQ(b.kind, RequestKind::kKickoff);
  EXPECT_EQ(b.source_type, "self-stall") << "the metadata is recorded whatever the kind";
}

TEST_F(SyntheticAgentTest, RedispatchedKickoffIsRecordedAndHeldAgain) {
  ASSERT_TRUE(Start(HoldUntilCut(HeaderTiming::kAtEnd)));
  std::unique_ptr<AgentCall> first_call;
  ASSERT_TRUE(Call(MessageSendBody("k1", "go"), &first_call));
  AgentRequest first;
  ASSERT_TRUE(Arrived("k1", 1, &first));
  first_call->HangUp();  // the platform's idle timer cuts the forward
  ASSERT_TRUE(Ended(first.sequence, &first));

  std::unique_ptr<AgentCall> second_call;
  ASSERT_TRUE(Call(MessageSendBody("k1", "go"), &second_call));  // the queue re-sends it
  AgentRequest second;
  ASSERT_TRUE(Arrived("k1", 2, &second));
  EXPECT_TRUE(second.redispatch);
  EXPECT_EQ(second.kind, RequestKind::kKickoff);
  EXPECT_TRUE(second.held);
  EXPECT_FALSE(first.redispatch);
  EXPECT_EQ(agent_->HeldTasks(), 1);
  second_call->HangUp();
  ASSERT_TRUE(Ended(second.sequence, &second));
  EXPECT_EQ(second.end, RequestEnd::kCallerHungUp);
}

TEST_F(SyntheticAgentTest, RedispatchAnsweredAtOnceWhileTheFirstIsStillHeld) {
  AgentBehaviour behaviour = HoldUntilCut(HeaderTiming::kAtEnd);
  behaviour.redispatch = RedispatchRule::kAnswerAtOnce;
  ASSERT_TRUE(Start(behaviour));
  std::unique_ptr<AgentCall> first_call;
  ASSERT_TRUE(Call(MessageSendBody("k1", "go"), &first_call));
  AgentRequest first;
  ASSERT_TRUE(Arrived("k1", 1, &first));

  RawResponse response;
  ASSERT_TRUE(PostAndRead(agent_->port(), MessageSendBody("k1", "go"), {}, &response))
      << Seen(*agent_);
  std::string text;
  ASSERT_TRUE(ResultText(response, &text));
  EXPECT_NE(text.find("a re-dispatched copy"), std::string::npos) << text;
  AgentRequest second;
  ASSERT_TRUE(Arrived("k1", 2, &second));
  EXPECT_TRUE(second.redispatch);
  EXPECT_FALSE(second.held);
  EXPECT_FALSE(agent_->Requests().at(first.sequence - 1).ended()) << Seen(*agent_);
  EXPECT_EQ(agent_->HeldTasks(), 1);
  first_call->HangUp();
  ASSERT_TRUE(Ended(first.sequence, &first));
}

TEST_F(SyntheticAgentTest, KickoffsWithDifferentIdsAreHeldSideBySide) {
  ASSERT_TRUE(Start(HoldUntilCut(HeaderTiming::kAtOnce)));
  std::unique_ptr<AgentCall> a_call;
  std::unique_ptr<AgentCall> b_call;
  ASSERT_TRUE(Call(MessageSendBody("a", "go"), &a_call));
  ASSERT_TRUE(Call(MessageSendBody("b", "go"), &b_call));
  AgentRequest a;
  AgentRequest b;
  ASSERT_TRUE(Arrived("a", 1, &a));
  ASSERT_TRUE(Arrived("b", 1, &b));
  EXPECT_FALSE(b.redispatch);
  EXPECT_EQ(agent_->HeldTasks(), 2);
  a_call->HangUp();
  ASSERT_TRUE(Ended(a.sequence, &a));
  EXPECT_EQ(agent_->HeldTasks(), 1);
  b_call->HangUp();
  ASSERT_TRUE(Ended(b.sequence, &b));
}

TEST_F(SyntheticAgentTest, InboundSecretRefusesEveryCallWithoutIt) {
  AgentBehaviour behaviour = HoldFor(0);
  behaviour.inbound_secret = kSecret;
  ASSERT_TRUE(Start(behaviour));
  RawResponse response;
  ASSERT_TRUE(PostAndRead(agent_->port(), MessageSendBody("k1", "go"), {}, &response));
  EXPECT_EQ(response.status, 401);
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson(response.body, &doc));
  EXPECT_TRUE(HasMembers(doc, {"error"}));
  ASSERT_TRUE(PostAndRead(agent_->port(), MessageSendBody("k1", "go"),
                          {"Authorization: Bearer not-the-secret"}, &response));
  EXPECT_EQ(response.status, 401);
  ASSERT_TRUE(PostAndRead(agent_->port(), MessageSendBody("k1", "go"),
                          {std::string("Authorization: Bearer ") + kSecret}, &response));
  EXPECT_EQ(response.status, 200) << response.body;

  const std::vector<AgentRequest> seen = agent_->Requests();
  ASSERT_EQ(seen.size(), 3u) << Seen(*agent_);
  EXPECT_EQ(seen[0].kind, RequestKind::kRefused);
  EXPECT_EQ(seen[0].auth, CallerAuth::kNone);
  EXPECT_EQ(seen[0].status, 401);
  EXPECT_EQ(seen[0].message_id, "k1") << "a refused call is still read, for the record";
  EXPECT_EQ(seen[1].kind, RequestKind::kRefused);
  EXPECT_EQ(seen[1].auth, CallerAuth::kOther);
  EXPECT_EQ(seen[2].kind, RequestKind::kKickoff);
  EXPECT_EQ(seen[2].auth, CallerAuth::kInboundSecret);
  EXPECT_EQ(seen[2].dispatch, 1) << "refused calls are not dispatches";
  for (const AgentRequest& r : seen) {
    EXPECT_EQ(AgentRequestJson(r, agent_->clock(), agent_->started_at()).find(kSecret),
              std::string::npos)
        << "the secret leaked into a record";
  }
}

// The platform mints the secret at register, which needs the agent's URL: it is set after
// Start() and applies to the calls that arrive from then on.
TEST_F(SyntheticAgentTest, InboundSecretSetAfterStartAppliesToLaterCalls) {
  ASSERT_TRUE(Start(HoldFor(0)));
  RawResponse response;
  ASSERT_TRUE(PostAndRead(agent_->port(), MessageSendBody("a", "go"), {}, &response));
  EXPECT_EQ(response.status, 200);
  ASSERT_EQ(agent_->SetInboundSecret(kSecret), "");
  ASSERT_TRUE(PostAndRead(agent_->port(), MessageSendBody("b", "go"), {}, &response));
  EXPECT_EQ(response.status, 401);
  ASSERT_TRUE(PostAndRead(agent_->port(), MessageSendBody("c", "go"),
                          {std::string("Authorization: Bearer ") + kSecret}, &response));
  EXPECT_EQ(response.status, 200);
  EXPECT_NE(agent_->SetInboundSecret("two\nlines"), "");
}

TEST_F(SyntheticAgentTest, WithoutASecretEveryCallerIsServedAndItsCredentialRecorded) {
  ASSERT_TRUE(Start(HoldFor(0)));
  RawResponse response;
  ASSERT_TRUE(PostAndRead(agent_->port(), MessageSendBody("a", "go"), {}, &response));
  EXPECT_EQ(response.status, 200);
  ASSERT_TRUE(PostAndRead(agent_->port(), MessageSendBody("b", "go"),
                          {"Authorization: Bearer something"}, &response));
  EXPECT_EQ(response.status, 200);
  AgentRequest a;
  AgentRequest b;
  ASSERT_TRUE(Arrived("a", 1, &a));
  ASSERT_TRUE(Arrived("b", 1, &b));
  EXPECT_EQ(a.auth, CallerAuth::kNone);
  EXPECT_EQ(b.auth, CallerAuth::kOther);
}

TEST_F(SyntheticAgentTest, InvalidCallsGetJsonRpcErrorsAndAreRecorded) {
  ASSERT_TRUE(Start(HoldFor(0)));
  RawResponse response;
  ASSERT_TRUE(PostAndRead(agent_->port(), "not json", {}, &response));
  EXPECT_EQ(response.status, 200) << "JSON-RPC errors travel in an HTTP 200";
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson(response.body, &doc));
  ASSERT_TRUE(HasMembers(doc, {"jsonrpc", "id", "error"}));
  EXPECT_TRUE(doc["id"].IsNull());
  EXPECT_EQ(doc["error"]["code"].GetInt(), kRpcParseError);

  ASSERT_TRUE(PostAndRead(agent_->port(),
                          R"({"jsonrpc":"2.0","id":7,"method":"tasks/get","params":{}})", {},
                          &response));
  ASSERT_TRUE(ParseJson(response.body, &doc));
  ASSERT_TRUE(HasMembers(doc, {"id", "error"}));
  EXPECT_EQ(doc["id"].GetInt(), 7);
  EXPECT_EQ(doc["error"]["code"].GetInt(), kRpcMethodNotFound);

  const std::vector<AgentRequest> seen = agent_->Requests();
  ASSERT_EQ(seen.size(), 2u) << Seen(*agent_);
  EXPECT_EQ(seen[0].kind, RequestKind::kInvalid);
  EXPECT_EQ(seen[1].kind, RequestKind::kInvalid);
  EXPECT_EQ(seen[1].rpc_method, "tasks/get");
  EXPECT_EQ(seen[1].reply, "rpc_error");
}

TEST_F(SyntheticAgentTest, AgentCardIsServedAtBothWellKnownPaths) {
  ASSERT_TRUE(Start(HoldFor(0)));
  for (const char* path : {"/.well-known/agent-card.json", "/.well-known/agent.json"}) {
    std::unique_ptr<AgentCall> call;
    ASSERT_TRUE(AgentCall::Send(agent_->port(), "GET", path, "", {}, &call));
    RawResponse response;
    ASSERT_TRUE(call->ReadToEnd(DefaultWait(), &response));
    EXPECT_EQ(response.status, 200) << path;
    rapidjson::Document card;
    ASSERT_TRUE(ParseJson(response.body, &card));
    EXPECT_TRUE(HasMembers(card, {"name", "url", "version", "protocolVersion", "capabilities",
                                  "defaultInputModes", "defaultOutputModes", "skills"}));
    EXPECT_EQ(std::string(card["url"].GetString()), agent_->url("/"));
    EXPECT_EQ(response.body, agent_->AgentCardJson()) << "what register would send";
  }
  std::unique_ptr<AgentCall> stray;
  ASSERT_TRUE(AgentCall::Send(agent_->port(), "GET", "/nowhere", "", {}, &stray));
  RawResponse response;
  ASSERT_TRUE(stray->ReadToEnd(DefaultWait(), &response));
  EXPECT_EQ(response.status, 404);
  const std::vector<AgentRequest> seen = agent_->Requests();
  ASSERT_EQ(seen.size(), 3u) << Seen(*agent_);
  EXPECT_EQ(seen[0].kind, RequestKind::kAgentCard);
  EXPECT_EQ(seen[1].kind, RequestKind::kAgentCard);
  EXPECT_EQ(seen[2].kind, RequestKind::kOther);
  EXPECT_EQ(seen[2].path, "/nowhere");
}

TEST_F(SyntheticAgentTest, StopReleasesAHeldKickoff) {
  ASSERT_TRUE(Start(HoldUntilCut(HeaderTiming::kAtEnd)));
  std::unique_ptr<AgentCall> call;
  ASSERT_TRUE(Call(MessageSendBody("k1", "go"), &call));
  AgentRequest kickoff;
  ASSERT_TRUE(Arrived("k1", 1, &kickoff));
  EXPECT_EQ(agent_->Stop(), "");
  const std::vector<AgentRequest> seen = agent_->Requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].end, RequestEnd::kAgentStopped);
  EXPECT_TRUE(seen[0].ended_at);
  EXPECT_EQ(agent_->HeldTasks(), 0);
}

// The registry side of the heartbeat tests: a scripted platform answering the heartbeat route
// under a path prefix (the registry URL is the platform's base URL, path and all).
class HeartbeatTest : public SyntheticAgentTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(registry_.Start());
    testing_support::ScriptedResponse ok;
    ok.body = R"({"status":"ok"})";
    registry_.Script("POST", "/platform/registry/heartbeat", ok);
  }
  void TearDown() override {
    SyntheticAgentTest::TearDown();
    registry_.Stop();
  }

  AgentBehaviour Heartbeating() {
    AgentBehaviour behaviour = HoldUntilCut(HeaderTiming::kAtOnce);
    behaviour.heartbeat.interval_secs = 10;  // 10 ms of wall time
    behaviour.heartbeat.registry_url = registry_.base_url() + "/platform/";
    behaviour.heartbeat.workspace_id = "ws-synthetic-1";
    behaviour.heartbeat.workspace_token = kWorkspaceToken;
    behaviour.heartbeat.idle_timeout_secs = 120;
    return behaviour;
  }

  testing_support::ScriptedHttpServer registry_;
};

TEST_F(HeartbeatTest, HeartbeatsReportTheHeldTask) {
  ASSERT_TRUE(Start(Heartbeating()));
  ASSERT_TRUE(agent_->WaitForHeartbeat(
      [](const AgentHeartbeat& h) { return h.active_tasks == 0 && h.status == 200; }, Deadline()))
      << "no answered heartbeat while idle";

  std::unique_ptr<AgentCall> call;
  ASSERT_TRUE(Call(MessageSendBody("k1", "go"), &call));
  AgentRequest kickoff;
  ASSERT_TRUE(Arrived("k1", 1, &kickoff));
  ASSERT_TRUE(agent_->WaitForHeartbeat(
      [&](const AgentHeartbeat& h) {
        return h.active_tasks == 1 && h.sent_at > kickoff.arrived_at;
      },
      Deadline()))
      << "no heartbeat reported the held task";
  call->HangUp();
  ASSERT_TRUE(Ended(kickoff.sequence, &kickoff));
  ASSERT_TRUE(agent_->WaitForHeartbeat(
      [&](const AgentHeartbeat& h) { return h.active_tasks == 0 && h.sent_at > *kickoff.ended_at; },
      Deadline()))
      << "no heartbeat after the task's end reported it gone";

  bool saw_busy_body = false;
  for (const RecordedRequest& request : registry_.requests()) {
    EXPECT_EQ(request.path, "/platform/registry/heartbeat");
    EXPECT_EQ(request.Header("Authorization"), std::string("Bearer ") + kWorkspaceToken);
    rapidjson::Document body;
    ASSERT_TRUE(ParseJson(request.body, &body));
    ASSERT_TRUE(HasMembers(body, {"workspace_id", "active_tasks", "uptime_seconds", "current_task",
                                  "error_rate", "runtime_state", "runtime_metadata"}));
    EXPECT_EQ(std::string(body["workspace_id"].GetString()), "ws-synthetic-1");
    EXPECT_TRUE(body["uptime_seconds"].IsInt64());
    EXPECT_EQ(body["runtime_metadata"]["idle_timeout_seconds"].GetInt(), 120);
    saw_busy_body = saw_busy_body || body["active_tasks"].GetInt() == 1;
  }
  EXPECT_TRUE(saw_busy_body) << "the registry never received active_tasks 1";
}

// The workspace id comes from the create, which needs the agent's URL: heartbeats start
// after Start(), once.
TEST_F(HeartbeatTest, HeartbeatsCanStartAfterTheAgent) {
  ASSERT_TRUE(Start(HoldFor(0)));
  EXPECT_NE(agent_->StartHeartbeats(HeartbeatSettings{}), "") << "no interval, no registry";
  ASSERT_EQ(agent_->StartHeartbeats(Heartbeating().heartbeat), "");
  ASSERT_TRUE(
      agent_->WaitForHeartbeat([](const AgentHeartbeat& h) { return h.status == 200; }, Deadline()))
      << "no answered heartbeat";
  EXPECT_NE(agent_->StartHeartbeats(Heartbeating().heartbeat).find("already"), std::string::npos);
}

TEST_F(HeartbeatTest, AnUnreachableRegistryIsRecordedAsAFailedHeartbeat) {
  AgentBehaviour behaviour = Heartbeating();
  behaviour.heartbeat.registry_url = "http://127.0.0.1:" + std::to_string(UnusedLoopbackPort());
  behaviour.heartbeat.idle_timeout_secs.reset();
  ASSERT_TRUE(Start(behaviour));
  const auto failed =
      agent_->WaitForHeartbeat([](const AgentHeartbeat& h) { return h.status == 0; }, Deadline());
  ASSERT_TRUE(failed) << "no heartbeat attempt was recorded";
  EXPECT_NE(failed->error.find("/registry/heartbeat"), std::string::npos) << failed->error;
}

TEST(SyntheticAgentStartTest, RefusesWhatCannotRunNamingIt) {
  struct Case {
    const char* what;
    std::function<void(SyntheticAgentOptions&)> change;
    const char* named;
  };
  const std::vector<Case> cases = {
      {"heartbeats without a registry",
       [](SyntheticAgentOptions& o) { o.behaviour.heartbeat.interval_secs = 30; }, "registry URL"},
      {"a negative hold", [](SyntheticAgentOptions& o) { o.behaviour.hold_secs = -1; }, "hold"},
      {"a tag with a parenthesis",
       [](SyntheticAgentOptions& o) { o.behaviour.error_tag = "Bad)Tag"; }, "error tag"},
      {"one worker", [](SyntheticAgentOptions& o) { o.worker_threads = 1; }, "worker threads"},
      {"a zero time scale", [](SyntheticAgentOptions& o) { o.time_scale = 0; }, "time scale"},
  };
  for (const Case& c : cases) {
    SyntheticAgentOptions options;
    c.change(options);
    std::string error;
    EXPECT_EQ(SyntheticAgent::Start(options, &error), nullptr) << c.what;
    EXPECT_NE(error.find(c.named), std::string::npos) << c.what << ": " << error;
  }
}

TEST(SyntheticAgentStartTest, APortInUseIsReportedByStart) {
  SyntheticAgentOptions options;
  std::string error;
  auto first = SyntheticAgent::Start(options, &error);
  ASSERT_NE(first, nullptr) << error;
  options.port = first->port();
  EXPECT_EQ(SyntheticAgent::Start(options, &error), nullptr);
  EXPECT_NE(error.find("cannot bind"), std::string::npos) << error;
}

}  // namespace
}  // namespace taskbounds
