#include "tests/client/scripted_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

#include "httplib.h"

namespace taskbounds {
namespace testing_support {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// A hanging handler gives up after this long even if nobody stops the server, so a
// forgotten Stop() cannot block a test binary for ever.
constexpr std::chrono::seconds kHangCap(60);

}  // namespace

bool RecordedRequest::HasHeader(const std::string& name) const {
  return headers.count(Lower(name)) > 0;
}

std::string RecordedRequest::Header(const std::string& name) const {
  const auto it = headers.find(Lower(name));
  return it == headers.end() ? "" : it->second;
}

std::size_t RecordedRequest::HeaderCount(const std::string& name) const {
  return headers.count(Lower(name));
}

ScriptedHttpServer::ScriptedHttpServer() : server_(std::make_unique<httplib::Server>()) {}

ScriptedHttpServer::~ScriptedHttpServer() { Stop(); }

std::string ScriptedHttpServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

::testing::AssertionResult ScriptedHttpServer::Start() {
  // An idle kept-alive connection pins a worker and delays stop(); keep that wait short.
  server_->set_keep_alive_timeout(1);
  auto handler = [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); };
  server_->Get(".*", handler);
  server_->Post(".*", handler);
  server_->Put(".*", handler);
  server_->Patch(".*", handler);
  server_->Delete(".*", handler);
  server_->Options(".*", handler);

  // Bind on this thread: the port (or the failure) is known before any thread starts.
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) {
    return ::testing::AssertionFailure() << "bind_to_any_port(127.0.0.1) failed";
  }
  thread_ = std::thread([this] {
    server_->listen_after_bind();
    std::lock_guard<std::mutex> lock(mu_);
    listen_returned_ = true;
    cv_.notify_all();
  });
  started_ = true;

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!server_->is_running()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (listen_returned_) {
        return ::testing::AssertionFailure() << "listen_after_bind returned before running";
      }
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return ::testing::AssertionFailure() << "server did not start within 10 s";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return ::testing::AssertionSuccess();
}

void ScriptedHttpServer::Stop() {
  if (!started_) {
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  // stop() is a no-op until the accept loop has set is_running (cpp-httplib 0.11.4), and a
  // second call while the loop winds down trips an assert in it: call it exactly once, as
  // soon as the loop runs. Start() normally waited for that already.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  bool returned = false;
  bool stop_sent = false;
  while (!returned && std::chrono::steady_clock::now() < deadline) {
    if (!stop_sent && server_->is_running()) {
      server_->stop();
      stop_sent = true;
    }
    std::unique_lock<std::mutex> lock(mu_);
    returned =
        cv_.wait_for(lock, std::chrono::milliseconds(20), [this] { return listen_returned_; });
  }
  if (returned) {
    thread_.join();
  } else {
    // Joining could block for ever and destroying a running server is a use-after-free:
    // leak both and say so, rather than hang the test binary.
    ADD_FAILURE() << "ScriptedHttpServer: accept loop did not stop within 30 s";
    thread_.detach();
    static_cast<void>(server_.release());
  }
  started_ = false;
}

void ScriptedHttpServer::Script(const std::string& method, const std::string& path,
                                ScriptedResponse response) {
  std::lock_guard<std::mutex> lock(mu_);
  script_[{method, path}] = std::move(response);
}

std::vector<RecordedRequest> ScriptedHttpServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

::testing::AssertionResult ScriptedHttpServer::WaitForRequests(std::size_t count,
                                                               std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  if (cv_.wait_for(lock, timeout, [&] { return requests_.size() >= count; })) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "saw " << requests_.size() << " request(s), wanted "
                                       << count << " within " << timeout.count() << " ms";
}

void ScriptedHttpServer::Handle(const httplib::Request& req, httplib::Response& res) {
  RecordedRequest recorded;
  recorded.method = req.method;
  recorded.path = req.path;
  recorded.target = req.target;
  for (const auto& [name, value] : req.headers) {
    recorded.headers.emplace(Lower(name), value);
  }
  recorded.body = req.body;

  ScriptedResponse response;
  bool scripted = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(std::move(recorded));
    cv_.notify_all();
    const auto it = script_.find({req.method, req.path});
    if (it != script_.end()) {
      response = it->second;
      scripted = true;
    }
  }
  if (!scripted) {
    res.status = 404;
    res.set_content("404 page not found", "text/plain");
    return;
  }

  if (response.hang || response.delay.count() > 0) {
    std::unique_lock<std::mutex> lock(mu_);
    const auto wait = response.hang ? std::chrono::milliseconds(kHangCap) : response.delay;
    cv_.wait_for(lock, wait, [this] { return stopping_; });
  }
  res.status = response.status;
  for (const auto& [name, value] : response.headers) {
    res.set_header(name.c_str(), value);
  }
  if (!response.body.empty() || !response.content_type.empty()) {
    res.set_content(response.body, response.content_type.c_str());
  }
}

int UnusedLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    return -1;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);  // never listened: connecting now is refused
  return port;
}

}  // namespace testing_support
}  // namespace taskbounds
