// SyntheticAgent: the suite's own coordinator, an A2A server (JSON-RPC message/send over
// cpp-httplib) whose task the experiment sets (DESIGN.md "The controlled experiment"). The
// probe driver registers it with a platform as an external workspace and kicks it off through
// the platform's proxy; the agent holds each kickoff exactly as told and records what reached
// it, so each of the platform's bounds is seen from the agent's side too.
//
//   SyntheticAgentOptions options;
//   options.time_scale = 0.001;                       // wall seconds per platform second
//   options.behaviour.hold_secs = std::nullopt;        // hold until the platform cuts it
//   options.behaviour.headers = HeaderTiming::kAtOnce;
//   std::string error;
//   auto agent = SyntheticAgent::Start(options, &error);   // null: `error` says why
//   ... give the platform agent->url("/") ...
//   auto kickoff = agent->WaitForRequest(
//       [](const AgentRequest& r) { return r.kind == RequestKind::kKickoff; }, deadline);
//   if (!kickoff) { ... nothing arrived by the deadline ... }
//   auto ended = agent->WaitForEnd(kickoff->sequence, deadline);
//   agent->Stop();
//
// Requests are served concurrently (one worker each): a stall probe, a re-dispatched kickoff
// or an agent-card fetch is answered while a kickoff is held. A held request ends when its
// hold elapses, when its caller hangs up (seen at once, headers sent or not), or when the
// agent stops; each end is recorded with its time.
#ifndef MOCKS_AGENT_SYNTHETIC_AGENT_H_
#define MOCKS_AGENT_SYNTHETIC_AGENT_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mocks/agent/agent_behaviour.h"
#include "mocks/agent/agent_records.h"
#include "mocks/agent/heartbeat_loop.h"
#include "mocks/http/loopback_server.h"
#include "mocks/platform/sim_clock.h"

namespace taskbounds {

struct A2ACall;

// Called on a server or heartbeat thread, outside the agent's locks, with an event name
// ("agent_request" at arrival, "agent_request_ended", "agent_heartbeat") and the record as a
// JSON object (AgentRequestJson, AgentHeartbeatJson). Must be thread-safe.
using AgentObserver = std::function<void(const char* event, const std::string& data_json)>;

struct SyntheticAgentOptions {
  AgentBehaviour behaviour;
  double time_scale = 1;  // wall seconds per platform second
  std::string name = "synthetic-coordinator";
  // The URL the agent card names: the one the platform is given (a public URL or tunnel in
  // front of this server). "": the agent's own URL.
  std::string card_url;
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port
  // Every open request pins one worker: a held kickoff and its re-dispatch, a stall probe and
  // idle keep-alive connections all need their own. At least 2.
  int worker_threads = 16;
  AgentObserver observer;
};

class SyntheticAgent {
 public:
  // Checks the options, binds, serves and starts the heartbeats. Null, with `error` naming
  // the setting or the address and the cause, when it cannot.
  static std::unique_ptr<SyntheticAgent> Start(SyntheticAgentOptions options, std::string* error);
  ~SyntheticAgent();  // Stop()
  SyntheticAgent(const SyntheticAgent&) = delete;
  SyntheticAgent& operator=(const SyntheticAgent&) = delete;

  // Releases every held request (recorded as kAgentStopped), stops the heartbeats, then the
  // server; waits return at once afterwards. "" when stopped; otherwise why not. Idempotent.
  std::string Stop();

  // What the platform gives out only once it knows the agent's URL (create, then register:
  // external-workspaces-2026-08.md 1.1): set after Start(). The inbound secret applies to the
  // calls that arrive from then on; "" accepts every caller again. "" when set, else why not.
  std::string SetInboundSecret(const std::string& secret);
  // Starts heartbeats (settings.interval_secs > 0) when none were started with the options.
  // "" when started; otherwise why not (invalid settings, already heartbeating, stopped).
  std::string StartHeartbeats(const HeartbeatSettings& settings);

  int port() const;
  std::string url(std::string_view path = "") const;  // "http://HOST:PORT" + path
  // The agent card it serves, for POST /registry/register's agent_card.
  std::string AgentCardJson() const;
  const SimClock& clock() const { return clock_; }
  // When the agent started: the origin of the times in its JSON records.
  AgentTime started_at() const { return start_; }
  // Platform seconds from the agent's start to `at`.
  double PlatformSecsAt(AgentTime at) const;
  // Kickoffs held right now (what a heartbeat reports as active_tasks).
  int HeldTasks() const { return held_tasks_.load(); }

  std::vector<AgentRequest> Requests() const { return records_.Requests(); }
  std::vector<AgentHeartbeat> Heartbeats() const { return records_.Heartbeats(); }

  // The first request (seen or still to come) matching `match`; nullopt at `deadline` or
  // once the agent has stopped without one.
  [[nodiscard]] std::optional<AgentRequest> WaitForRequest(const RequestMatch& match,
                                                           AgentTime deadline) const;
  // Request `sequence` once it has ended (answered, hung up, stopped).
  [[nodiscard]] std::optional<AgentRequest> WaitForEnd(std::uint64_t sequence,
                                                       AgentTime deadline) const;
  [[nodiscard]] std::optional<AgentHeartbeat> WaitForHeartbeat(const HeartbeatMatch& match,
                                                               AgentTime deadline) const;

 private:
  struct HeldTask;
  enum class HoldOutcome { kElapsed, kCallerHungUp, kStopped };

  explicit SyntheticAgent(SyntheticAgentOptions options);
  std::string Begin();
  void RegisterRoutes();

  std::string InboundSecret() const;
  AgentRequest ArrivalRecord(const httplib::Request& req) const;
  AgentRequest Arrive(AgentRequest record);
  void AnswerAtOnce(AgentRequest record, httplib::Response& res, int status,
                    const std::string& body, const char* reply);
  void HandleCall(const httplib::Request& req, httplib::Response& res);
  void ServeCard(const httplib::Request& req, httplib::Response& res);
  void HandleStray(const httplib::Request& req, httplib::Response& res);
  void Hold(const httplib::Request& req, httplib::Response& res, AgentRequest record,
            const A2ACall& call);
  void HoldWithHeadersAtOnce(const std::shared_ptr<HeldTask>& task, httplib::Response& res);
  HoldOutcome WaitOut(const HeldTask& task) const;
  std::string KickoffReply(const HeldTask& task, double held_secs) const;
  void MarkHeadersSent(HeldTask& task);
  void Finish(HeldTask& task, RequestEnd end, int status);
  void Observe(const char* event, const AgentRequest& record) const;

  const SyntheticAgentOptions options_;
  const SimClock clock_;
  const AgentTime start_;
  LoopbackServer server_;
  AgentRecords records_;
  std::unique_ptr<HeartbeatLoop> heartbeats_;  // guarded by stop_mu_
  std::atomic<int> held_tasks_{0};

  // Held requests wait in poll() on their connection and on this pipe's read end; Stop()
  // writes one byte and never drains it, so every hold, now or later, returns at once.
  int wake_read_ = -1;
  int wake_write_ = -1;

  std::mutex stop_mu_;  // Stop(), StartHeartbeats()
  bool stopped_ = false;

  mutable std::mutex secret_mu_;
  std::string inbound_secret_;  // guarded by secret_mu_
};

}  // namespace taskbounds

#endif  // MOCKS_AGENT_SYNTHETIC_AGENT_H_
