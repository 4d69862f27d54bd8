// RawHttpPeer: a loopback TCP server (127.0.0.1, port 0) that hands each accepted
// connection to a test-written handler on its own thread, with byte-level control that an
// HTTP library does not give: answer and keep the connection, close just as the next
// request arrives, read only the head, send half a response. Every read has a deadline.
// Requests are recorded with the index of the connection they came on.
#ifndef TESTS_CLIENT_RAW_HTTP_PEER_H_
#define TESTS_CLIENT_RAW_HTTP_PEER_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace taskbounds {
namespace testing_support {

struct RawRequest {
  int connection = 0;  // 0 for the first accepted connection, 1 for the next...
  std::string method;
  std::string target;
  std::string body;
};

// One accepted connection, as its handler sees it.
class RawConnection {
 public:
  RawConnection(int fd, int index) : fd_(fd), index_(index) {}
  int index() const { return index_; }
  // Reads one request head (through the blank line) and, unless `head_only`, its
  // Content-Length body. std::nullopt when the peer closed or the deadline passed.
  std::optional<RawRequest> ReadRequest(std::chrono::milliseconds deadline, bool head_only = false);
  // Writes all of `bytes`; false when the peer is gone.
  bool Write(const std::string& bytes);

 private:
  bool Fill(std::chrono::steady_clock::time_point until);
  int fd_;
  int index_;
  std::string buffer_;
};

class RawHttpPeer {
 public:
  using Handler = std::function<void(RawConnection&)>;
  explicit RawHttpPeer(Handler handler);
  ~RawHttpPeer();  // Stop()
  RawHttpPeer(const RawHttpPeer&) = delete;
  RawHttpPeer& operator=(const RawHttpPeer&) = delete;

  // Binds and listens; the accept loop runs on a thread until Stop().
  ::testing::AssertionResult Start();
  // Closes the listener and every connection, then joins all threads. Idempotent.
  void Stop();
  std::string base_url() const;

  // Called by handlers: records a request (thread-safe).
  void Record(const RawRequest& request);
  std::vector<RawRequest> requests() const;

 private:
  void AcceptLoop();

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = -1;
  std::thread accept_thread_;
  mutable std::mutex mu_;
  bool stopping_ = false;
  std::vector<int> connection_fds_;
  std::vector<std::thread> connection_threads_;
  std::vector<RawRequest> requests_;
};

// A loopback listener whose accept queue is full and never drained: a connect to it
// neither succeeds nor is refused (the kernel drops the SYN), so a client's connect
// timeout fires. Stands in for a platform that cannot be reached.
class UnreachableListener {
 public:
  UnreachableListener() = default;
  ~UnreachableListener();
  UnreachableListener(const UnreachableListener&) = delete;
  UnreachableListener& operator=(const UnreachableListener&) = delete;
  ::testing::AssertionResult Start();
  std::string base_url() const;

 private:
  int listen_fd_ = -1;
  int port_ = -1;
  std::vector<int> fillers_;
};

// "HTTP/1.1 <status> X\r\nContent-Length: n\r\n<extra>\r\n<body>", kept alive.
std::string RawResponse(int status, const std::string& body, const std::string& extra = "");

}  // namespace testing_support
}  // namespace taskbounds

#endif  // TESTS_CLIENT_RAW_HTTP_PEER_H_
