// FakePlatformServer: the platform's HTTP surface on cpp-httplib, bound to 127.0.0.1, in
// front of a PlatformBackend. It adds what a backend cannot express: per-route fault
// injection (status, delay, hang, hold-until-released, pass-through, malformed body,
// dropped connection) and a request log.
//
// Lifecycle (mocks/http/loopback_server.h): all routes (mocks/routes.h) are registered in
// the constructor; Start() binds on the calling thread and runs the accept loop on an owned
// thread; Stop() wakes blocked handlers (backend Shutdown, hung and held requests), stops
// accepting, closes idle keep-alive connections and joins. Stop() is safe before Start(),
// twice, and from several threads; the destructor calls it. A stopped server cannot be
// started again (the backend's Shutdown is final).
#ifndef MOCKS_FAKE_PLATFORM_SERVER_H_
#define MOCKS_FAKE_PLATFORM_SERVER_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mocks/http/loopback_server.h"
#include "mocks/http/request_log.h"
#include "mocks/platform_backend.h"
#include "mocks/routes.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace taskbounds {

// The loopback server's options with the fake's defaults, plus the request log's size.
struct ServerOptions : LoopbackServerOptions {
  ServerOptions() {
    // One worker per open connection: room for 64+ concurrent long A2A calls plus polling.
    worker_threads = 96;
    // httplib's default of 5 requests per connection (Go's net/http has no cap) makes
    // reconnect storms from 64 clients overflow small accept queues.
    keep_alive_max_count = 100;
    // With httplib's backlog of 5, 64 clients connecting at once lose SYNs and retry
    // after 1 s.
    listen_backlog = 1024;
  }
  // The request log keeps this many most recent requests (benchmarks send millions).
  std::size_t max_logged_requests = 100000;
};

// What an injected fault does to a matching request. The delay (if any) runs first, then
// the hold (if any), then the action.
enum class FaultAction {
  kProceed,         // after the delay, handle the request normally ("delay")
  kPass,            // handle the request normally: a named pass-through ("pass"), so a
                    // queue such as pass x2, then status=503 fails the third call only
  kRespond,         // answer `status` with `body` / `content_type`
  kHang,            // never answer; released (connection dropped) by Stop()
  kHtmlBody,        // answer `status` (default 502) with an HTML error page
  kTruncatedJson,   // answer `status` (default 200) with JSON cut mid-object
  kDropConnection,  // close the socket without sending a byte
};

struct Fault {
  FaultAction action = FaultAction::kRespond;
  int status = 503;
  std::string body = R"({"error":"injected fault"})";
  std::string content_type = "application/json";
  std::chrono::milliseconds delay{0};
  // Wait inside the server until FakePlatformServer::Release() (or Stop(), which drops the
  // connection instead) before the action.
  bool hold = false;

  static Fault Status(int status, std::string body = R"({"error":"injected fault"})");
  static Fault Delay(std::chrono::milliseconds delay);  // then normal handling
  static Fault Pass();
  static Fault Hold();  // until released, then normal handling
  static Fault Hang();
  static Fault HtmlBody(int status = 502);
  static Fault TruncatedJson(int status = 200);
  static Fault DropConnection();

  // The request log's name for it: "status", "delay", "pass", "hold", "hold+status", ...
  std::string Name() const;
};

// InjectFault's count meaning "every matching call until ClearFaults()".
inline constexpr int kEveryCall = -1;

class FakePlatformServer {
 public:
  FakePlatformServer(PlatformBackend& backend, ServerOptions options = {});
  ~FakePlatformServer();
  FakePlatformServer(const FakePlatformServer&) = delete;
  FakePlatformServer& operator=(const FakePlatformServer&) = delete;

  [[nodiscard]] StartResult Start();
  void Stop();

  int port() const;                                   // 0 before a successful Start()
  std::string url(std::string_view path = "") const;  // "http://127.0.0.1:PORT" + path

  // `route` is a key of mocks/routes.h (Routes()) or kAnyRouteKey ("*": any request,
  // matched or not). Faults queue per route and apply in order, `count` calls each
  // (kEveryCall: until cleared); a route's own queue goes before "*". False for an unknown
  // route key or a count of 0.
  [[nodiscard]] bool InjectFault(const std::string& route, Fault fault, int count = kEveryCall);
  void ClearFaults();
  // Every key InjectFault accepts: the route keys, then "*".
  static const std::vector<std::string>& RouteKeys();

  // Holds the next `count` requests on `route` inside the server until released: the same
  // as InjectFault(route, Fault::Hold(), count).
  [[nodiscard]] bool HoldNext(const std::string& route, int count = 1);
  // The oldest request held now on `route` ("*": any route), waiting up to `timeout` for
  // one to arrive; nullopt at the timeout or when the server stops.
  [[nodiscard]] std::optional<RecordedRequest> WaitUntilHeld(
      const std::string& route, std::chrono::milliseconds timeout) const;
  // Lets the held request with this sequence number go on; false when none is held.
  [[nodiscard]] bool Release(std::uint64_t sequence);
  // Lets every request held on `route` ("*": all) go on; returns how many.
  std::size_t ReleaseAll(const std::string& route = std::string(kAnyRouteKey));
  // Requests held now, oldest first.
  std::vector<RecordedRequest> HeldRequests() const;

  std::vector<RecordedRequest> requests() const;
  // The first recorded request (past or future) matching `predicate`, or nullopt once
  // `deadline` passes or the server stops.
  [[nodiscard]] std::optional<RecordedRequest> WaitForRequest(
      const RequestPredicate& predicate, std::chrono::steady_clock::time_point deadline) const;
  [[nodiscard]] std::optional<RecordedRequest> WaitForRequest(
      const RequestPredicate& predicate, std::chrono::milliseconds timeout) const;

  // Ids created and not deleted (the backend's leak accounting).
  std::vector<std::string> LiveWorkspaceIds() const;

 private:
  struct QueuedFault {
    Fault fault;
    int remaining;  // kEveryCall: unlimited
  };
  struct HeldRequest {
    std::string route_key;
    bool released = false;
  };
  // What ApplyFault left to do.
  enum class FaultOutcome { kAnswered, kContinue };

  void RegisterRoutes();
  void Handle(const RouteSpec* spec, const httplib::Request& req, httplib::Response& res,
              const std::string& id);
  FaultOutcome ApplyFault(const Fault& fault, std::uint64_t sequence, const std::string& route_key,
                          const httplib::Request& req, httplib::Response& res);
  BackendReply Dispatch(Route route, const BackendRequest& request, const std::string& id);
  std::optional<Fault> TakeFault(const std::string& route_key);
  // Sleeps until `until` or Stop(); false when Stop() interrupted it.
  bool SleepUntil(std::chrono::steady_clock::time_point until);
  // Blocks until Release() (true) or Stop() (false).
  bool HoldUntilReleased(std::uint64_t sequence, const std::string& route_key);
  void DropConnection(const httplib::Request& req, httplib::Response& res);

  PlatformBackend& backend_;
  const ServerOptions options_;
  LoopbackServer loopback_;
  RequestLog log_;

  std::mutex lifecycle_mu_;  // serialises Start/Stop
  bool stopped_ = false;

  // Faults, holds and the stop flag share one lock so a waiting handler sees "stopping".
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;  // stop, holds
  bool stopping_ = false;
  std::map<std::string, std::deque<QueuedFault>> faults_;
  std::map<std::uint64_t, HeldRequest> held_;  // by sequence: arrival order
};

}  // namespace taskbounds

#endif  // MOCKS_FAKE_PLATFORM_SERVER_H_
