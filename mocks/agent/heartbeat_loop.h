// The synthetic coordinator's heartbeats: a thread that POSTs <registry_url>/registry/heartbeat
// every interval (platform seconds, through the agent's time scale), the first at once, so an
// idle-timer override reaches the platform before any kickoff (external-workspaces-2026-08.md
// 1.3: the override is read when a dispatch starts). Each heartbeat reports how many tasks the
// agent holds right then. Sent with cpp-httplib's client: nothing under //mocks links libcurl.
#ifndef MOCKS_AGENT_HEARTBEAT_LOOP_H_
#define MOCKS_AGENT_HEARTBEAT_LOOP_H_

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "mocks/agent/agent_behaviour.h"
#include "mocks/agent/agent_records.h"
#include "mocks/platform/sim_clock.h"

namespace httplib {
class Client;
}  // namespace httplib

namespace taskbounds {

// The heartbeat's JSON body (the shape external-workspaces-2026-08.md 1.1 gives).
std::string HeartbeatBody(const HeartbeatSettings& settings, int active_tasks, long uptime_seconds);

// "http(s)://host[:port]" and the path before /registry/heartbeat ("" or "/prefix") of a
// registry URL; false with `error` naming the URL and the expected form.
[[nodiscard]] bool SplitRegistryUrl(const std::string& url, std::string* origin,
                                    std::string* path_prefix, std::string* error);

class HeartbeatLoop {
 public:
  struct Hooks {
    std::function<int()> active_tasks;         // tasks held now
    std::function<void(AgentHeartbeat)> sent;  // after each attempt, answered or not
  };

  // Starts sending at once; null with `error` when the registry URL cannot be used.
  static std::unique_ptr<HeartbeatLoop> Start(const HeartbeatSettings& settings,
                                              const SimClock& clock, AgentTime agent_start,
                                              Hooks hooks, std::string* error);
  ~HeartbeatLoop();  // Stop()
  HeartbeatLoop(const HeartbeatLoop&) = delete;
  HeartbeatLoop& operator=(const HeartbeatLoop&) = delete;

  // Ends the loop, also aborting a heartbeat in flight; returns once the thread has ended.
  // Idempotent.
  void Stop();

 private:
  HeartbeatLoop(HeartbeatSettings settings, const SimClock& clock, AgentTime agent_start,
                Hooks hooks, const std::string& origin, std::string path);
  void Run();
  AgentHeartbeat SendOne();

  const HeartbeatSettings settings_;
  const SimClock clock_;
  const AgentTime agent_start_;
  const Hooks hooks_;
  const std::string path_;  // prefix + /registry/heartbeat
  std::unique_ptr<httplib::Client> client_;

  std::mutex mu_;
  std::condition_variable cv_;  // stopping_
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace taskbounds

#endif  // MOCKS_AGENT_HEARTBEAT_LOOP_H_
