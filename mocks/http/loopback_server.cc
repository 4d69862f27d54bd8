#include "mocks/http/loopback_server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <utility>
#include <vector>

#include "httplib.h"

namespace taskbounds {
namespace {

using SteadyClock = std::chrono::steady_clock;

int PortOf(const sockaddr_storage& addr) {
  if (addr.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in&>(addr).sin_port);
  }
  if (addr.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6&>(addr).sin6_port);
  }
  return -1;
}

// Calls `visit` with every open file descriptor of this process bound to `local_port`:
// httplib 0.11 exposes neither its listening socket nor its connections.
template <typename Visit>
void ForEachSocketOnPort(int local_port, Visit visit) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) {
    return;
  }
  const int dir_fd = dirfd(dir);
  while (dirent* entry = readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == dir_fd) {
      continue;
    }
    sockaddr_storage local{};
    socklen_t local_len = sizeof(local);
    if (getsockname(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&local), &local_len) == 0 &&
        PortOf(local) == local_port) {
      visit(static_cast<int>(fd));
    }
  }
  closedir(dir);
}

// Accepted TCP sockets whose local port is `local_port` and which have a peer (the
// listening socket has none); `remote_port` < 0 matches any peer.
std::vector<int> FindConnectionFds(int local_port, int remote_port) {
  std::vector<int> fds;
  ForEachSocketOnPort(local_port, [&](int fd) {
    sockaddr_storage peer{};
    socklen_t peer_len = sizeof(peer);
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) == 0 &&
        (remote_port < 0 || PortOf(peer) == remote_port)) {
      fds.push_back(fd);
    }
  });
  return fds;
}

// Listening TCP sockets bound to `local_port`.
std::vector<int> FindListeningFds(int local_port) {
  std::vector<int> fds;
  ForEachSocketOnPort(local_port, [&](int fd) {
    int accepting = 0;
    socklen_t accepting_len = sizeof(accepting);
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &accepting_len) == 0 &&
        accepting != 0) {
      fds.push_back(fd);
    }
  });
  return fds;
}

std::string Address(const std::string& host, int port) { return host + ":" + std::to_string(port); }

}  // namespace

LoopbackServer::LoopbackServer(LoopbackServerOptions options)
    : options_(std::move(options)), http_(std::make_unique<httplib::Server>()) {
  const int threads = std::max(1, options_.worker_threads);
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http_->set_keep_alive_timeout(options_.keep_alive_timeout_secs);
  http_->set_keep_alive_max_count(
      static_cast<std::size_t>(std::max(1, options_.keep_alive_max_count)));
  // httplib's default also sets SO_REUSEPORT, which lets a second server "bind" a port that
  // is already serving and silently share it; only SO_REUSEADDR (TIME_WAIT reuse) here, so
  // a port in use is a bind error.
  http_->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  // Headers and body go out in separate writes: without TCP_NODELAY the body waits for the
  // client's delayed ACK (~40 ms per response on Linux).
  http_->set_tcp_nodelay(true);
}

LoopbackServer::~LoopbackServer() {
  const std::string error = Stop();
  if (!error.empty()) {
    std::cerr << "LoopbackServer: " << error << std::endl;
  }
}

httplib::Server& LoopbackServer::http() { return *http_; }

bool LoopbackServer::Handle(const std::string& method, const std::string& path_regex,
                            Handler handler) {
  if (method == "GET") {
    http_->Get(path_regex, std::move(handler));
  } else if (method == "POST") {
    http_->Post(path_regex, std::move(handler));
  } else if (method == "PUT") {
    http_->Put(path_regex, std::move(handler));
  } else if (method == "PATCH") {
    http_->Patch(path_regex, std::move(handler));
  } else if (method == "DELETE") {
    http_->Delete(path_regex, std::move(handler));
  } else if (method == "OPTIONS") {
    http_->Options(path_regex, std::move(handler));
  } else {
    return false;
  }
  return true;
}

void LoopbackServer::HandleEveryMethod(const std::string& path_regex, const Handler& handler) {
  for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    Handle(method, path_regex, handler);
  }
}

StartResult LoopbackServer::Start() {
  std::lock_guard<std::mutex> life(lifecycle_mu_);
  StartResult result;
  if (http_ == nullptr) {
    result.error = "an earlier Stop() abandoned this server; create a new one";
    return result;
  }
  if (started_) {
    result.port = port_;
    return result;
  }
  result.error = StartLocked();
  if (result.ok()) {
    result.port = port_;
  }
  return result;
}

std::string LoopbackServer::StartLocked() {
  // Bind (and listen) here, on the caller's thread: the port and any bind error are known
  // before the accept loop exists.
  errno = 0;
  int port = -1;
  if (options_.port == 0) {
    port = http_->bind_to_any_port(options_.host);
  } else if (http_->bind_to_port(options_.host, options_.port)) {
    port = options_.port;
  }
  if (port <= 0) {
    return "cannot bind " + Address(options_.host, options_.port) + ": " +
           (errno != 0 ? std::strerror(errno) : "bind failed") +
           " (pick another port, or 0 for any free one)";
  }
  if (options_.listen_backlog > 0) {
    // httplib has already listened with its fixed backlog of 5; listen() again on the same
    // socket only enlarges the accept queue.
    for (int fd : FindListeningFds(port)) {
      ::listen(fd, options_.listen_backlog);
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    listen_returned_ = false;
  }
  started_ = true;
  port_ = port;
  accept_thread_ = std::thread([this] {
    http_->listen_after_bind();
    {
      std::lock_guard<std::mutex> lock(mu_);
      listen_returned_ = true;
    }
    cv_.notify_all();
  });
  // is_running() has no notification: poll it every millisecond, and wake at once when
  // the loop returns instead.
  const auto deadline = SteadyClock::now() + options_.start_deadline;
  std::unique_lock<std::mutex> lock(mu_);
  while (!http_->is_running() && !listen_returned_ && SteadyClock::now() < deadline) {
    cv_.wait_for(lock, std::chrono::milliseconds(1), [this] { return listen_returned_; });
  }
  const bool returned = listen_returned_;
  lock.unlock();
  if (!returned && http_->is_running()) {
    return "";
  }
  const std::string error =
      returned ? "the accept loop on " + Address(options_.host, port) + " exited at once"
               : "the accept loop on " + Address(options_.host, port) + " was not running after " +
                     std::to_string(options_.start_deadline.count()) + " ms";
  const std::string stop_error = StopLocked();
  return stop_error.empty() ? error : error + "; " + stop_error;
}

std::string LoopbackServer::Stop() {
  std::lock_guard<std::mutex> life(lifecycle_mu_);
  return StopLocked();
}

std::string LoopbackServer::StopLocked() {
  if (!started_) {
    return "";
  }
  // stop() must be called exactly once, and only once the loop runs: before, it is a
  // no-op; a second call while the loop winds down trips an assert in httplib. Open
  // connections are shut down on every round, since one may be accepted meanwhile.
  const auto deadline = SteadyClock::now() + options_.stop_deadline;
  bool stop_sent = false;
  std::unique_lock<std::mutex> lock(mu_);
  while (!listen_returned_ && SteadyClock::now() < deadline) {
    lock.unlock();
    if (!stop_sent && http_->is_running()) {
      http_->stop();
      stop_sent = true;
    }
    ShutdownOpenConnections();
    lock.lock();
    cv_.wait_for(lock, std::chrono::milliseconds(10), [this] { return listen_returned_; });
  }
  const bool returned = listen_returned_;
  lock.unlock();
  started_ = false;
  const int port = port_.exchange(0);
  if (returned) {
    accept_thread_.join();
    return "";
  }
  // Joining could block for ever and destroying a running server is a use-after-free:
  // abandon both and say so, rather than hang the process.
  accept_thread_.detach();
  static_cast<void>(http_.release());
  return "the accept loop on " + Address(options_.host, port) + " did not return within " +
         std::to_string(options_.stop_deadline.count()) +
         " ms (a handler still blocks: wake it before Stop()); its thread was abandoned";
}

bool LoopbackServer::running() const { return port_ != 0; }

int LoopbackServer::port() const { return port_; }

std::string LoopbackServer::url(std::string_view path) const {
  return "http://" + Address(options_.host, port_) + std::string(path);
}

bool LoopbackServer::DropConnection(const httplib::Request& req) const {
  // httplib has no "close without answering"; shutting the socket down under it does
  // exactly that: its write fails and the client reads EOF before any byte.
  const std::vector<int> fds = FindConnectionFds(req.local_port, req.remote_port);
  for (int fd : fds) {
    ::shutdown(fd, SHUT_RDWR);
  }
  return !fds.empty();
}

int LoopbackServer::ConnectionFd(const httplib::Request& req) const {
  const std::vector<int> fds = FindConnectionFds(req.local_port, req.remote_port);
  return fds.empty() ? -1 : fds.front();
}

void LoopbackServer::ShutdownOpenConnections() const {
  const int port = port_;
  if (port <= 0) {
    return;
  }
  for (int fd : FindConnectionFds(port, -1)) {
    ::shutdown(fd, SHUT_RDWR);
  }
}

RecordedRequest RecordOf(const httplib::Request& req) {
  RecordedRequest record;
  record.method = req.method;
  record.path = req.path;
  record.target = req.target;
  for (const auto& [key, value] : req.params) {
    record.query.emplace(key, value);
  }
  for (const auto& [name, value] : req.headers) {
    record.headers.emplace(name, value);
  }
  record.body = req.body;
  return record;
}

int BindLoopbackSocket(int backlog, int* port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    return -1;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      (backlog >= 0 && ::listen(fd, backlog) != 0) ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return -1;
  }
  *port = ntohs(addr.sin_port);
  return fd;
}

int UnusedLoopbackPort() {
  int port = -1;
  const int fd = BindLoopbackSocket(/*backlog=*/-1, &port);
  if (fd >= 0) {
    ::close(fd);  // never listened: connecting now is refused
  }
  return port;
}

}  // namespace taskbounds
