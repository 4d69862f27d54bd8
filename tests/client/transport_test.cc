// The client's transport against peers that misbehave at the byte level, over real
// loopback sockets: a mutating request is never silently sent twice, and a failed transfer
// says how far it got (never connected, not fully sent, sent with no answer, partial
// answer) so the verdict never blames the platform or A2A_TIMEOUT for a kickoff that
// never arrived.
#include <chrono>
#include <string>
#include <vector>

#include "client/platform_client.h"
#include "client/verdict.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/raw_http_peer.h"

namespace taskbounds {
namespace {

using ::taskbounds::testing_support::RawConnection;
using ::taskbounds::testing_support::RawHttpPeer;
using ::taskbounds::testing_support::RawRequest;
using ::taskbounds::testing_support::RawResponse;
using ::taskbounds::testing_support::UnreachableListener;
using ::testing::HasSubstr;

constexpr std::chrono::milliseconds kReadDeadline(10000);

ClientOptions OptionsFor(const std::string& base_url) {
  ClientOptions options;
  options.base_url = base_url;
  options.connect_timeout_ms = 5000;
  options.request_timeout_ms = 20000;
  return options;
}

std::size_t CountMethod(const std::vector<RawRequest>& requests, const std::string& method) {
  std::size_t n = 0;
  for (const RawRequest& r : requests) {
    n += r.method == method ? 1 : 0;
  }
  return n;
}

// Evidence as CoordinatorRun builds it from a failed kickoff.
RunEvidence EvidenceOf(const ApiResult<A2AReply>& reply, double platform_secs) {
  RunEvidence evidence;
  evidence.outcome = reply.value ? reply.value->outcome : A2AOutcome::kNoResponse;
  evidence.http_status = reply.exchange.http_status;
  evidence.harness_timed_out = reply.exchange.timed_out;
  evidence.transport_error = reply.error;
  evidence.transport_phase = reply.exchange.phase;
  evidence.response_text = reply.value ? reply.value->error_message : "";
  evidence.platform_secs = platform_secs;
  return evidence;
}

TEST(TransportTest, PostIsNotResentWhenTheKeptAliveConnectionClosesUnderIt) {
  // Connection 0 answers its first request and stays open; the next request on it is read
  // and dropped with the connection, as a server closing an idle connection just as the
  // request arrives would. Any other connection answers normally.
  RawHttpPeer peer([&peer](RawConnection& c) {
    for (int n = 0;; ++n) {
      const auto request = c.ReadRequest(kReadDeadline);
      if (!request) {
        return;
      }
      peer.Record(*request);
      if (c.index() == 0 && n > 0) {
        return;  // close without a byte of answer
      }
      const std::string body = request->method == "GET" ? R"({"id":"w","status":"online"})"
                                                        : R"({"id":"ws-2","status":"x"})";
      if (!c.Write(RawResponse(request->method == "GET" ? 200 : 201, body))) {
        return;
      }
    }
  });
  ASSERT_TRUE(peer.Start());
  PlatformClient client(OptionsFor(peer.base_url()));

  ASSERT_TRUE(client.GetWorkspace("w").ok());
  const auto created = client.CreateWorkspace({"Researcher", "r", 2, "t"});

  EXPECT_EQ(CountMethod(peer.requests(), "POST"), 1u) << "the create reached the server twice";
  EXPECT_EQ(created.exchange.send_attempts, 1);
  EXPECT_TRUE(created.ok()) << created.error;
  peer.Stop();
}

TEST(TransportTest, ConnectTimeoutIsNeverConnectedNotAHarnessTimeout) {
  UnreachableListener unreachable;
  ASSERT_TRUE(unreachable.Start());
  ClientOptions options = OptionsFor(unreachable.base_url());
  options.connect_timeout_ms = 300;
  PlatformClient client(options);

  const auto reply = client.SendMessage("pm", "task", 50000);
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.value->outcome, A2AOutcome::kNoResponse);
  EXPECT_EQ(TransportPhaseName(reply.exchange.phase), std::string("never_connected"));

  const Classification c = ClassifyRun(EvidenceOf(reply, 0.3), VerdictThresholds{});
  EXPECT_EQ(VerdictName(c.verdict), std::string("inconclusive")) << c.reason;
  EXPECT_THAT(c.reason, HasSubstr("never reached the platform"));
}

TEST(TransportTest, RefusedConnectionIsNeverConnected) {
  RawHttpPeer peer([](RawConnection&) {});
  ASSERT_TRUE(peer.Start());
  const std::string url = peer.base_url();
  peer.Stop();  // nothing listens on the port any more
  PlatformClient client(OptionsFor(url));
  const auto r = client.GetWorkspace("w");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(TransportPhaseName(r.exchange.phase), std::string("never_connected"));
  EXPECT_EQ(r.exchange.send_attempts, 0);
}

TEST(TransportTest, RequestReadThenDroppedIsSentNoAnswer) {
  RawHttpPeer peer([&peer](RawConnection& c) {
    if (const auto request = c.ReadRequest(kReadDeadline)) {
      peer.Record(*request);
    }
  });
  ASSERT_TRUE(peer.Start());
  PlatformClient client(OptionsFor(peer.base_url()));
  const auto reply = client.SendMessage("pm", "task", 20000);
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(TransportPhaseName(reply.exchange.phase), std::string("sent_no_answer"));
  EXPECT_EQ(CountMethod(peer.requests(), "POST"), 1u);
  peer.Stop();
}

TEST(TransportTest, ResponseCutShortIsPartialAnswer) {
  RawHttpPeer peer([](RawConnection& c) {
    if (c.ReadRequest(kReadDeadline)) {
      c.Write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"result\":");
    }
  });
  ASSERT_TRUE(peer.Start());
  PlatformClient client(OptionsFor(peer.base_url()));
  const auto reply = client.SendMessage("pm", "task", 20000);
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(TransportPhaseName(reply.exchange.phase), std::string("partial_answer"));
  peer.Stop();
}

TEST(TransportTest, BodyCutOffByThePeerIsNotFullySent) {
  // The peer reads the head only and closes: the 32 MiB body cannot all go out.
  RawHttpPeer peer([](RawConnection& c) { c.ReadRequest(kReadDeadline, /*head_only=*/true); });
  ASSERT_TRUE(peer.Start());
  PlatformClient client(OptionsFor(peer.base_url()));
  const auto r = client.SetSecret("w", "K", std::string(std::size_t{32} << 20, 'x'));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(TransportPhaseName(r.exchange.phase), std::string("not_fully_sent")) << r.error;
  peer.Stop();
}

TEST(TransportTest, CompleteExchangeKnowsWhenTheRequestWentOut) {
  RawHttpPeer peer([](RawConnection& c) {
    if (c.ReadRequest(kReadDeadline)) {
      c.Write(RawResponse(200, R"({"result":{"parts":[{"kind":"text","text":"done"}]}})"));
    }
  });
  ASSERT_TRUE(peer.Start());
  PlatformClient client(OptionsFor(peer.base_url()));
  const auto reply = client.SendMessage("pm", "task", 20000);
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.exchange.phase, TransportPhase::kComplete);
  EXPECT_EQ(reply.exchange.send_attempts, 1);
  // The request went out after the connection was made, within the transfer.
  EXPECT_GE(reply.exchange.timings.request_sent_secs, reply.exchange.timings.connect_secs);
  EXPECT_LE(reply.exchange.timings.request_sent_secs, reply.exchange.timings.total_secs);
  peer.Stop();
}

}  // namespace
}  // namespace taskbounds
