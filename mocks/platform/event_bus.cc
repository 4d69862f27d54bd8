#include "mocks/platform/event_bus.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <utility>

#include "mocks/platform/json_util.h"

namespace taskbounds {
namespace {

constexpr std::size_t kMaxEventsPerWorkspace = 10000;

bool Before(const BusEvent& e, EventBus::TimePoint at, std::uint64_t seq) {
  return e.at < at || (e.at == at && e.seq <= seq);
}

}  // namespace

struct EventBus::Subscription::State {
  std::mutex mu;
  std::condition_variable cv;
  bool closed = false;
  std::uint64_t next_seq = 1;
  std::deque<BusEvent> events;  // all workspaces, publication order
};

std::string SseFrame(const BusEvent& event) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("type");
  WriteString(w, event.type);
  w.Key("timestamp");
  WriteString(w, IsoAt(event.at));
  w.Key("data");
  w.RawValue(event.data_json.data(), event.data_json.size(), rapidjson::kObjectType);
  w.EndObject();
  return "data: " + std::string(buffer.GetString(), buffer.GetSize()) + "\n\n";
}

EventBus::EventBus() : state_(std::make_shared<Subscription::State>()) {}

void EventBus::Publish(const std::string& workspace_id, std::string type, std::string data_json,
                       TimePoint at) {
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    auto& events = state_->events;
    events.push_back({state_->next_seq++, workspace_id, std::move(type), std::move(data_json), at});
    const auto mine = static_cast<std::size_t>(
        std::count_if(events.begin(), events.end(),
                      [&](const BusEvent& e) { return e.workspace_id == workspace_id; }));
    if (mine > kMaxEventsPerWorkspace) {
      events.erase(std::find_if(events.begin(), events.end(),
                                [&](const BusEvent& e) { return e.workspace_id == workspace_id; }));
    }
  }
  state_->cv.notify_all();
}

void EventBus::CancelAfter(const std::string& workspace_id, TimePoint t) {
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    auto& events = state_->events;
    events.erase(std::remove_if(
                     events.begin(), events.end(),
                     [&](const BusEvent& e) { return e.workspace_id == workspace_id && e.at > t; }),
                 events.end());
  }
  state_->cv.notify_all();  // waiters re-read what is left rather than sleep for a gone event
}

void EventBus::Close() {
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->closed = true;
  }
  state_->cv.notify_all();
}

std::unique_ptr<EventBus::Subscription> EventBus::Subscribe(const std::string& workspace_id,
                                                            TimePoint from) {
  return std::unique_ptr<Subscription>(new Subscription(state_, workspace_id, from));
}

EventBus::Subscription::Subscription(std::shared_ptr<State> state, std::string workspace_id,
                                     TimePoint from)
    : state_(std::move(state)),
      workspace_id_(std::move(workspace_id)),
      from_(from),
      cursor_at_(TimePoint::min()) {}

EventBus::Wait EventBus::Subscription::Next(TimePoint deadline, BusEvent* out) {
  std::unique_lock<std::mutex> lock(state_->mu);
  while (true) {
    if (state_->closed) {
      return Wait::kClosed;
    }
    // The earliest event of ours after the cursor, happened or not.
    const BusEvent* next = nullptr;
    for (const BusEvent& e : state_->events) {
      if (e.workspace_id != workspace_id_ || e.at < from_ || Before(e, cursor_at_, cursor_seq_)) {
        continue;
      }
      if (next == nullptr || e.at < next->at || (e.at == next->at && e.seq < next->seq)) {
        next = &e;
      }
    }
    const auto now = SimClock::Clock::now();
    if (next != nullptr && next->at <= now) {
      *out = *next;
      cursor_at_ = next->at;
      cursor_seq_ = next->seq;
      return Wait::kEvent;
    }
    if (now >= deadline) {
      return Wait::kDeadline;
    }
    // Wake for a publication, Close(), the next event's instant or the deadline. A copy:
    // std::min returns a reference into the deque, which CancelAfter may erase while this
    // thread waits with the lock released (ASan: heap-use-after-free).
    const TimePoint wake = next != nullptr ? std::min(next->at, deadline) : deadline;
    state_->cv.wait_until(lock, wake);
  }
}

}  // namespace taskbounds
