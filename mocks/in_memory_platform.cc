#include "mocks/in_memory_platform.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "mocks/platform/activity_log.h"
#include "mocks/platform/heartbeat_replay.h"
#include "mocks/platform/json_util.h"
#include "mocks/platform/platform_root.h"
#include "mocks/platform/profiles.h"
#include "mocks/platform/validation.h"

namespace taskbounds {
InMemoryPlatform::InMemoryPlatform(FakePlatformOptions options)
    : options_(std::move(options)),
      profile_(MakePlatformProfile(EffectivePlatformVersion(options_))),
      clock_(options_.time_scale),
      lifecycle_(clock_, options_.durations,
                 PhantomBusySweeper{options_.phantom_busy_reset, Clock::now()}),
      middleware_(options_, *profile_, clock_) {
  if (profile_->HasPlatformRoot() && options_.platform_root) {
    std::lock_guard<std::mutex> lock(mu_);
    table_.Insert(PlatformRootRecord(Clock::now()));
  }
}

InMemoryPlatform::~InMemoryPlatform() { Shutdown(); }

Admission InMemoryPlatform::Authorize(Route route, const BackendRequest& request) {
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  return middleware_.Authorize(route, request, now, [this, now](const std::string& token) {
    return IsWorkspaceToken(token, now);
  });
}

BackendReply InMemoryPlatform::Health() { return BackendReply::Json(200, R"({"status":"ok"})"); }

BackendReply InMemoryPlatform::CreateWorkspace(const BackendRequest& request) {
  rapidjson::Document doc;
  if (auto error = CreateBodyError(request.body, &doc)) {
    return BackendReply::Error(400, *error);
  }
  const CreateResolution resolved = profile_->ResolveCreate(CreateAskOf(doc));
  if (resolved.rejection) {
    return *resolved.rejection;
  }
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<std::string> parent_id;
  if (auto refused = ResolveParent(doc, now, &parent_id)) {
    return *refused;
  }
  Workspace ws =
      WorkspaceFromCreateBody(doc, [&resolved](const std::string&) { return resolved.runtime; });
  ws.id = NewUuid();
  ws.parent_id = parent_id;
  ws.template_name = StringMember(doc, "template").value_or("");
  ws.model = resolved.model;
  if (auto model = StringMember(doc, "model"); model && !resolved.model.empty()) {
    ws.secrets["MODEL"] = *model;  // an explicit model is stored as the MODEL secret
  }
  if (profile_->ResolvesParentsAndNames()) {
    ws.name = UniqueSiblingName(ws.name, parent_id, now);
  }
  if (profile_->MintsWorkspaceTokens()) {
    ws.auth_token = "wst_" + NewUuid();
  }
  if (resolved.failed_row) {
    // Committed and marked failed; the 422 carries no id (platform-api-2026-08.md 1).
    ws.created = now;
    ws.failed.push_back({now, TimePoint::max()});
    ws.last_sample_error = resolved.sample_error;
    table_.Insert(std::move(ws));
    return *resolved.failed_row;
  }
  lifecycle_.Created(&ws, now);
  BackendReply reply = profile_->CreatedReply(ws);
  table_.Insert(std::move(ws));
  return reply;
}

BackendReply InMemoryPlatform::GetWorkspace(const std::string& id, const BackendRequest& request) {
  if (!IsUuid(id)) {
    return BackendReply::Error(400, "invalid workspace ID");
  }
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  const Workspace* ws = table_.Find(id);
  if (ws == nullptr) {
    return BackendReply::Error(404, "workspace not found");
  }
  if (IsRemovedAt(*ws, now) && request.Query("include_removed") != "true") {
    if (auto removed = profile_->RemovedWorkspaceReply(*ws)) {
      return *removed;
    }
  }
  return BackendReply::Json(200, lifecycle_.WorkspaceJson(*ws, now, profile_->ReportsLiveness()));
}

BackendReply InMemoryPlatform::PatchWorkspace(const std::string& id,
                                              const BackendRequest& request) {
  if (!IsUuid(id)) {
    return BackendReply::Error(400, "invalid workspace ID");
  }
  rapidjson::Document doc;
  if (auto error = PatchBodyError(request.body, &doc)) {
    return BackendReply::Error(400, *error);
  }
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  Workspace* ws = table_.Find(id);
  if (ws == nullptr) {
    return BackendReply::Error(404, "workspace not found");
  }
  std::optional<BackendReply> reparented;
  if (profile_->ValidatesReparent() && doc.HasMember("parent_id")) {
    if ((reparented = CheckReparent(doc, *ws, request, now)) && reparented->status != 200) {
      return *reparented;
    }
  }
  ApplyPatchBody(
      doc, [this](const std::string& parent) { return table_.Find(parent) != nullptr; }, ws);
  if (reparented) {
    return *reparented;
  }
  return BackendReply::Json(200, PatchNeedsRestart(doc)
                                     ? R"({"status":"updated","needs_restart":true})"
                                     : R"({"status":"updated"})");
}

BackendReply InMemoryPlatform::SetSecret(const std::string& id, const BackendRequest& request) {
  if (!IsUuid(id, /*lower_only=*/true)) {
    return BackendReply::Error(400, "invalid workspace ID");
  }
  const std::optional<SecretFields> secret = ParseSecretBody(request.body);
  if (!secret) {
    return BackendReply::Error(400, "invalid request body");
  }
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  Workspace* ws = table_.Find(id);
  if (ws == nullptr) {
    return BackendReply::Error(500, "failed to save secret");  // FK miss
  }
  if (auto refused = GateSecretWrite(*ws, secret->key, request)) {
    return *refused;
  }
  ws->secrets[secret->key] = secret->value;
  // The platform root is never restarted by a secret write (H/secrets.go:205-233): it picks
  // the change up on its next explicit restart.
  if (!IsPlatformRoot(*ws)) {
    lifecycle_.RestartForSecret(ws, now);
  }
  return profile_->SecretSavedReply(secret->key);
}

BackendReply InMemoryPlatform::DeleteWorkspace(const std::string& id,
                                               const BackendRequest& request) {
  const bool confirm = request.Query("confirm") == "true";
  const bool purge = request.Query("purge") == "true";
  if (!IsUuid(id)) {
    return BackendReply::Error(400, "invalid workspace ID");
  }
  const std::string key = LowerId(id);
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  const auto direct = table_.LiveChildrenAt(key, now);
  const Workspace* target = table_.Find(key);
  if (auto refused = profile_->DeleteGate(
          target, target != nullptr && IsRemovedAt(*target, now), request, direct.size(),
          target != nullptr ? lifecycle_.ReportedActiveTasksAt(*target, now) : 0)) {
    return *refused;
  }
  if (!direct.empty() && !confirm) {
    return profile_->DeleteConfirmationReply(direct);
  }
  // Every live descendant goes with it. No existence check: an unknown or already removed
  // id is still a 200 with cascade_deleted 0.
  const std::vector<std::string> descendants = table_.LiveDescendantsAt(key, now);
  std::vector<std::string> doomed = descendants;
  doomed.push_back(key);
  for (const std::string& wid : doomed) {
    Workspace* ws = table_.Find(wid);
    if (ws == nullptr) {
      continue;
    }
    if (!ws->removed_at) {
      ws->removed_at = now;
      bus_.CancelAfter(wid, now);  // a removed workspace's planned turn never happens
      StopTasksAt(*ws, now);
      shutdown_.StopWorkspace(wid);  // its held A2A calls end now
    }
    if (purge) {
      table_.Purge(wid);
    }
  }
  const std::string status = purge ? "purged" : "removed";
  return BackendReply::Json(200, R"({"status":")" + status + R"(","cascade_deleted":)" +
                                     std::to_string(descendants.size()) + "}");
}

void InMemoryPlatform::StopTasksAt(Workspace& ws, TimePoint now) {
  for (Task& task : ws.tasks) {
    task.start = std::min(task.start, now);
    task.answer_at = std::min(task.answer_at, now);
    task.heartbeats_stop = std::min(task.heartbeats_stop, now);
    if (task.terminated_at && *task.terminated_at > now) {
      task.terminated_at.reset();
    }
  }
  ws.failed.erase(std::remove_if(ws.failed.begin(), ws.failed.end(),
                                 [&](const Window& w) { return w.from > now; }),
                  ws.failed.end());
  // 2026-08's records are written ahead: drop what had not happened yet.
  std::vector<ActivityRecord>& rows = ws.task_life.rows;
  rows.erase(std::remove_if(rows.begin(), rows.end(),
                            [&](const ActivityRecord& row) { return row.created > now; }),
             rows.end());
  for (ActivityRecord& row : rows) {
    if (row.completed_at && *row.completed_at > now) {
      if (!row.message_id.empty()) {
        FailTurnOnRemoval(ws, row, now);  // the held forward is cancelled with it
      } else {
        row.completed_at.reset();  // never completed: no response, no result
      }
    }
  }
  for (QueueItem& item : ws.task_life.queue) {
    if (item.completed > now) {
      if (item.dispatched > now) {
        item.dispatched = TimePoint::max();
      }
      item.completed = TimePoint::max();
      item.response_body.clear();
    }
  }
}

CoordinatorPlan InMemoryPlatform::PlanCoordinatorTask(int depth,
                                                      double heartbeat_phase_secs) const {
  return taskbounds::PlanCoordinatorTask(options_.scenario, options_.durations, depth,
                                         heartbeat_phase_secs);
}

BackendReply InMemoryPlatform::SendA2A(const std::string& id, const BackendRequest& request) {
  if (profile_->DetachesTasks()) {
    return SendA2A2026_08(id, request);
  }
  const auto started = Clock::now();
  A2ARequest call;
  if (!ParseA2ARequest(request.body, &call)) {
    return BackendReply::Error(400, "invalid JSON");
  }
  if (!IsUuid(id)) {
    return BackendReply::Error(500, "lookup failed");  // the DB rejects it
  }
  A2AStart start;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Workspace* ws = table_.Find(id);
    if (ws == nullptr) {
      return BackendReply::Error(404, "workspace not found");
    }
    start = StartA2ATask(*ws, call, started);
  }
  const std::string caller = request.Header("X-Workspace-ID");
  if (start.refused) {
    return LogA2A(call, caller, start, std::move(*start.refused), started, started);
  }
  const ShutdownLatch::Wake wake =
      shutdown_.SleepUntilOrStopped(start.answer_at, start.workspace_id);
  const auto answered = Clock::now();
  const bool interrupted = wake != ShutdownLatch::Wake::kDeadline && answered < start.answer_at;
  // Reply and activity row are built outside the lock: 64 calls finishing at the same
  // instant would otherwise queue behind each other's JSON work.
  ProxyAnswer reply = !interrupted ? TaskReply(start.plan, call, options_, *profile_)
                      : wake == ShutdownLatch::Wake::kShutdown ? ShutdownReply()
                                                               : ContainerStoppedReply();
  if (!FinishA2ATask(start, interrupted, answered)) {
    return BackendReply::Error(503, "workspace agent unreachable");  // purged meanwhile
  }
  return LogA2A(call, caller, start, std::move(reply), started, answered);
}

InMemoryPlatform::A2AStart InMemoryPlatform::StartA2ATask(Workspace& ws, const A2ARequest& call,
                                                          TimePoint started) {
  A2AStart start;
  start.workspace_id = ws.id;
  start.refused = RefuseA2A(lifecycle_.StatusAt(ws, started), InRestartAt(ws, started), call);
  if (start.refused) {
    return start;
  }
  // Decide how the task ends before it starts: the status function, the heartbeat
  // history and the reply all follow from this plan.
  if (options_.fixed_a2a_latency_ms >= 0) {
    start.answer_at =
        started + std::chrono::duration_cast<Clock::duration>(
                      std::chrono::duration<double, std::milli>(options_.fixed_a2a_latency_ms));
  } else {
    double phase = 0;
    const double interval = options_.durations.heartbeat_interval_secs;
    if (auto ready = LastReadyAt(ws, started); ready && interval > 0) {
      phase = std::fmod(clock_.PlatformSecs(started - *ready), interval);
    }
    start.plan = PlanCoordinatorTask(ParseDelegationDepth(call.task_text), phase);
    start.answer_at = started + clock_.Wall(start.plan.answer_after_secs);
  }
  Task task;
  task.start = started;
  task.answer_at = start.answer_at;
  task.heartbeats_stop = start.plan.bound == "idle_timeout"
                             ? started + clock_.Wall(start.plan.delegation_secs)
                             : TimePoint::max();
  if (start.plan.bound == "platform_ceiling") {
    task.terminated_at = start.answer_at;
    ws.failed.push_back({start.answer_at,
                         start.answer_at + clock_.Wall(options_.durations.terminated_status_secs)});
  }
  ws.tasks.push_back(task);
  start.task_index = ws.tasks.size() - 1;
  return start;
}

bool InMemoryPlatform::FinishA2ATask(const A2AStart& start, bool interrupted, TimePoint answered) {
  std::lock_guard<std::mutex> lock(mu_);
  Workspace* ws = table_.Find(start.workspace_id);
  if (ws == nullptr) {
    return false;
  }
  Task& ran = ws->tasks[start.task_index];
  ran.finished = true;
  if (interrupted) {
    // Shutdown() cut the task short: nothing after this moment happened.
    ran.answer_at = answered;
    if (ran.terminated_at && *ran.terminated_at > answered) {
      ran.terminated_at.reset();
      ws->failed.erase(std::remove_if(ws->failed.begin(), ws->failed.end(),
                                      [&](const Window& w) { return w.from == start.answer_at; }),
                       ws->failed.end());
    }
  }
  return true;
}

BackendReply InMemoryPlatform::LogA2A(const A2ARequest& call, const std::string& caller,
                                      const A2AStart& start, ProxyAnswer reply, TimePoint started,
                                      TimePoint answered) {
  const A2ACall logged{start.workspace_id, caller, call.method, &call.envelope, started, answered};
  const std::string row = A2AActivityRow(logged, reply.reply, reply.detail, clock_);
  std::lock_guard<std::mutex> lock(mu_);
  if (Workspace* ws = table_.Find(start.workspace_id)) {
    LogActivity(*ws, row, "a2a_receive", answered);
  }
  return std::move(reply.reply);
}

BackendReply InMemoryPlatform::HeartbeatHistory(const std::string& id,
                                                const BackendRequest& request) {
  if (!profile_->HasHeartbeatHistory(options_.scenario)) {
    return BackendReply::RouteNotFound();
  }
  if (!IsUuid(id)) {
    return BackendReply::Error(400, "invalid workspace ID");
  }
  const double since_secs = HeartbeatSinceSecs(request);
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  const Workspace* ws = table_.Find(id);
  if (ws == nullptr) {
    return BackendReply::Error(404, "workspace not found");
  }
  return BackendReply::Json(
      200, HeartbeatHistoryJson(*ws, lifecycle_, clock_, options_.durations.heartbeat_interval_secs,
                                since_secs, now));
}

BackendReply InMemoryPlatform::Activity(const std::string& id, const BackendRequest& request) {
  if (!IsUuid(id)) {
    return BackendReply::Error(400, "invalid workspace ID");
  }
  if (profile_->DetachesTasks()) {
    return Activity2026_08(id, request);
  }
  const int limit = ActivityLimit(request);
  const std::string type = request.Query("type").value_or("");
  std::lock_guard<std::mutex> lock(mu_);
  return BackendReply::Json(200, ActivityJson(table_.Find(id), limit, type));
}

// The agent-side registry routes (platform-api.md 4, 6.1, 6.2). No auth here: the platform
// checks a workspace token only once the workspace has one, and the fake mints none.
BackendReply InMemoryPlatform::RegistryRegister(const BackendRequest& request) {
  std::optional<RegistrationFields> registration = ParseRegistrationBody(request.body);
  if (!registration) {
    return BackendReply::Error(400, "invalid request body");
  }
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  Workspace* ws = table_.Find(registration->id);
  // The platform's upsert would insert a row for an unknown id; the fake does not invent
  // workspaces (they would escape leak accounting) and says so instead.
  if (ws == nullptr) {
    return BackendReply::Error(404, "workspace not found");
  }
  lifecycle_.Registered(ws, now, std::move(*registration));
  // platform-api.md gives no reply shape beyond the auth_token a first registration
  // carries, and the fake mints no tokens: a small acknowledgement of its own choosing.
  return BackendReply::Json(200, R"({"status":"registered"})");
}

BackendReply InMemoryPlatform::RegistryHeartbeat(const BackendRequest& request) {
  const std::optional<HeartbeatFields> heartbeat = ParseHeartbeatBody(request.body);
  if (!heartbeat) {
    return BackendReply::Error(400, "invalid request body");
  }
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  // An unknown id updates no row and a removed one is skipped; both still answer ok.
  if (Workspace* ws = table_.Find(heartbeat->workspace_id)) {
    lifecycle_.Heartbeat(ws, now, *heartbeat, profile_->HeartbeatRevivesFailed());
  }
  return BackendReply::Json(200, R"({"status":"ok"})");
}

std::vector<std::string> InMemoryPlatform::LiveWorkspaceIds() {
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> ids = table_.LiveIdsAt(now);
  // The platform root is the platform's own, not a client's: never a leak.
  ids.erase(
      std::remove_if(ids.begin(), ids.end(),
                     [this](const std::string& id) { return IsPlatformRoot(*table_.Find(id)); }),
      ids.end());
  return ids;
}

void InMemoryPlatform::Shutdown() {
  shutdown_.Shutdown();
  bus_.Close();  // event streams end
}

std::optional<std::string> InMemoryPlatform::StatusOf(const std::string& id) {
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  const Workspace* ws = table_.Find(id);
  if (ws == nullptr) {
    return std::nullopt;
  }
  return lifecycle_.StatusAt(*ws, now);
}

std::optional<std::string> InMemoryPlatform::SecretOf(const std::string& id,
                                                      const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  const Workspace* ws = table_.Find(id);
  if (ws == nullptr) {
    return std::nullopt;
  }
  auto it = ws->secrets.find(key);
  if (it == ws->secrets.end()) {
    return std::nullopt;
  }
  return it->second;
}

}  // namespace taskbounds
