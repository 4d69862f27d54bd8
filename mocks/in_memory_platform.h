// InMemoryPlatform: the fake platform's state and rules (platform-api.md sections 2, 3, 5
// and the checklist in section 9), plus a simulated coordinator agent that turns a kickoff's
// synthesis depth into platform time. Thread-safe.
//
// Time: every simulated duration is platform seconds × options.time_scale of wall time on
// a steady clock. Workspace status is a pure function of time and recorded events
// (provisioning windows, task terminations, deletion), so nothing needs a timer thread:
// GET computes the status at "now", /heartbeat-history replays the same function.
//
// The simulated coordinator: a message/send whose text says "Delegate N separate
// sub-questions" (the harness's task text; N = 3 when absent) takes N delegation rounds
// (delegation_round_secs each, heartbeats flowing) and then N × synthesis_secs_per_depth of
// synthesis. The scenario picks which bound, if any, ends it first (see Scenario).
#ifndef MOCKS_IN_MEMORY_PLATFORM_H_
#define MOCKS_IN_MEMORY_PLATFORM_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mocks/fake_platform_options.h"
#include "mocks/platform_backend.h"
#include "rapidjson/document.h"

namespace taskbounds {

// How one simulated coordinator task ends, decided when it starts.
struct CoordinatorPlan {
  int depth = 3;
  double delegation_secs = 0;  // platform seconds
  double synthesis_secs = 0;
  double natural_secs = 0;  // delegation + synthesis
  // Which bound ends it ("" = none, "idle_timeout", "agent_ceiling", "platform_ceiling")
  // and after how many platform seconds the call answers.
  std::string bound;
  double answer_after_secs = 0;
};

// "Delegate N separate sub-questions" -> N (1..1000); `fallback` when absent or out of range.
int ParseDelegationDepth(const std::string& task_text, int fallback = 3);

class InMemoryPlatform : public PlatformBackend {
 public:
  using Clock = std::chrono::steady_clock;

  explicit InMemoryPlatform(FakePlatformOptions options);
  ~InMemoryPlatform() override;
  InMemoryPlatform(const InMemoryPlatform&) = delete;
  InMemoryPlatform& operator=(const InMemoryPlatform&) = delete;

  const FakePlatformOptions& options() const { return options_; }

  Admission Authorize(Route route, const BackendRequest& request) override;
  BackendReply Health() override;
  BackendReply CreateWorkspace(const BackendRequest& request) override;
  BackendReply GetWorkspace(const std::string& id) override;
  BackendReply PatchWorkspace(const std::string& id, const BackendRequest& request) override;
  BackendReply SetSecret(const std::string& id, const BackendRequest& request) override;
  BackendReply DeleteWorkspace(const std::string& id, bool confirm, bool purge) override;
  BackendReply SendA2A(const std::string& id, const BackendRequest& request) override;
  BackendReply HeartbeatHistory(const std::string& id, const BackendRequest& request) override;
  BackendReply Activity(const std::string& id, const BackendRequest& request) override;
  BackendReply RegistryRegister(const BackendRequest& request) override;
  BackendReply RegistryHeartbeat(const BackendRequest& request) override;
  std::vector<std::string> LiveWorkspaceIds() override;
  void Shutdown() override;

  // Status of `id` now ("provisioning", "online", "degraded", "failed", "removed");
  // nullopt if unknown.
  std::optional<std::string> StatusOf(const std::string& id);
  // Stored secret value (tests check byte-exact storage); nullopt if unset or unknown.
  std::optional<std::string> SecretOf(const std::string& id, const std::string& key);
  // The plan a kickoff with this depth would follow under the current options, with the
  // workspace's heartbeats assumed to be at phase `heartbeat_phase_secs` (0 = a heartbeat
  // just happened). Exposed so tests can derive expectations from the same rules.
  CoordinatorPlan PlanCoordinatorTask(int depth, double heartbeat_phase_secs) const;

 private:
  struct Window {
    Clock::time_point from;
    Clock::time_point to;
  };
  struct Task {
    Clock::time_point start;
    Clock::time_point answer_at;
    Clock::time_point heartbeats_stop;  // idle_timeout: synthesis starves heartbeats
    std::optional<Clock::time_point> terminated_at;
    bool finished = false;
  };
  struct ActivityEntry {
    std::string json;  // one row, serialised
    std::string activity_type;
  };
  struct Workspace {
    std::string id;
    std::string name;
    std::optional<std::string> role;
    std::int64_t tier = 3;
    std::string runtime;
    std::string workspace_access = "none";
    std::optional<std::string> parent_id;
    std::int64_t max_concurrent_tasks = 1;
    double x = 0;
    double y = 0;
    bool collapsed = false;
    Clock::time_point created;
    std::vector<Window> provisioning;  // create, then one per restart
    bool url_cleared = false;          // a restart clears the URL until re-registration
    std::vector<Window> failed;        // task terminations (platform_ceiling)
    // Opened by a heartbeat reporting errors or a wedged runtime, closed by a recovering
    // heartbeat or a registration; an open one ends at Clock::time_point::max().
    std::vector<Window> degraded;
    // What the agent last sent to the registry routes, when it did.
    std::optional<std::string> registered_url;
    std::optional<std::string> agent_card_json;
    std::optional<double> last_error_rate;
    std::optional<Clock::time_point> removed_at;
    std::map<std::string, std::string> secrets;
    std::vector<Task> tasks;
    std::vector<ActivityEntry> activity;  // oldest first
    std::optional<Clock::time_point> last_outbound;
  };

  Clock::duration Wall(double platform_secs) const;
  double PlatformSecs(Clock::duration wall) const;
  static std::string NewUuid();
  // One a2a_receive row (platform-api.md 6.4); touches no shared state.
  std::string A2AActivityRow(const std::string& workspace_id, const std::string& caller,
                             const std::string& method, const rapidjson::Value& envelope,
                             const BackendReply& reply, const std::string& error_detail,
                             Clock::time_point started, Clock::time_point answered) const;
  std::string StatusAt(const Workspace& ws, Clock::time_point t) const;
  // The agent (re)registered at `t`: open provisioning and failed windows end there.
  static void EndWindowsAt(std::vector<Window>& windows, Clock::time_point t);
  // End of the provisioning window that most recently closed at or before `t`.
  std::optional<Clock::time_point> LastReadyAt(const Workspace& ws, Clock::time_point t) const;
  bool HeartbeatsStarvedAt(const Workspace& ws, Clock::time_point t) const;
  std::string WorkspaceJson(const Workspace& ws, Clock::time_point now) const;
  Workspace* Find(const std::string& id);
  void LogActivity(Workspace& ws, const std::string& row_json, const std::string& type);

  const FakePlatformOptions options_;

  std::mutex mu_;  // all workspace state
  // Sleeping A2A calls wait here, apart from mu_, so waking 64 of them at once does not
  // contend with the state lock.
  std::mutex wait_mu_;
  std::condition_variable shutdown_cv_;
  bool shutdown_ = false;                        // guarded by wait_mu_
  std::map<std::string, Workspace> workspaces_;  // by lower-case id
  std::vector<std::string> creation_order_;
  // Rate limiter: fixed window per client IP.
  struct RateWindow {
    Clock::time_point start;
    int count = 0;
  };
  std::map<std::string, RateWindow> rate_windows_;
};

}  // namespace taskbounds

#endif  // MOCKS_IN_MEMORY_PLATFORM_H_
