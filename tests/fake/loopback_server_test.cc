// LoopbackServer, the one cpp-httplib lifecycle behind the fake and the scripted server:
// prompt stop with an open keep-alive connection, a port in use reported by Start(),
// repeated start/stop, stop in any state, and a held request seeing its caller hang up. Real
// sockets on 127.0.0.1.
#include "mocks/http/loopback_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <string>

#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Generous bound for "returns at all" (20 s, times the slowdown factor); the keep-alive
// timeout below is far longer, so a stop that waited for idle connections to time out fails
// here instead of passing slowly.
seconds ReturnBound() { return std::chrono::duration_cast<seconds>(2 * DefaultWait()); }

// A raw client connection, so the test controls keep-alive exactly (no client library
// that might close its connection first).
class RawConnection {
 public:
  explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    connected_ = fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    timeval timeout{};
    timeout.tv_sec = ReturnBound().count();
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  }
  ~RawConnection() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // Sends a keep-alive GET without reading the answer.
  testing::AssertionResult Send(const std::string& path) {
    if (!connected_) {
      return testing::AssertionFailure() << "cannot connect to the server";
    }
    const std::string request =
        "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n";
    if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
      return testing::AssertionFailure() << "send failed";
    }
    return testing::AssertionSuccess();
  }

  // Sends a keep-alive GET and reads until the end of the (small) response.
  testing::AssertionResult Get(const std::string& path, std::string* response) {
    if (testing::AssertionResult sent = Send(path); !sent) {
      return sent;
    }
    response->clear();
    char buffer[4096];
    while (response->find("\r\n\r\nok") == std::string::npos) {
      const ssize_t got = ::recv(fd_, buffer, sizeof(buffer), 0);
      if (got <= 0) {
        return testing::AssertionFailure() << "connection ended after: " << *response;
      }
      response->append(buffer, static_cast<std::size_t>(got));
    }
    return testing::AssertionSuccess();
  }

  void HangUp() {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

  // True when the server closed the connection (EOF or reset) before ReturnBound().
  bool ClosedByPeer() {
    char byte = 0;
    const ssize_t got = ::recv(fd_, &byte, 1, 0);
    return got == 0 || (got < 0 && errno == ECONNRESET);
  }

 private:
  int fd_;
  bool connected_ = false;
};

void ServeOk(LoopbackServer& server) {
  server.HandleEveryMethod(".*", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });
}

TEST(LoopbackServerTest, StopReturnsWithAnOpenKeepAliveConnection) {
  LoopbackServerOptions options;
  // An idle connection would pin its worker this long: twice the bound, so a Stop() that
  // waited for it fails the bound, yet (at slowdown 1) the test still ends within a small
  // test's timeout; with a larger TASKBOUNDS_TEST_SLOWDOWN that failure is a Bazel TIMEOUT.
  options.keep_alive_timeout_secs = 2 * static_cast<int>(ReturnBound().count());
  options.stop_deadline = seconds(300);  // so Stop() never gives up before the bound below
  LoopbackServer server(options);
  ServeOk(server);
  const StartResult started = server.Start();
  ASSERT_TRUE(started.ok()) << started.error;

  RawConnection connection(started.port);
  std::string response;
  ASSERT_TRUE(connection.Get("/first", &response));
  ASSERT_NE(response.find("HTTP/1.1 200"), std::string::npos) << response;

  // The connection stays open and idle; Stop() runs elsewhere so a hang cannot block the
  // test thread past the bound.
  std::future<std::string> stopped =
      std::async(std::launch::async, [&server] { return server.Stop(); });
  ASSERT_EQ(stopped.wait_for(ReturnBound()), std::future_status::ready)
      << "Stop() did not return within " << ReturnBound().count()
      << " s with one idle keep-alive connection open";
  EXPECT_EQ(stopped.get(), "");
  EXPECT_TRUE(connection.ClosedByPeer()) << "the idle connection was left open";
  EXPECT_FALSE(server.running());
  EXPECT_EQ(server.port(), 0);
}

TEST(LoopbackServerTest, PortInUseIsReportedByStart) {
  LoopbackServer first;
  ServeOk(first);
  const StartResult serving = first.Start();
  ASSERT_TRUE(serving.ok()) << serving.error;

  LoopbackServerOptions options;
  options.port = serving.port;
  LoopbackServer second(options);
  ServeOk(second);
  const StartResult clash = second.Start();
  EXPECT_FALSE(clash.ok()) << "a second server bound a port already serving";
  EXPECT_NE(clash.error.find("127.0.0.1:" + std::to_string(serving.port)), std::string::npos)
      << clash.error;
  EXPECT_NE(clash.error.find("in use"), std::string::npos) << clash.error;
  EXPECT_FALSE(second.running());
  EXPECT_EQ(second.Stop(), "") << "stopping a server that never started";

  // The first server was not disturbed.
  RawConnection connection(serving.port);
  std::string response;
  EXPECT_TRUE(connection.Get("/still-there", &response));
}

TEST(LoopbackServerTest, StartAndStopRepeatedOnOneServer) {
  LoopbackServer server;
  ServeOk(server);
  for (int round = 0; round < 20; ++round) {
    const StartResult started = server.Start();
    ASSERT_TRUE(started.ok()) << "round " << round << ": " << started.error;
    EXPECT_EQ(server.url(), "http://127.0.0.1:" + std::to_string(started.port));
    RawConnection connection(started.port);
    std::string response;
    ASSERT_TRUE(connection.Get("/round", &response)) << "round " << round;
    ASSERT_EQ(server.Stop(), "") << "round " << round;
    EXPECT_FALSE(server.running()) << "round " << round;
  }
}

TEST(LoopbackServerTest, StartAndStopRepeatedWithFreshServers) {
  for (int round = 0; round < 20; ++round) {
    LoopbackServer server;
    ServeOk(server);
    const StartResult started = server.Start();
    ASSERT_TRUE(started.ok()) << "round " << round << ": " << started.error;
    RawConnection connection(started.port);
    std::string response;
    ASSERT_TRUE(connection.Get("/round", &response)) << "round " << round;
    // The destructor stops it, with the connection still open.
  }
}

TEST(LoopbackServerTest, StopIsSafeBeforeStartAndTwice) {
  LoopbackServer server;
  ServeOk(server);
  EXPECT_EQ(server.Stop(), "");
  const StartResult started = server.Start();
  ASSERT_TRUE(started.ok()) << started.error;
  EXPECT_EQ(server.Start().port, started.port) << "Start() while running keeps the port";
  EXPECT_EQ(server.Stop(), "");
  EXPECT_EQ(server.Stop(), "");
}

// A handler holding a request sees the caller hang up by polling ConnectionFd(): what the
// synthetic agent (mocks/agent) records as a disconnect.
TEST(LoopbackServerTest, ConnectionFdShowsTheCallerHangingUp) {
  LoopbackServer server;
  std::promise<int> fd_seen;
  std::promise<short> hang_up_seen;
  server.HandleEveryMethod(".*", [&](const httplib::Request& req, httplib::Response& res) {
    const int fd = server.ConnectionFd(req);
    fd_seen.set_value(fd);
    pollfd watch{fd, POLLRDHUP, 0};
    const int ready = fd < 0 ? 0 : ::poll(&watch, 1, static_cast<int>(DefaultWait().count()));
    hang_up_seen.set_value(ready > 0 ? watch.revents : 0);
    res.set_content("late", "text/plain");
  });
  const StartResult started = server.Start();
  ASSERT_TRUE(started.ok()) << started.error;
  RawConnection connection(started.port);
  ASSERT_TRUE(connection.Send("/held"));
  auto fd = fd_seen.get_future();
  ASSERT_EQ(fd.wait_for(DefaultWait()), std::future_status::ready) << "the request never arrived";
  EXPECT_GE(fd.get(), 0) << "no socket found for the held request";
  connection.HangUp();
  auto revents = hang_up_seen.get_future();
  ASSERT_EQ(revents.wait_for(2 * DefaultWait()), std::future_status::ready);
  EXPECT_NE(revents.get() & (POLLRDHUP | POLLHUP | POLLERR), 0)
      << "the handler's poll ended without seeing the hang-up";
  EXPECT_EQ(server.Stop(), "");
}

TEST(LoopbackServerTest, UnusedLoopbackPortRefusesConnections) {
  const int port = UnusedLoopbackPort();
  ASSERT_GT(port, 0);
  RawConnection connection(port);
  std::string response;
  EXPECT_FALSE(connection.Get("/", &response));
}

}  // namespace
}  // namespace taskbounds
