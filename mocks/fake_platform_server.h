// FakePlatformServer: the platform's HTTP surface on cpp-httplib, bound to 127.0.0.1, in
// front of a PlatformBackend. It adds what a backend cannot express: per-route fault
// injection (status, delay, hang, malformed body, dropped connection) and a request log.
//
// Lifecycle: all routes are registered in the constructor; Start() binds on the calling
// thread and runs the accept loop on an owned thread; Stop() wakes blocked handlers
// (backend Shutdown, hung faults), stops accepting, closes idle keep-alive connections and
// joins. Stop() is safe before Start(), twice, and from several threads; the destructor
// calls it. A stopped server cannot be started again.
#ifndef MOCKS_FAKE_PLATFORM_SERVER_H_
#define MOCKS_FAKE_PLATFORM_SERVER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "mocks/platform_backend.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace taskbounds {

struct ServerOptions {
  std::string host = "127.0.0.1";  // a literal: "localhost" may resolve to ::1
  int port = 0;                    // 0: any free port
  // One worker per open connection: room for 64+ concurrent long A2A calls plus polling.
  int worker_threads = 96;
  // Idle keep-alive connections pin a worker this long (httplib's unit is seconds).
  int keep_alive_timeout_secs = 1;
  // Requests per connection before the server closes it (httplib's default is 5; Go's
  // net/http has no cap). Reconnect storms from 64 clients overflow small accept queues.
  int keep_alive_max_count = 100;
  // Accept queue length. httplib listens with a backlog of 5; 64 clients connecting at
  // once then lose SYNs and retry after 1 s.
  int listen_backlog = 1024;
  std::chrono::milliseconds start_deadline{5000};
  // The request log keeps this many most recent requests (benchmarks send millions).
  std::size_t max_logged_requests = 100000;
};

struct StartResult {
  int port = 0;       // bound port when ok()
  std::string error;  // why Start() failed
  bool ok() const { return error.empty(); }
};

// What an injected fault does to a matching request. The delay (if any) runs first.
enum class FaultAction {
  kProceed,         // after the delay, handle the request normally
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

  static Fault Status(int status, std::string body = R"({"error":"injected fault"})");
  static Fault Delay(std::chrono::milliseconds delay);  // then normal handling
  static Fault Hang();
  static Fault HtmlBody(int status = 502);
  static Fault TruncatedJson(int status = 200);
  static Fault DropConnection();
};

// InjectFault's count meaning "every matching call until ClearFaults()".
inline constexpr int kEveryCall = -1;

struct RecordedRequest {
  std::uint64_t sequence = 0;  // 1, 2, ... in arrival order
  std::string route;           // route key ("POST /workspaces/{id}/a2a"), "" when unmatched
  std::string method;
  std::string path;
  std::map<std::string, std::string> query;
  HeaderMap headers;
  std::string body;
  bool answered = false;  // a response was written (or the connection dropped)
  bool dropped = false;   // closed without a response (fault or Stop)
  std::string fault;      // the injected fault's action, "" when none
  int status = 0;         // status answered; 0 while in flight or when dropped
  std::chrono::system_clock::time_point received_at;
  std::chrono::steady_clock::time_point received_steady;
  std::chrono::steady_clock::time_point answered_steady;
};

using RequestPredicate = std::function<bool(const RecordedRequest&)>;

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

  // Route keys: "GET /health", "POST /workspaces", "GET /workspaces/{id}",
  // "PATCH /workspaces/{id}", "DELETE /workspaces/{id}", "POST /workspaces/{id}/secrets",
  // "PUT /workspaces/{id}/secrets", "POST /workspaces/{id}/a2a",
  // "GET /workspaces/{id}/heartbeat-history", "GET /workspaces/{id}/activity",
  // "POST /registry/register", "POST /registry/heartbeat", and "*" (any request, matched
  // or not). Faults queue per route and apply in order; `count`
  // calls each (kEveryCall: until cleared). False for an unknown route key or count 0.
  [[nodiscard]] bool InjectFault(const std::string& route, Fault fault, int count = kEveryCall);
  void ClearFaults();
  static const std::vector<std::string>& RouteKeys();

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
  using Call = std::function<BackendReply(const BackendRequest&, const std::string& id)>;

  struct RouteEntry {
    std::string method;
    std::string pattern;  // "/workspaces/{id}/a2a": {id} is one path segment
    Route route;
    std::string key;
    Call call;
  };

  void RegisterRoutes();
  static Call UnmatchedCall();
  void Handle(Route route, const std::string& route_key, const httplib::Request& req,
              httplib::Response& res, const Call& call, const std::string& id);
  std::optional<Fault> TakeFault(const std::string& route_key);
  // Sleeps until `until` or Stop(); false when Stop() interrupted it.
  bool SleepUntil(std::chrono::steady_clock::time_point until);
  std::uint64_t RecordArrival(const std::string& route_key, const BackendRequest& request);
  void RecordAnswer(std::uint64_t sequence, int status, bool dropped, const std::string& fault);
  void DropConnection(const httplib::Request& req, httplib::Response& res);
  // Shuts down every accepted connection so idle keep-alive waits end now, not after
  // keep_alive_timeout_secs (httplib 0.11.4 ignores stop() while waiting).
  void ShutdownClientConnections();

  PlatformBackend& backend_;
  const ServerOptions options_;
  std::unique_ptr<httplib::Server> http_;
  std::vector<RouteEntry> routes_;  // fixed in the constructor

  std::mutex lifecycle_mu_;  // serialises Start/Stop
  bool started_ = false;
  bool stopped_ = false;
  std::thread accept_thread_;
  int port_ = 0;

  // Faults and the stop flag share one lock so a hang can wait on "stopping".
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;  // stop, new/updated requests
  bool stopping_ = false;
  bool listen_returned_ = false;
  std::map<std::string, std::deque<QueuedFault>> faults_;
  std::deque<RecordedRequest> log_;
  std::uint64_t next_sequence_ = 1;
};

}  // namespace taskbounds

#endif  // MOCKS_FAKE_PLATFORM_SERVER_H_
