// EventBus: a workspace's events (platform-api-2026-08.md section 5: ACTIVITY_LOGGED,
// A2A_RESPONSE, WORKSPACE_HEARTBEAT, WORKSPACE_ONLINE/OFFLINE, ...) for the server-sent
// event stream. The fake plans a task in full when it starts, so events are published
// ahead with the instant they happen; a subscriber sees each one from that instant on, in
// time order, waiting with a deadline instead of a timer thread. Thread-safe.
#ifndef MOCKS_PLATFORM_EVENT_BUS_H_
#define MOCKS_PLATFORM_EVENT_BUS_H_

#include <cstdint>
#include <memory>
#include <string>

#include "mocks/platform/sim_clock.h"

namespace taskbounds {

struct BusEvent {
  std::uint64_t seq = 0;  // publication order: ties at one instant keep it
  std::string workspace_id;
  std::string type;       // "ACTIVITY_LOGGED", "A2A_RESPONSE", ...
  std::string data_json;  // the event's data object, raw JSON
  SimClock::Clock::time_point at;
};

// The stream's wire form of one event: `data: {"type","timestamp","data"}` and a blank line
// (the AG-UI envelope of GET /workspaces/{id}/events/stream, H/sse.go).
std::string SseFrame(const BusEvent& event);

class EventBus {
 public:
  using TimePoint = SimClock::Clock::time_point;

  EventBus();

  // `data_json` must be a JSON object. Events of one workspace beyond the cap (10,000) drop
  // their oldest.
  void Publish(const std::string& workspace_id, std::string type, std::string data_json,
               TimePoint at);
  // Forgets `workspace_id`'s events planned after `t` (a task cut short, a deletion).
  void CancelAfter(const std::string& workspace_id, TimePoint t);
  // Wakes every subscriber: they end. Idempotent; later subscriptions end at once.
  void Close();

  enum class Wait { kEvent, kDeadline, kClosed };

  // One subscriber's position: events of one workspace happening at or after `from`.
  class Subscription {
   public:
    // The next event once it has happened (kEvent, in *out), or kDeadline when none has
    // by `deadline`, or kClosed after Close().
    [[nodiscard]] Wait Next(TimePoint deadline, BusEvent* out);

   private:
    friend class EventBus;
    struct State;
    Subscription(std::shared_ptr<State> state, std::string workspace_id, TimePoint from);
    std::shared_ptr<State> state_;
    std::string workspace_id_;
    TimePoint from_;
    TimePoint cursor_at_;
    std::uint64_t cursor_seq_ = 0;
  };

  // The subscription outlives the bus safely (it shares the bus's state).
  std::unique_ptr<Subscription> Subscribe(const std::string& workspace_id, TimePoint from);

 private:
  std::shared_ptr<Subscription::State> state_;
};

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_EVENT_BUS_H_
