#include "mocks/agent/synthetic_agent.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <utility>

#include "httplib.h"
#include "mocks/agent/a2a_call.h"

namespace taskbounds {

// One held kickoff, shared by the handler and (headers at once) httplib's content provider
// and its releaser, whichever ends it first.
struct SyntheticAgent::HeldTask {
  std::uint64_t sequence = 0;
  int connection_fd = -1;             // polled for the caller's hang-up; -1: it cannot be seen
  std::optional<AgentTime> deadline;  // nullopt: until the caller hangs up
  std::string rpc_id_json;
  std::string message_id;
  std::string context_id;
  bool redispatch = false;
  std::atomic<bool> headers_sent{false};
  std::atomic<bool> finished{false};
};

namespace {

// What a caller that is not the platform must send when the inbound secret is set.
constexpr char kRefusal[] =
    "missing or wrong inbound secret: send Authorization: Bearer <platform_inbound_secret>, "
    "the secret POST /registry/register returned";

// Milliseconds poll() should wait to reach `deadline`, rounded up so a hold never ends early;
// -1 (for ever) without a deadline.
int PollTimeoutMs(const std::optional<AgentTime>& deadline) {
  if (!deadline) {
    return -1;
  }
  const auto left = *deadline - std::chrono::steady_clock::now();
  if (left <= AgentTime::duration::zero()) {
    return 0;
  }
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
  return static_cast<int>(std::min<long long>(ms, INT_MAX));
}

}  // namespace

std::unique_ptr<SyntheticAgent> SyntheticAgent::Start(SyntheticAgentOptions options,
                                                      std::string* error) {
  std::string why = CheckBehaviour(options.behaviour, options.time_scale);
  if (why.empty() && options.worker_threads < 2) {
    why = "the agent needs at least 2 worker threads (a probe is served while a kickoff is held)";
  }
  if (!why.empty()) {
    *error = "synthetic agent: " + why;
    return nullptr;
  }
  std::unique_ptr<SyntheticAgent> agent(new SyntheticAgent(std::move(options)));
  why = agent->Begin();
  if (!why.empty()) {
    *error = "synthetic agent: " + why;
    return nullptr;
  }
  return agent;
}

SyntheticAgent::SyntheticAgent(SyntheticAgentOptions options)
    : options_(std::move(options)),
      clock_(options_.time_scale),
      start_(std::chrono::steady_clock::now()),

      server_([this] {
        LoopbackServerOptions server;
        server.host = options_.host;
        server.port = options_.port;
        server.worker_threads = options_.worker_threads;
        return server;
      }()),
      inbound_secret_(options_.behaviour.inbound_secret) {}

SyntheticAgent::~SyntheticAgent() {
  Stop();
  for (int fd : {wake_read_, wake_write_}) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
}

std::string SyntheticAgent::Begin() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    return std::string("cannot make its wake-up pipe: ") + std::strerror(errno);
  }
  wake_read_ = fds[0];
  wake_write_ = fds[1];
  RegisterRoutes();
  const StartResult started = server_.Start();
  if (!started.ok()) {
    return started.error;
  }
  if (options_.behaviour.heartbeat.interval_secs > 0) {
    if (std::string error = StartHeartbeats(options_.behaviour.heartbeat); !error.empty()) {
      server_.Stop();
      return error;
    }
  }
  return "";
}

void SyntheticAgent::RegisterRoutes() {
  const auto card = [this](const httplib::Request& req, httplib::Response& res) {
    ServeCard(req, res);
  };
  // agent-card.json is A2A v0.3's well-known path; agent.json the older one clients still try.
  server_.Handle("GET", R"(/\.well-known/agent-card\.json)", card);
  server_.Handle("GET", R"(/\.well-known/agent\.json)", card);
  // The platform POSTs to exactly the URL it was given, path and all
  // (external-workspaces-2026-08.md 1.1), so every path takes JSON-RPC.
  server_.Handle("POST", ".*", [this](const httplib::Request& req, httplib::Response& res) {
    HandleCall(req, res);
  });
  server_.HandleEveryMethod(
      ".*", [this](const httplib::Request& req, httplib::Response& res) { HandleStray(req, res); });
  // The platform's request cap (platform-api-2026-08.md section 4: 16 MiB).
  server_.http().set_payload_max_length(16u << 20);
}

std::string SyntheticAgent::SetInboundSecret(const std::string& secret) {
  if (secret.find_first_of("\r\n") != std::string::npos) {
    return "the inbound secret contains a line break";
  }
  std::lock_guard<std::mutex> lock(secret_mu_);
  inbound_secret_ = secret;
  return "";
}

std::string SyntheticAgent::StartHeartbeats(const HeartbeatSettings& settings) {
  AgentBehaviour check;
  check.heartbeat = settings;
  std::string error = CheckBehaviour(check, options_.time_scale);
  if (error.empty() && settings.interval_secs <= 0) {
    error = "heartbeats need an interval > 0 platform seconds";
  }
  std::lock_guard<std::mutex> lock(stop_mu_);
  if (error.empty() && (stopped_ || heartbeats_)) {
    error = stopped_ ? "the agent has stopped" : "the agent already sends heartbeats";
  }
  if (!error.empty()) {
    return error;
  }
  HeartbeatLoop::Hooks hooks;
  hooks.active_tasks = [this] { return held_tasks_.load(); };
  hooks.sent = [this](AgentHeartbeat heartbeat) {
    const AgentHeartbeat stored = records_.AddHeartbeat(std::move(heartbeat));
    if (options_.observer) {
      options_.observer("agent_heartbeat", AgentHeartbeatJson(stored, clock_, start_));
    }
  };
  heartbeats_ = HeartbeatLoop::Start(settings, clock_, start_, std::move(hooks), &error);
  return error;
}

std::string SyntheticAgent::Stop() {
  std::lock_guard<std::mutex> lock(stop_mu_);
  if (stopped_) {
    return "";
  }
  stopped_ = true;
  if (wake_write_ >= 0) {
    const char byte = 1;
    while (::write(wake_write_, &byte, 1) < 0 && errno == EINTR) {
    }
  }
  if (heartbeats_) {
    heartbeats_->Stop();
  }
  std::string error = server_.Stop();  // joins the workers: every hold has returned
  records_.Close();
  return error;
}

int SyntheticAgent::port() const { return server_.port(); }

std::string SyntheticAgent::url(std::string_view path) const { return server_.url(path); }

std::string SyntheticAgent::AgentCardJson() const {
  return AgentCardBody(options_.name, options_.card_url.empty() ? url("/") : options_.card_url);
}

double SyntheticAgent::PlatformSecsAt(AgentTime at) const {
  return clock_.PlatformSecs(at - start_);
}

std::optional<AgentRequest> SyntheticAgent::WaitForRequest(const RequestMatch& match,
                                                           AgentTime deadline) const {
  return records_.WaitForRequest(match, deadline);
}

std::optional<AgentRequest> SyntheticAgent::WaitForEnd(std::uint64_t sequence,
                                                       AgentTime deadline) const {
  return records_.WaitForRequest(
      [sequence](const AgentRequest& r) { return r.sequence == sequence && r.ended(); }, deadline);
}

std::optional<AgentHeartbeat> SyntheticAgent::WaitForHeartbeat(const HeartbeatMatch& match,
                                                               AgentTime deadline) const {
  return records_.WaitForHeartbeat(match, deadline);
}

AgentRequest SyntheticAgent::ArrivalRecord(const httplib::Request& req) const {
  AgentRequest record;
  record.arrived_at = std::chrono::steady_clock::now();
  record.http_method = req.method;
  record.path = req.path;
  if (req.has_header("Authorization")) {
    const std::string secret = InboundSecret();
    const bool is_secret =
        !secret.empty() && req.get_header_value("Authorization") == "Bearer " + secret;
    record.auth = is_secret ? CallerAuth::kInboundSecret : CallerAuth::kOther;
  }
  return record;
}

std::string SyntheticAgent::InboundSecret() const {
  std::lock_guard<std::mutex> lock(secret_mu_);
  return inbound_secret_;
}

AgentRequest SyntheticAgent::Arrive(AgentRequest record) {
  AgentRequest stored = records_.Add(std::move(record));
  Observe("agent_request", stored);
  return stored;
}

void SyntheticAgent::Observe(const char* event, const AgentRequest& record) const {
  if (options_.observer) {
    options_.observer(event, AgentRequestJson(record, clock_, start_));
  }
}

void SyntheticAgent::AnswerAtOnce(AgentRequest record, httplib::Response& res, int status,
                                  const std::string& body, const char* reply) {
  const AgentRequest stored = Arrive(std::move(record));
  res.status = status;
  res.set_content(body, "application/json");
  const auto ended = records_.Update(stored.sequence, [&](AgentRequest& r) {
    r.headers_sent_at = r.ended_at = std::chrono::steady_clock::now();
    r.end = RequestEnd::kAnswered;
    r.status = status;
    r.reply = reply;
  });
  if (ended) {
    Observe("agent_request_ended", *ended);
  }
}

void SyntheticAgent::HandleCall(const httplib::Request& req, httplib::Response& res) {
  AgentRequest record = ArrivalRecord(req);
  const A2ACall call = ParseA2ACall(req.body);
  record.rpc_method = call.method;
  record.message_id = call.message_id;
  record.context_id = call.context_id;
  record.source_type = call.source_type;
  record.text_head = SafeUtf8Prefix(call.text, kTextHeadBytes);
  if (!InboundSecret().empty() && record.auth != CallerAuth::kInboundSecret) {
    record.kind = RequestKind::kRefused;
    AnswerAtOnce(std::move(record), res, 401, FlatErrorBody(kRefusal), "unauthorized");
    return;
  }
  if (call.rpc_error != 0) {
    record.kind = RequestKind::kInvalid;
    AnswerAtOnce(std::move(record), res, 200,
                 RpcErrorBody(call.rpc_id_json, call.rpc_error, call.error), "rpc_error");
    return;
  }
  record.dispatch = records_.CountDispatch(call.message_id);
  record.redispatch = record.dispatch > 1;
  if (IsStallProbe(call)) {
    // The watchdog only needs an answer, and at once: it is a turn of its own beside the
    // held task (platform-api-2026-08.md section 6 item 4).
    record.kind = RequestKind::kStallProbe;
    const std::string text = "Liveness check answered: alive, holding " +
                             std::to_string(held_tasks_.load()) + " task(s)";
    AnswerAtOnce(std::move(record), res, 200,
                 RpcResultBody(call.rpc_id_json, text, call.context_id), "probe_result");
    return;
  }
  record.kind = RequestKind::kKickoff;
  Hold(req, res, std::move(record), call);
}

void SyntheticAgent::ServeCard(const httplib::Request& req, httplib::Response& res) {
  AgentRequest record = ArrivalRecord(req);
  record.kind = RequestKind::kAgentCard;
  AnswerAtOnce(std::move(record), res, 200, AgentCardJson(), "agent_card");
}

void SyntheticAgent::HandleStray(const httplib::Request& req, httplib::Response& res) {
  AgentRequest record = ArrivalRecord(req);
  record.kind = RequestKind::kOther;
  AnswerAtOnce(std::move(record), res, 404,
               FlatErrorBody("no route " + SafeUtf8Prefix(req.method + " " + req.path, 200) +
                             ": the agent serves JSON-RPC message/send by POST and its card at "
                             "GET /.well-known/agent-card.json"),
               "not_found");
}

void SyntheticAgent::Hold(const httplib::Request& req, httplib::Response& res, AgentRequest record,
                          const A2ACall& call) {
  const AgentBehaviour& behaviour = options_.behaviour;
  auto task = std::make_shared<HeldTask>();
  task->rpc_id_json = call.rpc_id_json;
  task->message_id = call.message_id;
  task->context_id = call.context_id;
  task->redispatch = record.redispatch;
  const bool at_once = record.redispatch && behaviour.redispatch == RedispatchRule::kAnswerAtOnce;
  if (at_once) {
    const char* reply = behaviour.reply == ReplyKind::kAgentError ? "agent_error" : "result";
    AnswerAtOnce(std::move(record), res, 200, KickoffReply(*task, 0), reply);
    return;
  }
  record.held = true;
  if (behaviour.hold_secs) {
    task->deadline = record.arrived_at + clock_.Wall(*behaviour.hold_secs);
  }
  // Counted before the record is visible: whoever sees the arrival sees the task held.
  ++held_tasks_;
  task->sequence = Arrive(std::move(record)).sequence;
  task->connection_fd = server_.ConnectionFd(req);
  if (behaviour.headers == HeaderTiming::kAtOnce) {
    HoldWithHeadersAtOnce(task, res);
    return;
  }
  switch (WaitOut(*task)) {
    case HoldOutcome::kElapsed:
      res.status = 200;
      res.set_content(KickoffReply(*task, behaviour.hold_secs.value_or(0)), "application/json");
      Finish(*task, RequestEnd::kAnswered, 200);
      break;
    case HoldOutcome::kStopped:
      // The server shuts the connection as it stops; this answer rarely reaches anyone.
      res.status = 503;
      res.set_content(FlatErrorBody("synthetic agent stopped before the task's end"),
                      "application/json");
      Finish(*task, RequestEnd::kAgentStopped, 503);
      break;
    case HoldOutcome::kCallerHungUp:
      Finish(*task, RequestEnd::kCallerHungUp, 0);
      break;
  }
}

void SyntheticAgent::HoldWithHeadersAtOnce(const std::shared_ptr<HeldTask>& task,
                                           httplib::Response& res) {
  res.status = 200;
  // httplib writes the status line and headers, then calls the provider: the headers are on
  // the wire (TCP_NODELAY) while the provider holds the task.
  res.set_chunked_content_provider(
      "application/json",
      [this, task](std::size_t, httplib::DataSink& sink) {
        MarkHeadersSent(*task);
        const HoldOutcome outcome = WaitOut(*task);
        if (outcome != HoldOutcome::kElapsed) {
          Finish(*task,
                 outcome == HoldOutcome::kStopped ? RequestEnd::kAgentStopped
                                                  : RequestEnd::kCallerHungUp,
                 200);
          return false;  // httplib closes the connection: the body stays unfinished
        }
        const std::string body = KickoffReply(*task, options_.behaviour.hold_secs.value_or(0));
        const bool written = sink.write(body.data(), body.size());
        if (written) {
          sink.done();
        }
        Finish(*task, written ? RequestEnd::kAnswered : RequestEnd::kCallerHungUp, 200);
        return written;
      },
      // Runs when the response is destroyed: a no-op after the provider finished the task;
      // otherwise the headers could not be written, so the caller had already gone.
      [this, task](bool) { Finish(*task, RequestEnd::kCallerHungUp, 0); });
}

SyntheticAgent::HoldOutcome SyntheticAgent::WaitOut(const HeldTask& task) const {
  pollfd watch[2] = {{wake_read_, POLLIN, 0}, {task.connection_fd, POLLRDHUP, 0}};
  // POLLRDHUP alone on the connection: a caller that sends more bytes (it should not) must
  // not make poll() return at once for ever; a hang-up also raises POLLHUP or POLLERR.
  const nfds_t count = task.connection_fd >= 0 ? 2 : 1;
  while (true) {
    const int ready = ::poll(watch, count, PollTimeoutMs(task.deadline));
    if (ready < 0 && errno != EINTR) {
      return HoldOutcome::kStopped;  // cannot wait: end the hold rather than spin
    }
    if (ready > 0 && watch[0].revents != 0) {
      return HoldOutcome::kStopped;
    }
    if (ready > 0 && (watch[1].revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0) {
      return HoldOutcome::kCallerHungUp;
    }
    if (task.deadline && std::chrono::steady_clock::now() >= *task.deadline) {
      return HoldOutcome::kElapsed;
    }
  }
}

std::string SyntheticAgent::KickoffReply(const HeldTask& task, double held_secs) const {
  const AgentBehaviour& behaviour = options_.behaviour;
  const std::string what = "task " + SafeUtf8Prefix(task.message_id, 200) + " after " +
                           FormatPlatformSecs(held_secs) + " platform seconds" +
                           (task.redispatch ? " (a re-dispatched copy)" : "");
  const std::string text =
      behaviour.reply == ReplyKind::kAgentError
          ? "Agent error (" + behaviour.error_tag + "): synthetic failure of " + what
          : "Synthetic coordinator finished " + what + ".";
  return RpcResultBody(task.rpc_id_json, text, task.context_id);
}

void SyntheticAgent::MarkHeadersSent(HeldTask& task) {
  if (!task.headers_sent.exchange(true)) {
    static_cast<void>(records_.Update(task.sequence, [](AgentRequest& r) {
      r.headers_sent_at = std::chrono::steady_clock::now();
    }));
  }
}

void SyntheticAgent::Finish(HeldTask& task, RequestEnd end, int status) {
  if (task.finished.exchange(true)) {
    return;
  }
  --held_tasks_;
  const char* reply = end != RequestEnd::kAnswered                         ? ""
                      : options_.behaviour.reply == ReplyKind::kAgentError ? "agent_error"
                                                                           : "result";
  const auto ended = records_.Update(task.sequence, [&](AgentRequest& r) {
    const AgentTime now = std::chrono::steady_clock::now();
    r.ended_at = now;
    r.end = end;
    r.status = status;
    r.reply = reply;
    if (end == RequestEnd::kCallerHungUp) {
      r.hung_up_at = now;
    }
    if (end == RequestEnd::kAnswered && !r.headers_sent_at) {
      r.headers_sent_at = now;  // headers at the end: with the body
    }
  });
  if (ended) {
    Observe("agent_request_ended", *ended);
  }
}

}  // namespace taskbounds
