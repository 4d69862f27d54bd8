#include "tests/client/raw_http_peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "mocks/http/loopback_server.h"

namespace taskbounds {
namespace testing_support {
namespace {

std::string Url(int port) { return "http://127.0.0.1:" + std::to_string(port); }

// Content-Length of a request head, 0 when absent (case-insensitive name).
std::size_t ContentLength(const std::string& head) {
  std::string lower = head;
  for (char& c : lower) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const std::size_t at = lower.find("\r\ncontent-length:");
  return at == std::string::npos ? 0 : std::strtoul(lower.c_str() + at + 17, nullptr, 10);
}

}  // namespace

bool RawConnection::Fill(std::chrono::steady_clock::time_point until) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      until - std::chrono::steady_clock::now());
  if (left.count() <= 0) {
    return false;
  }
  pollfd pfd{fd_, POLLIN, 0};
  if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) {
    return false;
  }
  char chunk[65536];
  const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
  if (n <= 0) {
    return false;
  }
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

std::optional<RawRequest> RawConnection::ReadRequest(std::chrono::milliseconds deadline,
                                                     bool head_only) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  std::size_t head_end = std::string::npos;
  while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill(until)) {
      return std::nullopt;
    }
  }
  const std::string head = buffer_.substr(0, head_end + 2);
  RawRequest request;
  request.connection = index_;
  const std::size_t sp1 = head.find(' ');
  const std::size_t sp2 = head.find(' ', sp1 + 1);
  request.method = head.substr(0, sp1);
  request.target = head.substr(sp1 + 1, sp2 - sp1 - 1);
  buffer_.erase(0, head_end + 4);
  if (head_only) {
    return request;
  }
  const std::size_t length = ContentLength(head);
  while (buffer_.size() < length) {
    if (!Fill(until)) {
      return std::nullopt;
    }
  }
  request.body = buffer_.substr(0, length);
  buffer_.erase(0, length);
  return request;
}

bool RawConnection::Write(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      return false;
    }
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

RawHttpPeer::RawHttpPeer(Handler handler) : handler_(std::move(handler)) {}

RawHttpPeer::~RawHttpPeer() { Stop(); }

::testing::AssertionResult RawHttpPeer::Start() {
  listen_fd_ = BindLoopbackSocket(16, &port_);
  if (listen_fd_ < 0) {
    return ::testing::AssertionFailure()
           << "RawHttpPeer: cannot listen on 127.0.0.1: " << std::strerror(errno);
  }
  accept_thread_ = std::thread([this] { AcceptLoop(); });
  return ::testing::AssertionSuccess();
}

void RawHttpPeer::AcceptLoop() {
  for (int index = 0;; ++index) {
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) {
      return;  // the listener was shut down
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) {
      ::close(fd);
      return;
    }
    connection_fds_.push_back(fd);
    connection_threads_.emplace_back([this, fd, index] {
      RawConnection connection(fd, index);
      handler_(connection);
      ::shutdown(fd, SHUT_RDWR);  // the fd itself is closed by Stop()
    });
  }
}

void RawHttpPeer::Stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || listen_fd_ < 0) {
      stopping_ = true;
      return;
    }
    stopping_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);  // wakes accept()
    for (int fd : connection_fds_) {
      ::shutdown(fd, SHUT_RDWR);  // wakes handlers blocked in poll/recv
    }
  }
  accept_thread_.join();
  {
    std::lock_guard<std::mutex> lock(mu_);
    threads.swap(connection_threads_);
  }
  for (std::thread& t : threads) {
    t.join();
  }
  for (int fd : connection_fds_) {
    ::close(fd);
  }
  ::close(listen_fd_);
}

std::string RawHttpPeer::base_url() const { return Url(port_); }

void RawHttpPeer::Record(const RawRequest& request) {
  std::lock_guard<std::mutex> lock(mu_);
  requests_.push_back(request);
}

std::vector<RawRequest> RawHttpPeer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

UnreachableListener::~UnreachableListener() {
  for (int fd : fillers_) {
    ::close(fd);
  }
  if (listen_fd_ >= 0) {
    ::close(listen_fd_);
  }
}

::testing::AssertionResult UnreachableListener::Start() {
  listen_fd_ = BindLoopbackSocket(0, &port_);
  if (listen_fd_ < 0) {
    return ::testing::AssertionFailure() << "cannot listen on 127.0.0.1: " << std::strerror(errno);
  }
  // Backlog 0 still queues one connection; a few non-blocking connects fill the queue for
  // certain. Nothing ever accepts them.
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port_));
  for (int i = 0; i < 3; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) {
      return ::testing::AssertionFailure() << "socket: " << std::strerror(errno);
    }
    fillers_.push_back(fd);
    // On loopback the handshake is processed within connect(): the first filler lands in
    // the queue, the later ones (and every client after them) are dropped.
    (void)::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));  // EINPROGRESS
  }
  return ::testing::AssertionSuccess();
}

std::string UnreachableListener::base_url() const { return Url(port_); }

std::string RawResponse(int status, const std::string& body, const std::string& extra) {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\n" +
         "Content-Length: " + std::to_string(body.size()) + "\r\n" + extra + "\r\n" + body;
}

}  // namespace testing_support
}  // namespace taskbounds
