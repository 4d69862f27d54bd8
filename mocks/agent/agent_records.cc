#include "mocks/agent/agent_records.h"

#include <utility>

#include "mocks/agent/a2a_call.h"
#include "mocks/platform/json_util.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace taskbounds {
namespace {

// Remote strings (ids, paths) are kept whole in the record but bounded in a JSON line.
constexpr std::size_t kJsonStringBytes = 512;
// Times in platform seconds to the platform millisecond: a hold is timed by poll() in whole
// wall milliseconds, so finer digits are noise at every time scale up to 1.
constexpr int kSecsDecimals = 3;

template <typename Record>
std::optional<Record> FindIn(const std::deque<Record>& records,
                             const std::function<bool(const Record&)>& match) {
  for (const Record& record : records) {
    if (match(record)) {
      return record;
    }
  }
  return std::nullopt;
}

void WriteSafe(JsonWriter& w, const char* key, const std::string& value) {
  w.Key(key);
  WriteString(w, SafeUtf8Prefix(value, kJsonStringBytes));
}

// Platform seconds from `start` to `at`, or null.
void WriteSecs(JsonWriter& w, const char* key, const std::optional<AgentTime>& at,
               const SimClock& clock, AgentTime start) {
  w.Key(key);
  if (at) {
    w.Double(clock.PlatformSecs(*at - start));
  } else {
    w.Null();
  }
}

}  // namespace

const char* RequestKindName(RequestKind kind) {
  switch (kind) {
    case RequestKind::kKickoff:
      return "kickoff";
    case RequestKind::kStallProbe:
      return "stall_probe";
    case RequestKind::kRefused:
      return "refused";
    case RequestKind::kInvalid:
      return "invalid";
    case RequestKind::kAgentCard:
      return "agent_card";
    case RequestKind::kOther:
      break;
  }
  return "other";
}

const char* CallerAuthName(CallerAuth auth) {
  switch (auth) {
    case CallerAuth::kNone:
      return "none";
    case CallerAuth::kInboundSecret:
      return "inbound_secret";
    case CallerAuth::kOther:
      break;
  }
  return "other";
}

const char* RequestEndName(RequestEnd end) {
  switch (end) {
    case RequestEnd::kInFlight:
      return "in_flight";
    case RequestEnd::kAnswered:
      return "answered";
    case RequestEnd::kCallerHungUp:
      return "caller_hung_up";
    case RequestEnd::kAgentStopped:
      break;
  }
  return "agent_stopped";
}

AgentRecords::AgentRecords(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

AgentRequest AgentRecords::Add(AgentRequest request) {
  std::lock_guard<std::mutex> lock(mu_);
  request.sequence = next_request_++;
  if (requests_.size() >= capacity_) {
    requests_.pop_front();
  }
  requests_.push_back(std::move(request));
  cv_.notify_all();
  return requests_.back();
}

std::optional<AgentRequest> AgentRecords::Update(std::uint64_t sequence,
                                                 const std::function<void(AgentRequest&)>& change) {
  std::lock_guard<std::mutex> lock(mu_);
  // Sequences are consecutive in the deque: the record's index follows from the first one.
  if (requests_.empty() || sequence < requests_.front().sequence ||
      sequence - requests_.front().sequence >= requests_.size()) {
    return std::nullopt;
  }
  AgentRequest& request = requests_[sequence - requests_.front().sequence];
  change(request);
  cv_.notify_all();
  return request;
}

int AgentRecords::CountDispatch(const std::string& message_id) {
  if (message_id.empty()) {
    return 0;
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = dispatches_.emplace(message_id, 0);
  if (inserted) {
    dispatch_order_.push_back(message_id);
    if (dispatch_order_.size() > capacity_) {
      dispatches_.erase(dispatch_order_.front());
      dispatch_order_.pop_front();
    }
  }
  return ++it->second;
}

AgentHeartbeat AgentRecords::AddHeartbeat(AgentHeartbeat heartbeat) {
  std::lock_guard<std::mutex> lock(mu_);
  heartbeat.sequence = next_heartbeat_++;
  if (heartbeats_.size() >= capacity_) {
    heartbeats_.pop_front();
  }
  heartbeats_.push_back(std::move(heartbeat));
  cv_.notify_all();
  return heartbeats_.back();
}

std::vector<AgentRequest> AgentRecords::Requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {requests_.begin(), requests_.end()};
}

std::vector<AgentHeartbeat> AgentRecords::Heartbeats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {heartbeats_.begin(), heartbeats_.end()};
}

std::optional<AgentRequest> AgentRecords::WaitForRequest(const RequestMatch& match,
                                                         AgentTime deadline) const {
  std::unique_lock<std::mutex> lock(mu_);
  std::optional<AgentRequest> found;
  cv_.wait_until(lock, deadline, [&] {
    found = FindIn(requests_, match);
    return found.has_value() || closed_;
  });
  return found ? found : FindIn(requests_, match);
}

std::optional<AgentHeartbeat> AgentRecords::WaitForHeartbeat(const HeartbeatMatch& match,
                                                             AgentTime deadline) const {
  std::unique_lock<std::mutex> lock(mu_);
  std::optional<AgentHeartbeat> found;
  cv_.wait_until(lock, deadline, [&] {
    found = FindIn(heartbeats_, match);
    return found.has_value() || closed_;
  });
  return found ? found : FindIn(heartbeats_, match);
}

void AgentRecords::Close() {
  std::lock_guard<std::mutex> lock(mu_);
  closed_ = true;
  cv_.notify_all();
}

std::string AgentRequestJson(const AgentRequest& request, const SimClock& clock, AgentTime start) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.SetMaxDecimalPlaces(kSecsDecimals);
  w.StartObject();
  w.Key("sequence");
  w.Uint64(request.sequence);
  w.Key("kind");
  w.String(RequestKindName(request.kind));
  WriteSafe(w, "http_method", request.http_method);
  WriteSafe(w, "path", request.path);
  w.Key("auth");
  w.String(CallerAuthName(request.auth));
  WriteSafe(w, "rpc_method", request.rpc_method);
  WriteSafe(w, "message_id", request.message_id);
  WriteSafe(w, "context_id", request.context_id);
  WriteSafe(w, "source_type", request.source_type);
  WriteSafe(w, "text_head", request.text_head);
  w.Key("dispatch");
  w.Int(request.dispatch);
  w.Key("redispatch");
  w.Bool(request.redispatch);
  w.Key("held");
  w.Bool(request.held);
  WriteSecs(w, "arrived_at_secs", request.arrived_at, clock, start);
  WriteSecs(w, "headers_sent_at_secs", request.headers_sent_at, clock, start);
  WriteSecs(w, "hung_up_at_secs", request.hung_up_at, clock, start);
  WriteSecs(w, "ended_at_secs", request.ended_at, clock, start);
  w.Key("end");
  w.String(RequestEndName(request.end));
  w.Key("status");
  w.Int(request.status);
  WriteSafe(w, "reply", request.reply);
  w.EndObject();
  return buffer.GetString();
}

std::string AgentHeartbeatJson(const AgentHeartbeat& heartbeat, const SimClock& clock,
                               AgentTime start) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.SetMaxDecimalPlaces(kSecsDecimals);
  w.StartObject();
  w.Key("sequence");
  w.Uint64(heartbeat.sequence);
  WriteSecs(w, "sent_at_secs", heartbeat.sent_at, clock, start);
  w.Key("active_tasks");
  w.Int(heartbeat.active_tasks);
  w.Key("status");
  w.Int(heartbeat.status);
  WriteSafe(w, "error", heartbeat.error);
  w.EndObject();
  return buffer.GetString();
}

}  // namespace taskbounds
