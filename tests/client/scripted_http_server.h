// ScriptedHttpServer: a real cpp-httplib server on 127.0.0.1 (port 0) whose answers each
// test scripts per route (status, content type, body, extra headers, delay, or "never
// answer"), and which records every request it receives. For testing an HTTP client
// against real sockets without the fake platform's rules.
#ifndef TESTS_CLIENT_SCRIPTED_HTTP_SERVER_H_
#define TESTS_CLIENT_SCRIPTED_HTTP_SERVER_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace taskbounds {
namespace testing_support {

struct ScriptedResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. {"Location", "/x"}
  std::chrono::milliseconds delay{0};                        // wait before answering
  bool hang = false;  // never answer: block until the server stops (or a 60 s safety cap)
};

struct RecordedRequest {
  std::string method;
  std::string path;                                 // without the query
  std::string target;                               // path and query as sent
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string body;

  bool HasHeader(const std::string& name) const;
  // The first value of `name` (case-insensitive), "" when absent.
  std::string Header(const std::string& name) const;
  std::size_t HeaderCount(const std::string& name) const;
};

class ScriptedHttpServer {
 public:
  ScriptedHttpServer();
  ~ScriptedHttpServer();  // Stop()
  ScriptedHttpServer(const ScriptedHttpServer&) = delete;
  ScriptedHttpServer& operator=(const ScriptedHttpServer&) = delete;

  // Binds 127.0.0.1 on a free port, serves on a thread, and waits (bounded) until it runs.
  ::testing::AssertionResult Start();
  // Releases hanging handlers, stops the accept loop and joins. Idempotent.
  void Stop();

  int port() const { return port_; }
  std::string base_url() const;

  // Scripts the answer to `method` + exact `path` (query ignored). Unscripted routes get
  // Gin's plain-text "404 page not found", like the real platform.
  void Script(const std::string& method, const std::string& path, ScriptedResponse response);

  std::vector<RecordedRequest> requests() const;
  // Waits until at least `count` requests have been recorded.
  ::testing::AssertionResult WaitForRequests(std::size_t count, std::chrono::milliseconds timeout);

 private:
  void Handle(const httplib::Request& req, httplib::Response& res);

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = -1;
  bool started_ = false;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool listen_returned_ = false;
  std::map<std::pair<std::string, std::string>, ScriptedResponse> script_;
  std::vector<RecordedRequest> requests_;
};

// A loopback port that nothing listens on (bound, then closed), for "connection refused".
int UnusedLoopbackPort();

}  // namespace testing_support
}  // namespace taskbounds

#endif  // TESTS_CLIENT_SCRIPTED_HTTP_SERVER_H_
