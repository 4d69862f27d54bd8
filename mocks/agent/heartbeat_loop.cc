#include "mocks/agent/heartbeat_loop.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "httplib.h"
#include "mocks/platform/json_util.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace taskbounds {
namespace {

// Wall bounds of one heartbeat request: a registry that does not answer must not hold up
// the next beat for long, nor the agent's stop (which also aborts the request).
constexpr int kConnectTimeoutSecs = 5;
constexpr int kReadTimeoutSecs = 10;

}  // namespace

std::string HeartbeatBody(const HeartbeatSettings& settings, int active_tasks,
                          long uptime_seconds) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("workspace_id");
  WriteString(w, settings.workspace_id);
  w.Key("active_tasks");
  w.Int(active_tasks);
  w.Key("uptime_seconds");
  w.Int64(uptime_seconds);
  w.Key("current_task");
  w.String(active_tasks > 0 ? "synthetic coordinator task" : "");
  w.Key("error_rate");
  w.Double(0);
  w.Key("runtime_state");
  w.String("");  // neither "wedged" nor an error: the platform leaves the status alone
  if (settings.idle_timeout_secs) {
    w.Key("runtime_metadata");
    w.StartObject();
    w.Key("idle_timeout_seconds");
    w.Int(*settings.idle_timeout_secs);
    w.EndObject();
  }
  w.EndObject();
  return buffer.GetString();
}

bool SplitRegistryUrl(const std::string& url, std::string* origin, std::string* path_prefix,
                      std::string* error) {
  const std::size_t scheme_end = url.find("://");
  const std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  const std::size_t host_start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  const std::size_t path_start = url.find_first_of("/?#", host_start);
  const std::string host = url.substr(host_start, path_start - host_start);
  std::string path = path_start == std::string::npos ? "" : url.substr(path_start);
  if ((scheme != "http" && scheme != "https") || host.empty() ||
      path.find_first_of("?#") != std::string::npos) {
    *error = "registry URL \"" + url +
             "\" is not http(s)://host[:port][/path] (the platform's base URL, no query)";
    return false;
  }
  while (!path.empty() && path.back() == '/') {
    path.pop_back();
  }
  *origin = scheme + "://" + host;
  *path_prefix = path;
  return true;
}

std::unique_ptr<HeartbeatLoop> HeartbeatLoop::Start(const HeartbeatSettings& settings,
                                                    const SimClock& clock, AgentTime agent_start,
                                                    Hooks hooks, std::string* error) {
  std::string origin;
  std::string prefix;
  if (!SplitRegistryUrl(settings.registry_url, &origin, &prefix, error)) {
    return nullptr;
  }
  std::unique_ptr<HeartbeatLoop> loop(new HeartbeatLoop(
      settings, clock, agent_start, std::move(hooks), origin, prefix + "/registry/heartbeat"));
  if (!loop->client_->is_valid()) {
    *error = "cannot make an HTTP client for the registry URL \"" + settings.registry_url + "\"";
    return nullptr;
  }
  loop->thread_ = std::thread([raw = loop.get()] { raw->Run(); });
  return loop;
}

HeartbeatLoop::HeartbeatLoop(HeartbeatSettings settings, const SimClock& clock,
                             AgentTime agent_start, Hooks hooks, const std::string& origin,
                             std::string path)
    : settings_(std::move(settings)),
      clock_(clock),
      agent_start_(agent_start),
      hooks_(std::move(hooks)),
      path_(std::move(path)),
      client_(std::make_unique<httplib::Client>(origin)) {
  client_->set_connection_timeout(kConnectTimeoutSecs);
  client_->set_read_timeout(kReadTimeoutSecs);
  client_->set_write_timeout(kConnectTimeoutSecs);
  if (!settings_.workspace_token.empty()) {
    client_->set_bearer_token_auth(settings_.workspace_token);
  }
}

HeartbeatLoop::~HeartbeatLoop() { Stop(); }

void HeartbeatLoop::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  client_->stop();  // aborts a request in flight (httplib allows this from another thread)
  if (thread_.joinable()) {
    thread_.join();
  }
}

void HeartbeatLoop::Run() {
  const auto interval = clock_.Wall(settings_.interval_secs);
  auto next = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (!cv_.wait_until(lock, next, [this] { return stopping_; })) {
      lock.unlock();
      hooks_.sent(SendOne());
      lock.lock();
      // On a schedule (no drift from the requests' own time), but a beat that fell behind
      // is sent once, not in a burst.
      next = std::max(next + interval, std::chrono::steady_clock::now());
    }
  }
}

AgentHeartbeat HeartbeatLoop::SendOne() {
  AgentHeartbeat heartbeat;
  heartbeat.sent_at = std::chrono::steady_clock::now();
  heartbeat.active_tasks = hooks_.active_tasks();
  const auto uptime = static_cast<long>(clock_.PlatformSecs(heartbeat.sent_at - agent_start_));
  const std::string body = HeartbeatBody(settings_, heartbeat.active_tasks, uptime);
  const httplib::Result result = client_->Post(path_.c_str(), body, "application/json");
  if (result) {
    heartbeat.status = result->status;
  } else {
    heartbeat.error = "POST " + path_ + " to " + settings_.registry_url +
                      " failed: " + httplib::to_string(result.error());
  }
  return heartbeat;
}

}  // namespace taskbounds
