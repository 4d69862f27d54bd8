#include "tests/support/scripted_http_server.h"

#include "httplib.h"

namespace taskbounds {
namespace testing_support {
namespace {

// A hanging handler gives up after this long even if nobody stops the server, so a
// forgotten Stop() cannot block a test binary for ever.
constexpr std::chrono::seconds kHangCap(60);

}  // namespace

ScriptedHttpServer::ScriptedHttpServer() {
  server_.HandleEveryMethod(
      ".*", [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); });
}

ScriptedHttpServer::~ScriptedHttpServer() { Stop(); }

std::string ScriptedHttpServer::base_url() const { return server_.url(); }

::testing::AssertionResult ScriptedHttpServer::Start() {
  const StartResult started = server_.Start();
  if (!started.ok()) {
    return ::testing::AssertionFailure() << "ScriptedHttpServer: " << started.error;
  }
  return ::testing::AssertionSuccess();
}

void ScriptedHttpServer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();  // hanging and delayed answers end now
  log_.Close();
  const std::string error = server_.Stop();
  if (!error.empty()) {
    ADD_FAILURE() << "ScriptedHttpServer: " << error;
  }
}

void ScriptedHttpServer::Script(const std::string& method, const std::string& path,
                                ScriptedResponse response) {
  std::lock_guard<std::mutex> lock(mu_);
  script_[{method, path}] = std::move(response);
}

std::vector<RecordedRequest> ScriptedHttpServer::requests() const { return log_.Snapshot(); }

::testing::AssertionResult ScriptedHttpServer::WaitForRequests(std::size_t count,
                                                               std::chrono::milliseconds timeout) {
  if (log_.WaitForCount(count, std::chrono::steady_clock::now() + timeout)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "saw " << log_.size() << " request(s), wanted " << count
                                       << " within " << timeout.count() << " ms";
}

void ScriptedHttpServer::Handle(const httplib::Request& req, httplib::Response& res) {
  const std::uint64_t sequence = log_.RecordArrival(RecordOf(req));
  ScriptedResponse response;
  bool scripted = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const auto it = script_.find({req.method, req.path});
    if (it != script_.end()) {
      response = it->second;
      scripted = true;
    }
  }
  if (!scripted) {
    res.status = 404;
    res.set_content("404 page not found", "text/plain");
    log_.RecordAnswer(sequence, res.status, false, "");
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
  log_.RecordAnswer(sequence, res.status, false, "");
}

}  // namespace testing_support
}  // namespace taskbounds
