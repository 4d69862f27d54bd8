// The fake platform under load and abuse: 64 concurrent coordinator runs, malformed and
// oversized requests, and start/stop races, each bounded.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client/platform_client.h"
#include "gtest/gtest.h"
#include "mocks/embedded_fake_platform.h"
#include "mocks/platform/json_util.h"
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

// Runs `fn` and fails the whole binary (rather than hang until Bazel's timeout) if it has
// not returned within `timeout`.
void RunBounded(const std::function<void()>& fn, std::chrono::milliseconds timeout,
                const std::string& what) {
  auto done = std::make_shared<std::promise<void>>();
  std::future<void> finished = done->get_future();
  std::thread worker([fn, done] {
    fn();
    done->set_value();
  });
  if (finished.wait_for(timeout) != std::future_status::ready) {
    std::fprintf(stderr, "FATAL: %s did not finish within %lld ms\n", what.c_str(),
                 static_cast<long long>(timeout.count()));
    std::fflush(stderr);
    std::_Exit(1);
  }
  worker.join();
}

// Sends raw bytes on a fresh TCP connection and returns whatever comes back before the
// peer closes (or 5 s pass). `half_close` ends our side first so the server sees EOF at
// once; httplib then skips writing any answer (its is_writable() sees the dead peer).
std::string RawExchange(int port, const std::string& bytes, bool half_close = true) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    return "<socket failed>";
  }
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return "<connect failed>";
  }
  ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  if (half_close) {
    ::shutdown(fd, SHUT_WR);
  }
  std::string reply;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof(buf), 0)) > 0) {
    reply.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return reply;
}

TEST(ConcurrencyTest, SixtyFourCoordinatorRunsAtOnceWithoutErrorsOrLeaks) {
  FakePlatformOptions options = FastOptions(kProfile);  // depth 3 kickoff = 165 ms of wall time
  auto fake = StartFake(options);
  ASSERT_NE(fake, nullptr);
  constexpr int kRuns = 64;
  std::mutex mu;
  std::vector<std::string> errors;
  std::atomic<int> results{0};
  auto fail = [&](const std::string& what) {
    std::lock_guard<std::mutex> lock(mu);
    errors.push_back(what);
  };
  RunBounded(
      [&] {
        std::vector<std::thread> threads;
        threads.reserve(kRuns);
        for (int i = 0; i < kRuns; ++i) {
          threads.emplace_back([&, i] {
            PlatformClient client(ClientFor(*fake));
            const std::string tag = "run " + std::to_string(i) + ": ";
            auto pm = client.CreateWorkspace({"PM", "Coordinator", 2, "claude-code-default"});
            auto child = client.CreateWorkspace({"Researcher", "Research", 2, "langgraph"});
            if (!pm.ok() || !child.ok()) {
              return fail(tag + pm.error + child.error);
            }
            const std::string pm_id = pm.value->id, child_id = child.value->id;
            auto patched = client.PatchParent(child_id, pm_id);
            if (!patched.ok()) {
              return fail(tag + patched.error);
            }
            auto secret =
                client.SetSecret(child_id, "OPENROUTER_API_KEY", "sk-" + std::to_string(i));
            if (!secret.ok()) {
              return fail(tag + secret.error);
            }
            for (const std::string& id : {pm_id, child_id}) {
              testing::AssertionResult online = WaitForStatus(client, id, "online", DefaultWait());
              if (!online) {
                return fail(tag + online.message());
              }
            }
            auto reply = client.SendMessage(pm_id, KickoffText(3), DefaultWaitMs());
            if (!reply.ok()) {
              return fail(tag + reply.error);
            }
            if (reply.value->outcome != A2AOutcome::kResult) {
              return fail(tag + "outcome " + A2AOutcomeName(reply.value->outcome));
            }
            ++results;
            auto del_child = client.DeleteWorkspace(child_id, false);
            auto del_pm = client.DeleteWorkspace(pm_id, true);
            if (!del_child.ok() || !del_pm.ok()) {
              return fail(tag + del_child.error + del_pm.error);
            }
          });
        }
        for (std::thread& t : threads) {
          t.join();
        }
      },
      12 * DefaultWait(), "64 concurrent runs");
  for (const std::string& e : errors) {
    ADD_FAILURE() << e;
  }
  EXPECT_EQ(results.load(), kRuns);
  EXPECT_TRUE(fake->backend().LiveWorkspaceIds().empty())
      << fake->backend().LiveWorkspaceIds().size() << " workspaces leaked";
}

class MalformedRequestTest : public FakePlatformTest {
 protected:
  void SetUp() override {
    FakePlatformOptions options = FastOptions(kProfile);
    options.fixed_a2a_latency_ms = 0;
    ASSERT_NO_FATAL_FAILURE(Start(options));
    ASSERT_TRUE(CreateOnline(*client_, "PM", &id_));
  }
  void TearDown() override {
    if (fake_) {
      // Whatever was thrown at it, the server still answers.
      PlatformClient fresh(ClientFor(*fake_));
      EXPECT_EQ(fresh.Send("GET", "/health", "").http_status, 200);
    }
    FakePlatformTest::TearDown();
  }

  std::string id_;
};

TEST_F(MalformedRequestTest, A2ARejectsAnythingButAJsonObject) {
  const std::string path = "/workspaces/" + id_ + "/a2a";
  for (const char* body :
       {"{", "not json", "[]", "\"string\"", "42", "null", R"({"a":1} trailing)", "\xff\xfe"}) {
    EXPECT_TRUE(IsFlatError(client_->Send("POST", path, body), 400, "invalid JSON")) << body;
  }
  // Wrong types inside a valid object reach the agent, which answers in-band.
  HttpExchange odd = client_->Send("POST", path, R"({"method":7,"params":"x"})");
  EXPECT_EQ(odd.http_status, 200);
  EXPECT_NE(odd.body.find("-32601"), std::string::npos) << odd.body;
  HttpExchange no_message = client_->Send("POST", path, R"({"method":"message/send","params":[]})");
  EXPECT_EQ(no_message.http_status, 200);
  EXPECT_NE(no_message.body.find("-32602"), std::string::npos) << no_message.body;
}

TEST_F(MalformedRequestTest, A2ABodyOverOneMebibyteIsCutIntoInvalidJson) {
  const std::string path = "/workspaces/" + id_ + "/a2a";
  auto body_with_text = [](std::size_t text_bytes) {
    return R"({"method":"message/send","params":{"message":{"role":"user","parts":[{"kind":"text","text":")" +
           std::string(text_bytes, 'a') + R"("}]}}})";
  };
  EXPECT_TRUE(
      IsFlatError(client_->Send("POST", path, body_with_text(2u << 20)), 400, "invalid JSON"));
  // Just under the limit is a normal call.
  HttpExchange fits = client_->Send("POST", path, body_with_text((1u << 20) - 200));
  EXPECT_EQ(fits.http_status, 200) << fits.BodyExcerpt();
}

TEST_F(MalformedRequestTest, CreateWithHugeBodiesIsValidatedLikeAnyOther) {
  // Gin reads the whole body; the length rules then apply.
  EXPECT_TRUE(IsFlatError(
      client_->Send("POST", "/workspaces", R"({"name":")" + std::string(2u << 20, 'n') + "\"}"),
      400, "invalid workspace fields"));
  EXPECT_TRUE(
      IsFlatError(client_->Send("POST", "/workspaces", "{\"name\":\"" + std::string(2u << 20, 'n')),
                  400, "invalid workspace payload"));
  HttpExchange big_secret =
      client_->Send("POST", "/workspaces",
                    R"({"name":"PM","secrets":{"BIG":")" + std::string(2u << 20, 's') + "\"}}");
  EXPECT_EQ(big_secret.http_status, 201) << "no size limit on secret values";
}

// Bodies nested far deeper than any real request, on every route that parses JSON: each is
// refused like any other malformed body, and TearDown checks the server still answers.
// Before the parser was bounded, 100 KB of '[' overflowed a worker's stack (SIGSEGV).
TEST_F(MalformedRequestTest, DeeplyNestedBodiesAreRefusedNotACrash) {
  const std::string ws = "/workspaces/" + id_;
  const std::vector<std::string> bodies = {
      std::string(100 * 1024, '['),
      R"({"name":)" + std::string(50 * 1024, '['),
      [] {
        std::string deep;
        for (int i = 0; i < 20000; ++i) {
          deep += R"({"a":)";
        }
        return deep + "1" + std::string(20000, '}');
      }(),
  };
  struct Case {
    const char* method;
    std::string path;
    const char* error;
  };
  const std::vector<Case> cases = {
      {"POST", "/workspaces", "invalid workspace payload"},
      {"PATCH", ws, "invalid request body"},
      {"POST", ws + "/secrets", "invalid request body"},
      {"POST", ws + "/a2a", "invalid JSON"},
  };
  for (const std::string& body : bodies) {
    for (const Case& c : cases) {
      EXPECT_TRUE(IsFlatError(client_->Send(c.method, c.path, body), 400, c.error))
          << c.method << " " << c.path << " with " << body.size() << " bytes of nesting";
    }
    for (const char* path : {"/registry/register", "/registry/heartbeat"}) {
      EXPECT_EQ(client_->Send("POST", path, body).http_status, 400) << path;
    }
  }
}

// Nesting up to the fake's cap is still parsed: the bound refuses only what is deeper.
TEST_F(MalformedRequestTest, NestingUpToTheCapIsAccepted) {
  const std::string nested =
      std::string(kMaxBodyNesting - 1, '[') + std::string(kMaxBodyNesting - 1, ']');
  HttpExchange within = client_->Send("POST", "/workspaces",
                                      R"({"name":"PM","role":"r","x":0,"extra":)" + nested + "}");
  EXPECT_NE(within.http_status, 400) << within.BodyExcerpt();
  const std::string too_deep =
      std::string(kMaxBodyNesting, '[') + std::string(kMaxBodyNesting, ']');
  EXPECT_TRUE(
      IsFlatError(client_->Send("POST", "/workspaces", R"({"name":"PM","extra":)" + too_deep + "}"),
                  400, "invalid workspace payload"));
}

TEST_F(MalformedRequestTest, PatchWithWrongTypesStillAnswersUpdated) {
  HttpExchange ex =
      client_->Send("PATCH", "/workspaces/" + id_, R"({"tier":"high","parent_id":17,"x":"a"})");
  EXPECT_EQ(ex.http_status, 200);
  EXPECT_EQ(ex.body, R"({"status":"updated"})");
}

TEST_F(MalformedRequestTest, GarbageOnTheWireNeverCrashesTheServer) {
  const int port = fake_->port();
  const std::string garbage[] = {
      "GARBAGE\r\n\r\n",
      "GET\r\n\r\n",
      "GET /health HTTP/9.9\r\n\r\n",
      "POST /workspaces HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"na",
      "POST /workspaces HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
      "POST /workspaces HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "GET /workspaces/%zz%00 HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /" + std::string(20000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n",
      std::string("\x00\x01\x02\xff", 4),
  };
  for (const std::string& bytes : garbage) {
    const std::string reply = RawExchange(port, bytes);
    // Either a status line or a closed connection; never a crash (TearDown checks).
    if (!reply.empty()) {
      EXPECT_EQ(reply.rfind("HTTP/1.1 ", 0), 0u) << reply.substr(0, 80);
    }
  }
  const std::string bodiless = RawExchange(
      port, "PUT /workspaces/" + id_ + "/secrets HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      /*half_close=*/false);
  EXPECT_NE(bodiless.find("400"), std::string::npos) << "no body: invalid request body";
  EXPECT_NE(bodiless.find("invalid request body"), std::string::npos) << bodiless;
}

TEST(StartStopTest, StopBeforeStartThenStartFails) {
  InMemoryPlatform backend(FastOptions(kProfile));
  FakePlatformServer server(backend);
  server.Stop();
  StartResult started = server.Start();
  EXPECT_FALSE(started.ok());
  EXPECT_NE(started.error.find("stopped"), std::string::npos) << started.error;
  server.Stop();
}

TEST(StartStopTest, StopTwiceAndFromManyThreads) {
  InMemoryPlatform backend(FastOptions(kProfile));
  FakePlatformServer server(backend);
  StartResult started = server.Start();
  ASSERT_TRUE(started.ok()) << started.error;
  EXPECT_GT(started.port, 0);
  EXPECT_EQ(server.Start().port, started.port) << "a second Start() is a no-op";
  RunBounded(
      [&] {
        std::vector<std::thread> stoppers;
        stoppers.reserve(4);
        for (int i = 0; i < 4; ++i) {
          stoppers.emplace_back([&] { server.Stop(); });
        }
        for (std::thread& t : stoppers) {
          t.join();
        }
        server.Stop();
      },
      DefaultWait(), "concurrent Stop()");
}

TEST(StartStopTest, BindFailureIsReportedNotThrown) {
  InMemoryPlatform backend(FastOptions(kProfile));
  FakePlatformServer first(backend);
  StartResult started = first.Start();
  ASSERT_TRUE(started.ok()) << started.error;
  ServerOptions same_port;
  same_port.port = started.port;
  FakePlatformServer second(backend, same_port);
  StartResult conflict = second.Start();
  EXPECT_FALSE(conflict.ok());
  EXPECT_NE(conflict.error.find("cannot bind"), std::string::npos) << conflict.error;
}

TEST(StartStopTest, StopWithOpenKeepAliveConnections) {
  auto fake = StartFake(FastOptions(kProfile));
  ASSERT_NE(fake, nullptr);
  std::vector<std::unique_ptr<PlatformClient>> clients;
  for (int i = 0; i < 16; ++i) {
    clients.push_back(std::make_unique<PlatformClient>(ClientFor(*fake)));
    ASSERT_EQ(clients.back()->Send("GET", "/health", "").http_status, 200);  // stays open
  }
  const auto start = std::chrono::steady_clock::now();
  RunBounded([&] { fake->Stop(); }, DefaultWait(), "Stop() with keep-alive connections");
  const auto took =
      std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
  RecordProperty("stop_with_keepalive_ms", static_cast<int>(took.count()));
}

TEST(StartStopTest, StopWhileAnA2ACallIsInFlight) {
  FakePlatformOptions options;
  options.platform_version = kProfile;
  options.time_scale = 1;
  options.durations.registration_secs = 0;  // online at once; the kickoff takes 165 s
  auto fake = StartFake(options);
  ASSERT_NE(fake, nullptr);
  PlatformClient client(ClientFor(*fake));
  std::string pm;
  ASSERT_TRUE(CreateOnline(client, "PM", &pm));
  ApiResult<A2AReply> reply;
  std::thread caller([&] {
    PlatformClient own(ClientFor(*fake));
    reply = own.SendMessage(pm, KickoffText(3), 3 * DefaultWaitMs());
  });
  ASSERT_TRUE(WaitForRequest(fake->server(), IsRequest("POST", "/workspaces/" + pm + "/a2a"),
                             DefaultWait()));
  RunBounded([&] { fake->Stop(); }, DefaultWait(), "Stop() during an A2A call");
  RunBounded([&] { caller.join(); }, DefaultWait(), "the A2A caller after Stop()");
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_FALSE(reply.exchange.timed_out) << "Stop() ended the call, not the client timeout";
  // Either the backend's shutdown answer got out or the connection closed under it.
  EXPECT_TRUE(reply.value->outcome == A2AOutcome::kPlatformError ||
              reply.value->outcome == A2AOutcome::kNoResponse)
      << A2AOutcomeName(reply.value->outcome);
}

TEST(StartStopTest, DestructorStopsARunningServer) {
  InMemoryPlatform backend(FastOptions(kProfile));
  RunBounded(
      [&] {
        FakePlatformServer server(backend);
        StartResult started = server.Start();
        EXPECT_TRUE(started.ok()) << started.error;
      },
      DefaultWait(), "~FakePlatformServer");
}

}  // namespace
}  // namespace taskbounds
