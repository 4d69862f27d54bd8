// What the synthetic coordinator saw: one AgentRequest per request that reached it and one
// AgentHeartbeat per heartbeat it sent, kept in a thread-safe, bounded store with waits that
// end at a deadline. The probe driver reads the agent's side of each experiment from here
// (arrival, hang-up, re-dispatch, stall probe, the caller's credential), and the standalone
// binary prints each record as a JSON line.
#ifndef MOCKS_AGENT_AGENT_RECORDS_H_
#define MOCKS_AGENT_AGENT_RECORDS_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mocks/platform/sim_clock.h"

namespace taskbounds {

using AgentTime = std::chrono::steady_clock::time_point;

enum class RequestKind {
  kKickoff,     // a message/send the agent holds as a task (a re-dispatch too: see redispatch)
  kStallProbe,  // the platform's "Liveness check" with source_type self-stall: answered at once
  kRefused,     // 401: the inbound secret is configured and the call did not carry it
  kInvalid,     // not a message/send the agent can read: answered with a JSON-RPC error
  kAgentCard,   // GET of the agent card
  kOther,       // any other route: 404
};
const char* RequestKindName(RequestKind kind);

// The caller's Authorization header, against the inbound secret (never the value itself).
enum class CallerAuth {
  kNone,           // no Authorization header
  kInboundSecret,  // "Bearer <the configured inbound secret>"
  kOther,          // any other value (every value when no secret is configured)
};
const char* CallerAuthName(CallerAuth auth);

// How a request ended.
enum class RequestEnd {
  kInFlight,      // not yet
  kAnswered,      // the whole answer was handed to the socket
  kCallerHungUp,  // the caller closed the connection first (the platform cut the task)
  kAgentStopped,  // the agent stopped while holding it
};
const char* RequestEndName(RequestEnd end);

struct AgentRequest {
  std::uint64_t sequence = 0;  // 1, 2, ... in arrival order
  RequestKind kind = RequestKind::kOther;
  std::string http_method;
  std::string path;
  CallerAuth auth = CallerAuth::kNone;
  // The JSON-RPC call, as far as it was read (refused calls are read too, for the record).
  std::string rpc_method;
  std::string message_id;
  std::string context_id;
  std::string source_type;  // params.message.metadata.source_type
  std::string text_head;    // the first text part, at most kTextHeadBytes, valid UTF-8
  // The nth message/send with this messageId that the agent accepted (1 = first arrival; 0
  // when the call had none or was refused). redispatch: dispatch > 1.
  int dispatch = 0;
  bool redispatch = false;
  bool held = false;  // held as a task (kickoffs, and re-dispatches under RedispatchRule::kHold)
  AgentTime arrived_at{};
  std::optional<AgentTime> headers_sent_at;  // response headers handed to the socket
  std::optional<AgentTime> hung_up_at;       // the caller's hang-up was seen
  std::optional<AgentTime> ended_at;
  RequestEnd end = RequestEnd::kInFlight;
  int status = 0;     // HTTP status answered; 0 when none was (hung up or stopped first)
  std::string reply;  // "result", "agent_error", "probe_result", "rpc_error", "unauthorized",
                      // "agent_card", "not_found"; "" while none was chosen

  bool ended() const { return end != RequestEnd::kInFlight; }
};

inline constexpr std::size_t kTextHeadBytes = 200;

struct AgentHeartbeat {
  std::uint64_t sequence = 0;
  AgentTime sent_at{};
  int active_tasks = 0;  // what the body reported
  int status = 0;        // the registry's HTTP status; 0 when it did not answer
  std::string error;     // why not ("" when it answered)
};

using RequestMatch = std::function<bool(const AgentRequest&)>;
using HeartbeatMatch = std::function<bool(const AgentHeartbeat&)>;

class AgentRecords {
 public:
  // At most `capacity` records of each kind are kept (the oldest go first): a public URL can
  // be called by anyone, as often as they like.
  explicit AgentRecords(std::size_t capacity = 10000);

  // Stamps the next sequence number on `request` and stores it; returns the stored copy.
  AgentRequest Add(AgentRequest request);
  // Applies `change` to the stored request `sequence`; the changed copy, or nullopt once it
  // has been evicted.
  std::optional<AgentRequest> Update(std::uint64_t sequence,
                                     const std::function<void(AgentRequest&)>& change);
  // Counts one more accepted arrival of `message_id` and returns the count (1 = first);
  // 0 for an empty id, which never matches another.
  int CountDispatch(const std::string& message_id);

  AgentHeartbeat AddHeartbeat(AgentHeartbeat heartbeat);

  std::vector<AgentRequest> Requests() const;
  std::vector<AgentHeartbeat> Heartbeats() const;

  // The first stored request (past or future) matching `match`, re-checked whenever a
  // request arrives or changes; nullopt at `deadline` or once closed with no match.
  [[nodiscard]] std::optional<AgentRequest> WaitForRequest(const RequestMatch& match,
                                                           AgentTime deadline) const;
  [[nodiscard]] std::optional<AgentHeartbeat> WaitForHeartbeat(const HeartbeatMatch& match,
                                                               AgentTime deadline) const;

  // Wakes every waiter; later waits return at once with what is stored.
  void Close();

 private:
  const std::size_t capacity_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::deque<AgentRequest> requests_;
  std::deque<AgentHeartbeat> heartbeats_;
  std::map<std::string, int> dispatches_;   // messageId -> accepted arrivals
  std::deque<std::string> dispatch_order_;  // dispatches_' keys, oldest first (for eviction)
  std::uint64_t next_request_ = 1;
  std::uint64_t next_heartbeat_ = 1;
  bool closed_ = false;
};

// One record as the JSON object the binary prints in `data`: times as platform seconds since
// `start` (the agent's start) through `clock`, strings as valid UTF-8.
std::string AgentRequestJson(const AgentRequest& request, const SimClock& clock, AgentTime start);
std::string AgentHeartbeatJson(const AgentHeartbeat& heartbeat, const SimClock& clock,
                               AgentTime start);

}  // namespace taskbounds

#endif  // MOCKS_AGENT_AGENT_RECORDS_H_
