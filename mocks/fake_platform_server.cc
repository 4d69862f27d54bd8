#include "mocks/fake_platform_server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <utility>

#include "httplib.h"

namespace taskbounds {
namespace {

using SteadyClock = std::chrono::steady_clock;

const char* FaultActionName(FaultAction action) {
  switch (action) {
    case FaultAction::kProceed:
      return "delay";
    case FaultAction::kRespond:
      return "status";
    case FaultAction::kHang:
      return "hang";
    case FaultAction::kHtmlBody:
      return "html_body";
    case FaultAction::kTruncatedJson:
      return "truncated_json";
    case FaultAction::kDropConnection:
      return "drop_connection";
  }
  return "unknown";
}

// What a reverse proxy in front of the platform answers when the platform is down.
constexpr char kHtmlErrorPage[] =
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n";
// A JSON object cut mid-string, as a connection dropped mid-body would leave it.
constexpr char kTruncatedJson[] =
    R"({"id":"5f0c2a9e-8b1d-4c3e-9a7f-1d2e3f4a5b6c","status":"provis)";

// The platform's security headers (middleware/securityheaders.go), on every response.
void AddSecurityHeaders(httplib::Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  res.set_header("Referrer-Policy", "strict-origin-when-cross-origin");
}

void WriteReply(const BackendReply& reply, httplib::Response& res) {
  res.status = reply.status;
  if (reply.content_type.empty()) {
    res.body = reply.body;
  } else {
    res.set_content(reply.body, reply.content_type.c_str());
  }
  for (const auto& [name, value] : reply.headers) {
    res.set_header(name.c_str(), value.c_str());
  }
  AddSecurityHeaders(res);
}

int PortOf(const sockaddr_storage& addr) {
  if (addr.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in&>(addr).sin_port);
  }
  if (addr.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6&>(addr).sin6_port);
  }
  return -1;
}

// Calls `visit` with every open file descriptor of this process bound to `local_port`
// (httplib 0.11 exposes neither its listening socket nor its connections, see Stop()).
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

// Accepted TCP sockets of this process whose local port is `local_port` and which have a
// peer (the listening socket has none); `remote_port` < 0 matches any peer.
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

// Listening TCP sockets of this process bound to `local_port`.
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

// Matches `path` against a route pattern such as "/workspaces/{id}/a2a", where {id} is one
// non-empty path segment (what the httplib regex captures); no std::regex here.
bool MatchPattern(const std::string& pattern, const std::string& path, std::string* id) {
  const std::size_t id_at = pattern.find("{id}");
  if (id_at == std::string::npos) {
    return path == pattern;
  }
  const std::string prefix = pattern.substr(0, id_at);
  const std::string suffix = pattern.substr(id_at + 4);
  if (path.size() <= prefix.size() + suffix.size() || path.compare(0, prefix.size(), prefix) != 0 ||
      path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return false;
  }
  *id = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
  return id->find('/') == std::string::npos;
}

BackendRequest ToBackendRequest(const httplib::Request& req) {
  BackendRequest out;
  out.method = req.method;
  out.path = req.path;
  for (const auto& [key, value] : req.params) {
    out.query.emplace(key, value);
  }
  for (const auto& [name, value] : req.headers) {
    out.headers.emplace(name, value);
  }
  out.body = req.body;
  out.remote = req.remote_addr;
  return out;
}

}  // namespace

Fault Fault::Status(int status, std::string body) {
  Fault fault;
  fault.action = FaultAction::kRespond;
  fault.status = status;
  fault.body = std::move(body);
  return fault;
}

Fault Fault::Delay(std::chrono::milliseconds delay) {
  Fault fault;
  fault.action = FaultAction::kProceed;
  fault.delay = delay;
  return fault;
}

Fault Fault::Hang() {
  Fault fault;
  fault.action = FaultAction::kHang;
  return fault;
}

Fault Fault::HtmlBody(int status) {
  Fault fault;
  fault.action = FaultAction::kHtmlBody;
  fault.status = status;
  fault.body = kHtmlErrorPage;
  fault.content_type = "text/html";
  return fault;
}

Fault Fault::TruncatedJson(int status) {
  Fault fault;
  fault.action = FaultAction::kTruncatedJson;
  fault.status = status;
  fault.body = kTruncatedJson;
  return fault;
}

Fault Fault::DropConnection() {
  Fault fault;
  fault.action = FaultAction::kDropConnection;
  return fault;
}

const std::vector<std::string>& FakePlatformServer::RouteKeys() {
  static const std::vector<std::string> kKeys = {
      "GET /health",
      "POST /workspaces",
      "GET /workspaces/{id}",
      "PATCH /workspaces/{id}",
      "DELETE /workspaces/{id}",
      "POST /workspaces/{id}/secrets",
      "PUT /workspaces/{id}/secrets",
      "POST /workspaces/{id}/a2a",
      "GET /workspaces/{id}/heartbeat-history",
      "GET /workspaces/{id}/activity",
      "POST /registry/register",
      "POST /registry/heartbeat",
      "*",
  };
  return kKeys;
}

FakePlatformServer::FakePlatformServer(PlatformBackend& backend, ServerOptions options)
    : backend_(backend), options_(std::move(options)), http_(std::make_unique<httplib::Server>()) {
  const int threads = options_.worker_threads > 0 ? options_.worker_threads : 1;
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http_->set_keep_alive_timeout(options_.keep_alive_timeout_secs);
  http_->set_keep_alive_max_count(
      static_cast<std::size_t>(std::max(1, options_.keep_alive_max_count)));
  // httplib's default also sets SO_REUSEPORT, which lets a second server "bind" a port that
  // is already serving and silently share it; only SO_REUSEADDR (TIME_WAIT reuse) here.
  http_->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  // Headers and body go out in separate writes: without TCP_NODELAY the body waits for the
  // client's delayed ACK (~40 ms per response on Linux).
  http_->set_tcp_nodelay(true);
  http_->set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, const std::exception_ptr& ep) {
        std::string what = "unknown exception";
        try {
          if (ep) {
            std::rethrow_exception(ep);
          }
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        WriteReply(BackendReply::Error(500, "fake platform handler failed: " + what), res);
      });
  RegisterRoutes();
}

FakePlatformServer::~FakePlatformServer() { Stop(); }

void FakePlatformServer::RegisterRoutes() {
  PlatformBackend& b = backend_;
  auto set_secret = [&b](const BackendRequest& r, const std::string& id) {
    return b.SetSecret(id, r);
  };
  const std::string kId = "/workspaces/{id}";
  routes_ = {
      {"GET", "/health", Route::kHealth, "GET /health",
       [&b](const BackendRequest&, const std::string&) { return b.Health(); }},
      {"POST", "/workspaces", Route::kCreateWorkspace, "POST /workspaces",
       [&b](const BackendRequest& r, const std::string&) { return b.CreateWorkspace(r); }},
      {"GET", kId, Route::kGetWorkspace, "GET /workspaces/{id}",
       [&b](const BackendRequest&, const std::string& id) { return b.GetWorkspace(id); }},
      {"PATCH", kId, Route::kPatchWorkspace, "PATCH /workspaces/{id}",
       [&b](const BackendRequest& r, const std::string& id) { return b.PatchWorkspace(id, r); }},
      {"DELETE", kId, Route::kDeleteWorkspace, "DELETE /workspaces/{id}",
       [&b](const BackendRequest& r, const std::string& id) {
         return b.DeleteWorkspace(id, r.Query("confirm") == "true", r.Query("purge") == "true");
       }},
      {"POST", kId + "/secrets", Route::kSetSecret, "POST /workspaces/{id}/secrets", set_secret},
      {"PUT", kId + "/secrets", Route::kSetSecret, "PUT /workspaces/{id}/secrets", set_secret},
      {"POST", kId + "/a2a", Route::kA2A, "POST /workspaces/{id}/a2a",
       [&b](const BackendRequest& r, const std::string& id) { return b.SendA2A(id, r); }},
      {"GET", kId + "/heartbeat-history", Route::kHeartbeatHistory,
       "GET /workspaces/{id}/heartbeat-history",
       [&b](const BackendRequest& r, const std::string& id) { return b.HeartbeatHistory(id, r); }},
      {"GET", kId + "/activity", Route::kActivity, "GET /workspaces/{id}/activity",
       [&b](const BackendRequest& r, const std::string& id) { return b.Activity(id, r); }},
      {"POST", "/registry/register", Route::kRegistryRegister, "POST /registry/register",
       [&b](const BackendRequest& r, const std::string&) { return b.RegistryRegister(r); }},
      {"POST", "/registry/heartbeat", Route::kRegistryHeartbeat, "POST /registry/heartbeat",
       [&b](const BackendRequest& r, const std::string&) { return b.RegistryHeartbeat(r); }},
  };
  for (const RouteEntry& entry : routes_) {
    const RouteEntry* e = &entry;  // routes_ is never resized after this loop
    httplib::Server::Handler handler = [this, e](const httplib::Request& req,
                                                 httplib::Response& res) {
      Handle(e->route, e->key, req, res, e->call,
             req.matches.size() > 1 ? req.matches[1].str() : "");
    };
    // httplib takes a regex; "{id}" is one path segment, captured.
    std::string regex = e->pattern;
    const std::size_t id_at = regex.find("{id}");
    if (id_at != std::string::npos) {
      regex.replace(id_at, 4, "([^/]+)");
    }
    if (e->method == "GET") {
      http_->Get(regex, handler);
    }
    if (e->method == "POST") {
      http_->Post(regex, handler);
    }
    if (e->method == "PUT") {
      http_->Put(regex, handler);
    }
    if (e->method == "PATCH") {
      http_->Patch(regex, handler);
    }
    if (e->method == "DELETE") {
      http_->Delete(regex, handler);
    }
  }
  // httplib matches the whole path against each pattern in registration order, so the
  // catch-alls go last. Gin answers an unknown path or method with a plain-text 404.
  httplib::Server::Handler unmatched = [this](const httplib::Request& req, httplib::Response& res) {
    Handle(Route::kUnmatched, "", req, res, UnmatchedCall(), "");
  };
  http_->Get(".*", unmatched);
  http_->Post(".*", unmatched);
  http_->Put(".*", unmatched);
  http_->Patch(".*", unmatched);
  http_->Delete(".*", unmatched);
  http_->Options(".*", unmatched);

  // httplib reads a POST/PUT/PATCH body without Content-Length until EOF (or its 5 s read
  // timeout) and then answers 400; Go treats it as an empty body. Such requests are
  // answered here, before httplib tries to read a body.
  http_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    const bool body_expected = req.method == "POST" || req.method == "PUT" || req.method == "PATCH";
    if (!body_expected || req.has_header("Content-Length") || req.has_header("Transfer-Encoding")) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    for (const RouteEntry& entry : routes_) {
      std::string id;
      if (entry.method == req.method && MatchPattern(entry.pattern, req.path, &id)) {
        Handle(entry.route, entry.key, req, res, entry.call, id);
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    Handle(Route::kUnmatched, "", req, res, UnmatchedCall(), "");
    return httplib::Server::HandlerResponse::Handled;
  });
}

FakePlatformServer::Call FakePlatformServer::UnmatchedCall() {
  return [](const BackendRequest&, const std::string&) { return BackendReply::RouteNotFound(); };
}

void FakePlatformServer::Handle(Route route, const std::string& route_key,
                                const httplib::Request& req, httplib::Response& res,
                                const Call& call, const std::string& id) {
  // One conversion from httplib's request serves both the log and the backend.
  const BackendRequest request = ToBackendRequest(req);
  const std::uint64_t sequence = RecordArrival(route_key, request);
  // A throwing backend still leaves an answered entry (the exception handler writes 500).
  struct AnswerGuard {
    FakePlatformServer* server;
    std::uint64_t sequence;
    bool done = false;
    ~AnswerGuard() {
      if (!done) {
        server->RecordAnswer(sequence, 500, false, "");
      }
    }
  } guard{this, sequence};

  std::string fault_name;
  if (std::optional<Fault> fault = TakeFault(route_key)) {
    fault_name = FaultActionName(fault->action);
    const bool hang = fault->action == FaultAction::kHang;
    if ((fault->delay.count() > 0 || hang) &&
        !SleepUntil(hang ? SteadyClock::time_point::max() : SteadyClock::now() + fault->delay)) {
      // Stop() released it: the client gets a closed connection, never a reply.
      DropConnection(req, res);
      guard.done = true;
      RecordAnswer(sequence, 0, true, fault_name);
      return;
    }
    switch (fault->action) {
      case FaultAction::kProceed:
        break;
      case FaultAction::kHang:  // unreachable: SleepUntil only returns false for a hang
      case FaultAction::kDropConnection:
        DropConnection(req, res);
        guard.done = true;
        RecordAnswer(sequence, 0, true, fault_name);
        return;
      case FaultAction::kRespond:
      case FaultAction::kHtmlBody:
      case FaultAction::kTruncatedJson: {
        BackendReply reply;
        reply.status = fault->status;
        reply.body = fault->body;
        reply.content_type = fault->content_type;
        WriteReply(reply, res);
        guard.done = true;
        RecordAnswer(sequence, fault->status, false, fault_name);
        return;
      }
    }
  }

  const Admission admission = backend_.Authorize(route, request);
  BackendReply reply = admission.admitted ? call(request, id) : admission.rejection;
  reply.headers.insert(reply.headers.end(), admission.headers.begin(), admission.headers.end());
  WriteReply(reply, res);
  guard.done = true;
  RecordAnswer(sequence, reply.status, false, fault_name);
}

std::optional<Fault> FakePlatformServer::TakeFault(const std::string& route_key) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const std::string& key : {route_key, std::string("*")}) {
    if (key.empty()) {
      continue;
    }
    auto it = faults_.find(key);
    if (it == faults_.end() || it->second.empty()) {
      continue;
    }
    QueuedFault& front = it->second.front();
    Fault fault = front.fault;
    if (front.remaining != kEveryCall && --front.remaining == 0) {
      it->second.pop_front();
    }
    return fault;
  }
  return std::nullopt;
}

bool FakePlatformServer::SleepUntil(SteadyClock::time_point until) {
  std::unique_lock<std::mutex> lock(mu_);
  if (until == SteadyClock::time_point::max()) {
    cv_.wait(lock, [this] { return stopping_; });
    return false;
  }
  return !cv_.wait_until(lock, until, [this] { return stopping_; });
}

void FakePlatformServer::DropConnection(const httplib::Request& req, httplib::Response& res) {
  // httplib has no "close without answering"; shutting the socket down under it does
  // exactly that: its write fails and the client reads EOF before any byte.
  const std::vector<int> fds = FindConnectionFds(req.local_port, req.remote_port);
  for (int fd : fds) {
    ::shutdown(fd, SHUT_RDWR);
  }
  if (fds.empty()) {
    // Fallback: headers go out, then the body provider fails and httplib closes the
    // connection, so the client still sees a broken transfer.
    res.set_content_provider(1024, "application/json",
                             [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
  }
}

void FakePlatformServer::ShutdownClientConnections() {
  if (port_ <= 0) {
    return;
  }
  for (int fd : FindConnectionFds(port_, -1)) {
    ::shutdown(fd, SHUT_RDWR);
  }
}

std::uint64_t FakePlatformServer::RecordArrival(const std::string& route_key,
                                                const BackendRequest& request) {
  RecordedRequest record;
  record.route = route_key;
  record.method = request.method;
  record.path = request.path;
  record.query = request.query;
  record.headers = request.headers;
  record.body = request.body;
  record.received_at = std::chrono::system_clock::now();
  record.received_steady = SteadyClock::now();
  std::uint64_t sequence;
  {
    std::lock_guard<std::mutex> lock(mu_);
    sequence = next_sequence_++;
    record.sequence = sequence;
    log_.push_back(std::move(record));
    while (log_.size() > options_.max_logged_requests && !log_.empty()) {
      log_.pop_front();
    }
  }
  cv_.notify_all();
  return sequence;
}

void FakePlatformServer::RecordAnswer(std::uint64_t sequence, int status, bool dropped,
                                      const std::string& fault) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (log_.empty() || sequence < log_.front().sequence) {
      return;  // already evicted
    }
    const std::size_t index = sequence - log_.front().sequence;
    if (index >= log_.size()) {
      return;
    }
    RecordedRequest& record = log_[index];
    record.answered = true;
    record.dropped = dropped;
    record.status = dropped ? 0 : status;
    record.fault = fault;
    record.answered_steady = SteadyClock::now();
  }
  cv_.notify_all();
}

StartResult FakePlatformServer::Start() {
  std::lock_guard<std::mutex> life(lifecycle_mu_);
  StartResult result;
  if (stopped_) {
    result.error = "the server was stopped; create a new one";
    return result;
  }
  if (started_) {
    result.port = port_;
    return result;
  }
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
    result.error = "cannot bind " + options_.host + ":" + std::to_string(options_.port) + ": " +
                   (errno != 0 ? std::strerror(errno) : "bind failed");
    return result;
  }
  port_ = port;
  // httplib has already listened with its fixed backlog of 5; listen() again on the same
  // socket only enlarges the accept queue.
  for (int fd : FindListeningFds(port)) {
    ::listen(fd, options_.listen_backlog);
  }
  started_ = true;
  accept_thread_ = std::thread([this] {
    http_->listen_after_bind();
    {
      std::lock_guard<std::mutex> lock(mu_);
      listen_returned_ = true;
    }
    cv_.notify_all();
  });
  // httplib's stop() is a no-op until the loop has set is_running(), so Start() only
  // returns once it has (or the loop gave up, or the deadline passed).
  const auto deadline = SteadyClock::now() + options_.start_deadline;
  std::unique_lock<std::mutex> lock(mu_);
  while (!http_->is_running() && !listen_returned_) {
    if (cv_.wait_until(lock, std::min(deadline, SteadyClock::now() + std::chrono::milliseconds(1)),
                       [this] { return listen_returned_; })) {
      break;
    }
    if (SteadyClock::now() >= deadline) {
      break;
    }
  }
  if (listen_returned_) {
    result.error =
        "the accept loop on " + options_.host + ":" + std::to_string(port) + " exited at once";
  } else if (!http_->is_running()) {
    result.error = "the accept loop on " + options_.host + ":" + std::to_string(port) +
                   " was not running after " + std::to_string(options_.start_deadline.count()) +
                   " ms";
  } else {
    result.port = port;
  }
  return result;
}

void FakePlatformServer::Stop() {
  std::lock_guard<std::mutex> life(lifecycle_mu_);
  if (stopped_) {
    return;
  }
  stopped_ = true;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();     // hung and delayed faults, WaitForRequest
  backend_.Shutdown();  // blocked A2A calls answer now
  if (!started_) {
    return;
  }
  // stop() only works once the loop runs; Start() waited for that, but a loop that was
  // slow to start still gets there, so retry until it has returned.
  std::unique_lock<std::mutex> lock(mu_);
  while (!listen_returned_) {
    lock.unlock();
    http_->stop();
    ShutdownClientConnections();
    lock.lock();
    cv_.wait_for(lock, std::chrono::milliseconds(20), [this] { return listen_returned_; });
  }
  lock.unlock();
  accept_thread_.join();
}

int FakePlatformServer::port() const { return port_; }

std::string FakePlatformServer::url(std::string_view path) const {
  return "http://" + options_.host + ":" + std::to_string(port_) + std::string(path);
}

bool FakePlatformServer::InjectFault(const std::string& route, Fault fault, int count) {
  const auto& keys = RouteKeys();
  if (count == 0 || count < kEveryCall ||
      std::find(keys.begin(), keys.end(), route) == keys.end()) {
    return false;
  }
  std::lock_guard<std::mutex> lock(mu_);
  faults_[route].push_back({std::move(fault), count});
  return true;
}

void FakePlatformServer::ClearFaults() {
  std::lock_guard<std::mutex> lock(mu_);
  faults_.clear();
}

std::vector<RecordedRequest> FakePlatformServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return std::vector<RecordedRequest>(log_.begin(), log_.end());
}

std::optional<RecordedRequest> FakePlatformServer::WaitForRequest(
    const RequestPredicate& predicate, SteadyClock::time_point deadline) const {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    for (const RecordedRequest& record : log_) {
      if (predicate(record)) {
        return record;
      }
    }
    if (stopping_) {
      return std::nullopt;
    }
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout) {
      for (const RecordedRequest& record : log_) {
        if (predicate(record)) {
          return record;
        }
      }
      return std::nullopt;
    }
  }
}

std::optional<RecordedRequest> FakePlatformServer::WaitForRequest(
    const RequestPredicate& predicate, std::chrono::milliseconds timeout) const {
  return WaitForRequest(predicate, SteadyClock::now() + timeout);
}

std::vector<std::string> FakePlatformServer::LiveWorkspaceIds() const {
  return backend_.LiveWorkspaceIds();
}

}  // namespace taskbounds
