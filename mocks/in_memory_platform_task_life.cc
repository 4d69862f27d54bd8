// InMemoryPlatform's 2026-08 task life (platform-api-2026-08.md sections 4-6): bearer-only
// A2A, the sync budget's queued answer with the turn going on detached, the message-keyed
// a2a_receive row completed in place, GET /activity's cursor, the event stream, queue items,
// the boot turn, and the platform's actions the coordinator model plans (PlanTask2026_08).
// A kickoff's whole turn is planned when it arrives and written ahead, each row, event and
// window with the instant it happens: nothing runs on a timer.
#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "mocks/in_memory_platform.h"
#include "mocks/platform/activity_log.h"
#include "mocks/platform/json_util.h"
#include "mocks/platform/queue.h"
#include "mocks/platform/watchdog.h"

namespace taskbounds {
namespace {

// A heartbeat stream longer than this many beats is cut (a turn of days at a 30 s beat).
constexpr int kMaxPlannedHeartbeats = 2000;

// The stream's body: the bus's events as server-sent events, until the bus closes.
class BusStream : public ReplyStream {
 public:
  explicit BusStream(std::unique_ptr<EventBus::Subscription> subscription)
      : subscription_(std::move(subscription)) {}
  bool Next(std::chrono::steady_clock::time_point deadline, std::string* chunk) override {
    BusEvent event;
    switch (subscription_->Next(deadline, &event)) {
      case EventBus::Wait::kEvent:
        *chunk += SseFrame(event);
        return true;
      case EventBus::Wait::kDeadline:
        return true;
      case EventBus::Wait::kClosed:
        break;
    }
    return false;
  }

 private:
  std::unique_ptr<EventBus::Subscription> subscription_;
};

// The a2a_receive row a message/send writes at receipt (H/a2a_proxy_helpers.go:1422-1503).
ActivityRecord IngestRow(const A2ARequest& call, const std::string& caller_id,
                         const std::string& workspace_name, TimePoint received) {
  ActivityRecord row;
  row.id = NewUuid();
  row.activity_type = "a2a_receive";
  row.method = call.method;
  row.summary = call.method + " \xE2\x86\x92 " + workspace_name + " (ingest)";
  if (!caller_id.empty()) {
    row.source_id = caller_id;
  }
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  call.envelope.Accept(w);
  row.request_body = buffer.GetString();
  const rapidjson::Value& params = call.envelope["params"];
  if (call.has_message && params["message"].HasMember("messageId") &&
      params["message"]["messageId"].IsString()) {
    row.message_id = params["message"]["messageId"].GetString();
  }
  row.created = received;
  return row;
}

// A reply body the row can hold (every reply here is a JSON object), else "".
std::string RowBody(const BackendReply& reply) {
  return !reply.body.empty() && reply.body.front() == '{' ? reply.body : "";
}

std::int64_t PlatformMs(const SimClock& clock, SimClock::Clock::duration wall) {
  return static_cast<std::int64_t>(std::llround(clock.PlatformSecs(wall) * 1000));
}

std::string ResponseEventJson(const ActivityRecord& row, std::int64_t duration_ms) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("response_body");
  w.RawValue(row.response_body.data(), row.response_body.size(), rapidjson::kObjectType);
  w.Key("method");
  WriteString(w, row.method);
  w.Key("duration_ms");
  w.Int64(duration_ms);
  w.Key("message_id");
  WriteString(w, row.message_id);
  w.EndObject();
  return buffer.GetString();
}

}  // namespace

std::optional<std::string> InMemoryPlatform::WorkspaceOfToken(
    const std::optional<std::string>& bearer, TimePoint now) {
  if (!bearer || bearer->empty()) {
    return std::nullopt;
  }
  for (const std::string& id : table_.LiveIdsAt(now)) {
    const Workspace* ws = table_.Find(id);
    if (ws != nullptr && !ws->auth_token.empty() && ws->auth_token == *bearer) {
      return ws->id;
    }
  }
  return std::nullopt;
}

BackendReply InMemoryPlatform::SendA2A2026_08(const std::string& id,
                                              const BackendRequest& request) {
  const auto started = Clock::now();
  const std::optional<std::string> bearer = BearerToken(request);
  A2ARequest call;
  Turn turn;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const std::optional<std::string> token_owner = WorkspaceOfToken(bearer, started);
    const A2ACaller caller =
        ClassifyA2ACaller(bearer, options_.admin_token, token_owner.has_value());
    if (auto refused = RefuseA2ACaller(caller)) {
      return *refused;
    }
    // A workspace token makes the caller that workspace (not canvas-class).
    std::string caller_id = request.Header("X-Workspace-ID");
    if (token_owner) {
      if (!caller_id.empty() && LowerId(caller_id) != *token_owner) {
        return BackendReply::Error(401, "caller ID does not match workspace auth token");
      }
      caller_id = *token_owner;
    }
    if (!ParseA2ARequest(request.body, &call)) {
      return BackendReply::Error(400, "invalid A2A body");
    }
    Workspace* ws = IsUuid(id) ? table_.Find(id) : nullptr;
    if (ws == nullptr) {
      return BackendReply::Error(404, "workspace not found");
    }
    turn = StartTurn(*ws, call, caller, caller_id, started);
  }
  if (turn.answer_now) {
    return std::move(*turn.answer_now);
  }
  const TimePoint budget_ends = started + clock_.Wall(options_.durations.sync_budget_secs);
  const TimePoint answer_at = turn.waits_whole_turn ? turn.end : std::min(turn.end, budget_ends);
  const ShutdownLatch::Wake wake = shutdown_.SleepUntilOrStopped(answer_at, turn.workspace_id);
  if (wake == ShutdownLatch::Wake::kStopped && Clock::now() < answer_at) {
    return ContainerStoppedReply().reply;  // the delete already cancelled what was planned
  }
  if (wake == ShutdownLatch::Wake::kShutdown && Clock::now() < answer_at) {
    bus_.CancelAfter(turn.workspace_id, Clock::now());
    return ShutdownReply().reply;
  }
  return answer_at >= turn.end ? std::move(turn.reply.reply) : SyncBudgetQueuedReply();
}

InMemoryPlatform::Turn InMemoryPlatform::StartTurn(Workspace& ws, const A2ARequest& call,
                                                   A2ACaller caller, const std::string& caller_id,
                                                   TimePoint started) {
  Turn turn;
  turn.workspace_id = ws.id;
  if (auto refused = RefuseA2A(lifecycle_.StatusAt(ws, started), InRestartAt(ws, started), call)) {
    ActivityRecord row = IngestRow(call, caller_id, ws.name, started);
    row.completed_at = started;
    row.response_body = RowBody(refused->reply);
    row.status = refused->detail.empty() ? "ok" : "error";
    row.error_detail = refused->detail;
    LogRow(ws, std::move(row));
    turn.answer_now = std::move(refused->reply);
    return turn;
  }
  // The platform's boot turn holds the gate for boot_turn_secs after each online.
  TimePoint dispatch = started;
  const std::optional<TimePoint> ready = LastReadyAt(ws, started);
  const auto boot = clock_.Wall(options_.durations.boot_turn_secs);
  if (ready && boot.count() > 0 && started < *ready + boot) {
    dispatch = *ready + boot;
  }
  const TaskPlan2026_08 plan = PlanTurn(ws, call, dispatch);
  turn.reply = TurnReply2026_08(plan, call, options_, *profile_);
  turn.end = dispatch + clock_.Wall(plan.end_secs);
  turn.waits_whole_turn = caller == A2ACaller::kWorkspace || options_.sync_budget_disabled;
  RecordTurn(ws, call, caller_id, plan, turn, started, dispatch);
  if (dispatch > started) {
    QueueItem item{NewUuid(), started, dispatch, turn.end, RowBody(turn.reply.reply)};
    turn.answer_now = BootGateQueuedReply(item.id, 1);
    ws.task_life.queue.push_back(std::move(item));
  }
  return turn;
}

TaskPlan2026_08 InMemoryPlatform::PlanTurn(const Workspace& ws, const A2ARequest& call,
                                           TimePoint dispatch) const {
  double phase = 0;
  const double interval = options_.durations.heartbeat_interval_secs;
  if (auto ready = LastReadyAt(ws, dispatch); ready && interval > 0) {
    phase = std::fmod(clock_.PlatformSecs(dispatch - *ready), interval);
  }
  const int depth = ParseDelegationDepth(call.task_text);
  if (options_.fixed_a2a_latency_ms >= 0) {
    TaskPlan2026_08 plan = PlanTask2026_08(Scenario::kUnbounded, options_.durations, depth, phase);
    plan.end_secs = clock_.PlatformSecs(std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double, std::milli>(options_.fixed_a2a_latency_ms)));
    return plan;
  }
  return PlanTask2026_08(options_.scenario, options_.durations, depth, phase);
}

void InMemoryPlatform::RecordTurn(Workspace& ws, const A2ARequest& call,
                                  const std::string& caller_id, const TaskPlan2026_08& plan,
                                  const Turn& turn, TimePoint started, TimePoint dispatch) {
  // An idle-cancelled turn is re-dispatched with the same body; that copy's completion is
  // what finally fills the message-keyed row (without duration_ms, H/a2a_queue.go).
  TaskPlan2026_08 rerun = plan;
  rerun.ending = TaskEnding::kCompleted;
  const ProxyAnswer completed = TurnReply2026_08(rerun, call, options_, *profile_);
  ActivityRecord row = IngestRow(call, caller_id, ws.name, started);
  if (plan.ending == TaskEnding::kCancelled) {
    row.completed_at = dispatch + clock_.Wall(plan.actions.back().at_secs);
    row.response_body = RowBody(completed.reply);
  } else {
    row.completed_at = turn.end;
    row.response_body = RowBody(turn.reply.reply);
    row.status = turn.reply.detail.empty() ? "ok" : "error";
    row.error_detail = turn.reply.detail;
    row.duration_ms = PlatformMs(clock_, turn.end - started);
  }
  if (plan.ending == TaskEnding::kCompleted || plan.ending == TaskEnding::kAgentError) {
    bus_.Publish(ws.id, "A2A_RESPONSE", ResponseEventJson(row, *row.duration_ms), turn.end);
  }
  LogRow(ws, std::move(row));
  for (const TaskAction& action : plan.actions) {
    RecordAction(ws, action, plan, completed, dispatch);
  }
  if (plan.mechanism == TaskMechanism::kAgentIdleCap) {
    // The runtime reports the failed turn: the PM reads degraded for a while (section 6
    // item 7), the turn already over.
    ws.degraded.push_back(
        {turn.end, turn.end + clock_.Wall(options_.durations.degraded_after_error_secs)});
  }
  if (plan.ending == TaskEnding::kTerminated) {
    ws.failed.push_back(
        {turn.end, turn.end + clock_.Wall(options_.durations.terminated_status_secs)});
  }
  Task task;
  task.start = dispatch;
  task.answer_at = turn.end;
  if (plan.ending == TaskEnding::kTerminated) {
    task.terminated_at = turn.end;  // the heartbeat history's "terminated" entry
  }
  task.heartbeats_stop = std::isinf(plan.heartbeats_stop_secs)
                             ? TimePoint::max()
                             : dispatch + clock_.Wall(plan.heartbeats_stop_secs);
  ws.tasks.push_back(task);
  PublishHeartbeats(ws, plan, dispatch, turn.end);
}

void InMemoryPlatform::RecordAction(Workspace& ws, const TaskAction& action,
                                    const TaskPlan2026_08& plan, const ProxyAnswer& completed,
                                    TimePoint dispatch) {
  const TimePoint at = dispatch + clock_.Wall(action.at_secs);
  const auto restart_ends = at + clock_.Wall(options_.durations.restart_secs);
  switch (action.kind) {
    case TaskActionKind::kWatchdogProbe:
      LogRow(ws, WatchdogRow(WatchdogAction::kProbe, at, options_.durations));
      break;
    case TaskActionKind::kWatchdogRestart:
      LogRow(ws, WatchdogRow(WatchdogAction::kRestart, at, options_.durations));
      ws.provisioning.push_back({at, restart_ends});  // a soft restart (RestartByID)
      break;
    case TaskActionKind::kOffline:
      ws.task_life.offline.push_back({at, restart_ends});
      bus_.Publish(ws.id, "WORKSPACE_OFFLINE", R"({"reason":"liveness lost"})", at);
      break;
    case TaskActionKind::kBackOnline:
      bus_.Publish(ws.id, "WORKSPACE_ONLINE", "{}", at);
      break;
    case TaskActionKind::kIdleCancel: {
      // A separate, non-keyed row (H/a2a_proxy_helpers.go:712-735) and a queue item.
      ActivityRecord busy;
      busy.id = NewUuid();
      busy.activity_type = "a2a_receive";
      busy.method = "message/send";
      busy.summary = "message/send \xE2\x86\x92 " + ws.name + " (queued: target busy)";
      busy.created = at;
      busy.completed_at = at;
      busy.duration_ms = static_cast<std::int64_t>(std::llround(action.at_secs * 1000));
      LogRow(ws, std::move(busy));
      const TimePoint again = at + clock_.Wall(options_.durations.queue_sweep_secs);
      ws.task_life.queue.push_back(
          {NewUuid(), at, again, again + clock_.Wall(plan.natural_secs), RowBody(completed.reply)});
      break;
    }
    case TaskActionKind::kRedispatch:  // the queue item above says when
    case TaskActionKind::kRedispatchDone:
      break;
  }
}

void InMemoryPlatform::PublishHeartbeats(const Workspace& ws, const TaskPlan2026_08& plan,
                                         TimePoint dispatch, TimePoint end) {
  const double interval = options_.durations.heartbeat_interval_secs;
  const std::optional<TimePoint> ready = LastReadyAt(ws, dispatch);
  if (interval <= 0 || !ready) {
    return;
  }
  const double stop = std::min(plan.heartbeats_stop_secs, clock_.PlatformSecs(end - dispatch));
  // Beats keep the phase they have had since the agent registered.
  const double phase = std::fmod(clock_.PlatformSecs(dispatch - *ready), interval);
  int beats = 0;
  for (double t = interval - phase; t < stop && beats < kMaxPlannedHeartbeats;
       t += interval, ++beats) {
    const TimePoint at = dispatch + clock_.Wall(t);
    const auto uptime = static_cast<std::int64_t>(clock_.PlatformSecs(at - *ready));
    bus_.Publish(ws.id, "WORKSPACE_HEARTBEAT",
                 R"({"active_tasks":1,"uptime_seconds":)" + std::to_string(uptime) + "}", at);
  }
}

void InMemoryPlatform::LogRow(Workspace& ws, ActivityRecord row) {
  const ActivityRecord& stored = AppendRow(ws.task_life, std::move(row));
  bus_.Publish(ws.id, "ACTIVITY_LOGGED", ActivityRowJson(stored, ws.id, stored.created, true),
               stored.created);
  if (stored.completed_at && *stored.completed_at > stored.created) {
    bus_.Publish(ws.id, "ACTIVITY_LOGGED",
                 ActivityRowJson(stored, ws.id, *stored.completed_at, true), *stored.completed_at);
  }
}

void InMemoryPlatform::FailTurnOnRemoval(Workspace& ws, ActivityRecord& row, TimePoint now) {
  row.completed_at = now;
  row.response_body.clear();
  row.status = "error";
  row.error_detail = "context canceled";
  row.duration_ms = PlatformMs(clock_, now - row.created);
  bus_.Publish(ws.id, "ACTIVITY_LOGGED", ActivityRowJson(row, ws.id, now, true), now);
}

BackendReply InMemoryPlatform::Activity2026_08(const std::string& id,
                                               const BackendRequest& request) {
  BackendReply error;
  const std::optional<ActivityQuery> query = ParseActivityQuery(request, &error);
  if (!query) {
    return error;
  }
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  const Workspace* ws = table_.Find(id);
  if (ws == nullptr) {
    return BackendReply::Json(200, "[]");
  }
  return ActivityRowsReply(*ws, *query, now, clock_);
}

BackendReply InMemoryPlatform::EventStream(const std::string& id,
                                           const BackendRequest& /*request*/) {
  if (!profile_->DetachesTasks()) {
    return BackendReply::RouteNotFound();
  }
  if (!IsUuid(id)) {
    return BackendReply::Error(400, "invalid workspace ID");
  }
  const auto now = Clock::now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (table_.Find(id) == nullptr) {
      return BackendReply::Error(404, "workspace not found");
    }
  }
  BackendReply reply;
  reply.content_type = "text/event-stream";
  reply.headers.emplace_back("Cache-Control", "no-cache");
  reply.stream = std::make_shared<BusStream>(bus_.Subscribe(LowerId(id), now));
  return reply;
}

BackendReply InMemoryPlatform::A2AQueueItem(const std::string& id, const std::string& queue_id) {
  if (!profile_->DetachesTasks()) {
    return BackendReply::RouteNotFound();
  }
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  const Workspace* ws = IsUuid(id) ? table_.Find(id) : nullptr;
  if (ws == nullptr) {
    return BackendReply::Error(404, "workspace not found");
  }
  for (const QueueItem& item : ws->task_life.queue) {
    if (item.id == queue_id) {
      return QueueItemReply(item, ws->id, now);
    }
  }
  return QueueItemNotFound();
}

}  // namespace taskbounds
