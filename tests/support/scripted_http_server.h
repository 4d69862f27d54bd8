// ScriptedHttpServer: a real cpp-httplib server on 127.0.0.1 (port 0) whose answers each
// test scripts per route (status, content type, body, extra headers, delay, or "never
// answer"), and which records every request it receives. For testing an HTTP client
// against real sockets without the fake platform's rules. Its lifecycle is the project's
// one LoopbackServer (mocks/http/loopback_server.h), its log the one RequestLog.
#ifndef TESTS_SUPPORT_SCRIPTED_HTTP_SERVER_H_
#define TESTS_SUPPORT_SCRIPTED_HTTP_SERVER_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "mocks/http/loopback_server.h"
#include "mocks/http/request_log.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace taskbounds {
namespace testing_support {

// The project's one record type (route stays ""; target, headers and body as sent).
using ::taskbounds::RecordedRequest;
using ::taskbounds::UnusedLoopbackPort;

struct ScriptedResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. {"Location", "/x"}
  std::chrono::milliseconds delay{0};                        // wait before answering
  bool hang = false;  // never answer: block until the server stops (or a 60 s safety cap)
};

class ScriptedHttpServer {
 public:
  ScriptedHttpServer();
  ~ScriptedHttpServer();  // Stop()
  ScriptedHttpServer(const ScriptedHttpServer&) = delete;
  ScriptedHttpServer& operator=(const ScriptedHttpServer&) = delete;

  // Binds 127.0.0.1 on a free port, serves on a thread, and waits (bounded) until it runs.
  ::testing::AssertionResult Start();
  // Releases hanging handlers, stops the accept loop and joins. Idempotent; a failure to
  // stop is a test failure (ADD_FAILURE) naming why.
  void Stop();

  int port() const { return server_.port(); }
  std::string base_url() const;

  // Scripts the answer to `method` + exact `path` (query ignored). Unscripted routes get
  // Gin's plain-text "404 page not found", like the real platform.
  void Script(const std::string& method, const std::string& path, ScriptedResponse response);

  std::vector<RecordedRequest> requests() const;
  // Waits until at least `count` requests have been recorded.
  ::testing::AssertionResult WaitForRequests(std::size_t count, std::chrono::milliseconds timeout);

 private:
  void Handle(const httplib::Request& req, httplib::Response& res);

  LoopbackServer server_;
  RequestLog log_;

  mutable std::mutex mu_;
  std::condition_variable cv_;  // stopping_
  bool stopping_ = false;
  std::map<std::pair<std::string, std::string>, ScriptedResponse> script_;
};

}  // namespace testing_support
}  // namespace taskbounds

#endif  // TESTS_SUPPORT_SCRIPTED_HTTP_SERVER_H_
