// LoopbackServer: the one cpp-httplib 0.11.4 lifecycle every HTTP server in this project
// uses (the fake platform and the tests' scripted server).
//
//   LoopbackServer server;
//   server.http().Get("/x", handler);          // every route before Start()
//   StartResult started = server.Start();      // binds here; the port or the error at once
//   if (!started.ok()) { ... started.error ... }
//   ...
//   server.Stop();                             // also done by the destructor
//
// Why each step (testing-anchors.md section 6 and its Pitfalls): httplib's stop() does
// nothing until the accept loop has set is_running(), and spinning on is_running() hangs
// when the loop exits early, so Start() binds on the caller's thread and waits for
// "running" or "loop returned" with a deadline. An idle keep-alive connection pins a worker
// and 0.11.4's idle wait ignores stop(), so Stop() also shuts every accepted connection
// down. ~Server() neither stops nor joins, so the order is stop, join, destroy.
//
// Handlers that block (held or hung requests) must be woken by their owner before Stop():
// Stop() joins the worker pool, which waits for every running handler.
#ifndef MOCKS_HTTP_LOOPBACK_SERVER_H_
#define MOCKS_HTTP_LOOPBACK_SERVER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "mocks/http/request_log.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace taskbounds {

struct LoopbackServerOptions {
  std::string host = "127.0.0.1";  // a literal: "localhost" may resolve to ::1
  int port = 0;                    // 0: any free port
  // One worker per open connection (httplib blocks a worker per connection).
  int worker_threads = 8;
  // Idle keep-alive connections pin a worker this long (httplib's unit is seconds).
  int keep_alive_timeout_secs = 1;
  // Requests per connection before the server closes it (httplib's default is 5).
  int keep_alive_max_count = 5;
  // Accept queue length; 0 keeps httplib's fixed backlog of 5.
  int listen_backlog = 0;
  // How long Start() waits for the accept loop to run.
  std::chrono::milliseconds start_deadline{5000};
  // How long Stop() waits for the accept loop to return before giving up on it.
  std::chrono::milliseconds stop_deadline{30000};
};

struct StartResult {
  int port = 0;       // bound port when ok()
  std::string error;  // why Start() failed: names the address and the cause
  bool ok() const { return error.empty(); }
};

class LoopbackServer {
 public:
  explicit LoopbackServer(LoopbackServerOptions options = {});
  ~LoopbackServer();  // Stop()
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  // Routes and hooks are registered here, all before Start() (httplib's route tables are
  // not guarded against workers reading them).
  httplib::Server& http();

  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;
  // Registers `handler` for `method` ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
  // and a path regex (httplib matches the whole path; groups land in req.matches). False
  // for another method.
  bool Handle(const std::string& method, const std::string& path_regex, Handler handler);
  // The same handler for every method above.
  void HandleEveryMethod(const std::string& path_regex, const Handler& handler);

  // Binds host:port on this thread (a bind error, e.g. the port in use, is returned at
  // once), runs the accept loop on an owned thread and returns once it runs, or with an
  // error when it exits or is not running within start_deadline. Start() after Stop()
  // serves again (same routes, a new port when options.port is 0). Calling it while
  // running returns the current port.
  [[nodiscard]] StartResult Start();

  // Stops accepting, shuts down every open connection (idle keep-alive ones included) and
  // joins the accept loop and its workers. Safe before Start(), twice and from several
  // threads. "" when stopped; otherwise why not (the loop did not return within
  // stop_deadline: its thread and server are then abandoned rather than destroyed while
  // running, and the text says so).
  std::string Stop();

  bool running() const;
  int port() const;                                   // 0 when not running
  std::string url(std::string_view path = "") const;  // "http://HOST:PORT" + path

  // Closes the connection that carried `req` without writing an answer: the client reads
  // EOF. False when the connection is already gone.
  bool DropConnection(const httplib::Request& req) const;

  // The server's socket for the connection that carried `req`, -1 when it is gone. Not
  // owned: httplib closes it once the request's answer is written, so it is valid only
  // inside that request's handler or content provider. For a handler that holds a request
  // and must notice the caller hanging up (poll it for POLLRDHUP): httplib 0.11 reports a
  // closed peer only when a write fails, and a held request writes nothing.
  int ConnectionFd(const httplib::Request& req) const;

 private:
  std::string StartLocked();
  std::string StopLocked();
  void ShutdownOpenConnections() const;

  const LoopbackServerOptions options_;
  std::unique_ptr<httplib::Server> http_;

  std::mutex lifecycle_mu_;  // serialises Start/Stop
  std::thread accept_thread_;
  bool started_ = false;
  std::atomic<int> port_{0};

  mutable std::mutex mu_;
  std::condition_variable cv_;  // listen_returned_
  bool listen_returned_ = false;
};

// The request log's copy of `req`: method, path, target, decoded query (first value per
// key), headers and body; sequence, route and answer fields are left for the log and the
// server to fill.
RecordedRequest RecordOf(const httplib::Request& req);

// A socket bound to 127.0.0.1 on a port the kernel picks, listening with `backlog` when
// `backlog` >= 0 (-1: bound only). Returns the fd, which the caller closes, and sets *port;
// -1 (and *port untouched) when the socket could not be made, bound or listened on.
int BindLoopbackSocket(int backlog, int* port);

// A loopback port that nothing listens on (bound, then closed), for "connection refused".
// -1 when no socket could be bound.
int UnusedLoopbackPort();

}  // namespace taskbounds

#endif  // MOCKS_HTTP_LOOPBACK_SERVER_H_
