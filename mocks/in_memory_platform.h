// InMemoryPlatform: the fake platform as the server's PlatformBackend. A facade: one mutex
// around the records, each route delegated to the unit under mocks/platform/ that holds its
// rules (middleware, validation, workspace_state, a2a_proxy with coordinator_model,
// activity_log, heartbeat_replay). Thread-safe.
//
// Time: every simulated duration is platform seconds x options.time_scale of wall time
// (sim_clock). Workspace status is a pure function of time and recorded windows, so nothing
// needs a timer thread. A kickoff's task is planned in full when it arrives
// (coordinator_model); the call then sleeps until its answer is due, outside the mutex.
#ifndef MOCKS_IN_MEMORY_PLATFORM_H_
#define MOCKS_IN_MEMORY_PLATFORM_H_

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mocks/fake_platform_options.h"
#include "mocks/platform/a2a_proxy.h"
#include "mocks/platform/coordinator_model.h"
#include "mocks/platform/event_bus.h"
#include "mocks/platform/middleware.h"
#include "mocks/platform/platform_profile.h"
#include "mocks/platform/sim_clock.h"
#include "mocks/platform/workspace_record.h"
#include "mocks/platform/workspace_state.h"
#include "mocks/platform_backend.h"
#include "rapidjson/document.h"

namespace taskbounds {

class InMemoryPlatform : public PlatformBackend {
 public:
  using Clock = SimClock::Clock;

  explicit InMemoryPlatform(FakePlatformOptions options);
  ~InMemoryPlatform() override;
  InMemoryPlatform(const InMemoryPlatform&) = delete;
  InMemoryPlatform& operator=(const InMemoryPlatform&) = delete;

  const FakePlatformOptions& options() const { return options_; }
  // The answers of the platform version options name (platform_version, default 2026-04).
  const PlatformProfile& profile() const { return *profile_; }

  Admission Authorize(Route route, const BackendRequest& request) override;
  BackendReply Health() override;
  BackendReply CreateWorkspace(const BackendRequest& request) override;
  BackendReply GetWorkspace(const std::string& id, const BackendRequest& request) override;
  BackendReply PatchWorkspace(const std::string& id, const BackendRequest& request) override;
  BackendReply SetSecret(const std::string& id, const BackendRequest& request) override;
  BackendReply DeleteWorkspace(const std::string& id, const BackendRequest& request) override;
  BackendReply SendA2A(const std::string& id, const BackendRequest& request) override;
  BackendReply HeartbeatHistory(const std::string& id, const BackendRequest& request) override;
  BackendReply Activity(const std::string& id, const BackendRequest& request) override;
  BackendReply RegistryRegister(const BackendRequest& request) override;
  BackendReply RegistryHeartbeat(const BackendRequest& request) override;
  // in_memory_platform_admin.cc: the admin list and the 2026-08 routes.
  BackendReply ListWorkspaces(const BackendRequest& request) override;
  BackendReply DecideApproval(const std::string& id, const std::string& approval_id,
                              const BackendRequest& request) override;
  BackendReply SetModel(const std::string& id, const BackendRequest& request) override;
  BackendReply GetModel(const std::string& id) override;
  BackendReply BuildInfo() override;
  BackendReply EventStream(const std::string& id, const BackendRequest& request) override;
  BackendReply A2AQueueItem(const std::string& id, const std::string& queue_id) override;
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
  // A 2026-08 secret write waiting for, or granted by, the approval gate.
  struct Approval {
    std::string workspace_id;
    std::string key;
    std::string status = "pending";  // "pending", "approved", "denied"
  };

  // 2026-08's rules, in in_memory_platform_2026_08.cc. Callers hold mu_.
  // 2026-08: the parent an omitted parent_id defaults to, or the reply refusing a named one.
  std::optional<BackendReply> ResolveParent(const rapidjson::Document& doc, TimePoint now,
                                            std::optional<std::string>* parent_id);
  // 2026-08: `name`, or "name (2)", "name (3)", ... when a live sibling already has it.
  std::string UniqueSiblingName(const std::string& name, const std::optional<std::string>& parent,
                                TimePoint now) const;
  // Whether `token` is a live workspace's auth_token.
  bool IsWorkspaceToken(const std::string& token, TimePoint now) const;
  // The bearer is the configured ADMIN_TOKEN (the approval gate's and PATCH's caller class).
  bool CallerIsAdmin(const BackendRequest& request) const;
  // 2026-08 PATCH parent_id rules (platform-api-2026-08.md 2); nullopt: apply the body.
  std::optional<BackendReply> CheckReparent(const rapidjson::Document& doc, const Workspace& ws,
                                            const BackendRequest& request, TimePoint now);
  // 2026-08's checks of a secret write: the vendor-key guard, then the approval gate.
  std::optional<BackendReply> GateSecretWrite(const Workspace& ws, const std::string& key,
                                              const BackendRequest& request);

  // What the A2A proxy decided under the lock when the call arrived.
  struct A2AStart {
    std::string workspace_id;
    std::optional<ProxyAnswer> refused;  // answered at once, no task
    CoordinatorPlan plan;
    TimePoint answer_at;
    std::size_t task_index = 0;
  };

  // Decides how the call to `ws` ends and records its task. Caller holds mu_.
  A2AStart StartA2ATask(Workspace& ws, const A2ARequest& call, TimePoint started);
  // Marks the task done; a Shutdown() that cut it short erases what had not happened yet.
  // False when the workspace was purged while the call ran.
  bool FinishA2ATask(const A2AStart& start, bool interrupted, TimePoint answered);
  // Logs the call's a2a_receive row on its workspace and returns `reply`.
  BackendReply LogA2A(const A2ARequest& call, const std::string& caller, const A2AStart& start,
                      ProxyAnswer reply, TimePoint started, TimePoint answered);

  // ---- 2026-08's task life (in_memory_platform_task_life.cc) ----
  // What the proxy decided when a kickoff arrived.
  struct Turn {
    std::string workspace_id;
    std::optional<BackendReply> answer_now;  // refused, or queued behind the boot turn
    TimePoint end;                           // when the turn ends
    ProxyAnswer reply;                       // what it ends with
    bool waits_whole_turn = false;           // workspace caller, or sync budget disabled
  };
  BackendReply SendA2A2026_08(const std::string& id, const BackendRequest& request);
  BackendReply Activity2026_08(const std::string& id, const BackendRequest& request);
  // The rest run under mu_.
  // The live workspace whose auth_token is `bearer`; nullopt when none.
  std::optional<std::string> WorkspaceOfToken(const std::optional<std::string>& bearer,
                                              TimePoint now);
  Turn StartTurn(Workspace& ws, const A2ARequest& call, A2ACaller caller,
                 const std::string& caller_id, TimePoint started);
  TaskPlan2026_08 PlanTurn(const Workspace& ws, const A2ARequest& call, TimePoint dispatch) const;
  // Writes everything the planned turn will leave (rows, events, windows, queue items).
  void RecordTurn(Workspace& ws, const A2ARequest& call, const std::string& caller_id,
                  const TaskPlan2026_08& plan, const Turn& turn, TimePoint started,
                  TimePoint dispatch);
  void RecordAction(Workspace& ws, const TaskAction& action, const TaskPlan2026_08& plan,
                    const ProxyAnswer& completed, TimePoint dispatch);
  void PublishHeartbeats(const Workspace& ws, const TaskPlan2026_08& plan, TimePoint dispatch,
                         TimePoint end);
  // Adds a row and publishes ACTIVITY_LOGGED when it appears and when it completes.
  void LogRow(Workspace& ws, ActivityRecord row);
  // The delete at `now` stopped `ws`'s container: whatever its tasks planned after `now`
  // (answers, completions, watchdog rows, queue items, a terminated window) never happens.
  void StopTasksAt(Workspace& ws, TimePoint now);
  // 2026-08: the removal cancels the PM's in-flight forward, and the proxy writes the turn's
  // message-keyed row as failed (status "error", Go's "context canceled") with its event.
  void FailTurnOnRemoval(Workspace& ws, ActivityRecord& row, TimePoint now);

  const FakePlatformOptions options_;
  const std::unique_ptr<const PlatformProfile> profile_;
  const SimClock clock_;
  const WorkspaceLifecycle lifecycle_;
  ShutdownLatch shutdown_;  // sleeping A2A calls wait here, apart from mu_
  EventBus bus_;            // 2026-08's events; thread-safe, apart from mu_

  std::mutex mu_;  // everything below
  WorkspaceTable table_;
  Middleware middleware_;
  std::map<std::string, Approval> approvals_;  // by approval id
};

}  // namespace taskbounds

#endif  // MOCKS_IN_MEMORY_PLATFORM_H_
