// EventStream: the PM's server-sent events, GET /workspaces/{id}/events/stream, followed
// on a thread of its own over one libcurl handle (platform-api-2026-08.md section 5: frames
// `data: {"type","timestamp","data"}`, the same events as the /ws socket). Frames are
// parsed with the one bounded parser (client/wire.h) into typed StreamEvents. A closed or
// failed connection is reopened until a reconnect deadline; a 4xx (the 2026-04 platform has
// no such route) marks the stream unavailable, and the caller falls back to polling.
#ifndef CLIENT_EVENT_STREAM_H_
#define CLIENT_EVENT_STREAM_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "client/platform_client.h"

namespace taskbounds {

enum class StreamEventKind {
  kActivityLogged,  // ACTIVITY_LOGGED: an activity row was written or completed
  kA2AResponse,     // A2A_RESPONSE: a canvas-class caller's answer (status < 400 only)
  kHeartbeat,       // WORKSPACE_HEARTBEAT: active_tasks, uptime_seconds
  kStatus,          // WORKSPACE_ONLINE/OFFLINE/DEGRADED/PROVISION_FAILED/WEDGED
  kOther,           // anything else (USER_MESSAGE, TASK_UPDATED, a type never seen before)
};

// One event, every remote string through SanitizeRemoteText (client/text.h) except
// response_body, which is kept as sent (capped) because it is JSON the caller interprets.
struct StreamEvent {
  StreamEventKind kind = StreamEventKind::kOther;
  std::string type;       // e.g. "A2A_RESPONSE"
  std::string timestamp;  // the platform's, as sent
  std::string message_id;
  std::string activity_type;  // ACTIVITY_LOGGED
  std::string method;
  std::string summary;
  std::string status;  // ACTIVITY_LOGGED row status ("ok", "error")
  std::string error_detail;
  std::string response_body;
  std::optional<std::int64_t> duration_ms;
  std::optional<std::int64_t> active_tasks;  // WORKSPACE_HEARTBEAT
  // Harness clock when the frame's last byte arrived: task_secs is measured from this.
  std::chrono::steady_clock::time_point received_at;
};

// Parses one frame's data (the JSON object after `data: `). std::nullopt with `error` set
// to one line ("frame is not JSON (...)", "frame has no string 'type'") otherwise.
std::optional<StreamEvent> ParseStreamEvent(std::string_view data, std::string* error);

// Splits a byte stream into server-sent-event frames (WHATWG "event stream" rules: lines
// end in \n, \r\n or \r; "data:" lines of one frame are joined with \n; a blank line ends
// the frame; comments and other fields are ignored). A frame whose data would pass
// `max_frame_bytes` is dropped whole and counted.
class SseFramer {
 public:
  explicit SseFramer(std::size_t max_frame_bytes) : max_frame_bytes_(max_frame_bytes) {}
  // Appends the data of every frame completed by `bytes` to `frames`.
  void Feed(std::string_view bytes, std::vector<std::string>* frames);
  // Forgets a partial frame (a new connection starts clean).
  void Reset();
  std::size_t oversized_frames() const { return oversized_; }

 private:
  void EndLine(std::vector<std::string>* frames);

  std::size_t max_frame_bytes_;
  std::string line_;
  std::string data_;
  bool has_data_ = false;
  bool dropping_ = false;         // the current frame passed the cap
  bool in_dropped_line_ = false;  // ... in the line being read
  bool after_cr_ = false;         // the last byte was \r (a following \n belongs to it)
  std::size_t oversized_ = 0;
};

struct EventStreamOptions {
  ClientOptions client;      // base URL, credentials, connect timeout
  std::string workspace_id;  // the PM
  std::size_t max_frame_bytes = std::size_t{1} << 20;
  // After a connection ends, reconnect (with `reconnect_backoff` between attempts) until
  // this long has passed without a working connection; then the stream gives up.
  std::chrono::milliseconds reconnect_window{30000};
  std::chrono::milliseconds reconnect_backoff{200};
};

// What the stream did so far (for events and the report).
struct EventStreamStats {
  int connects = 0;      // connections answered 200
  int attempts = 0;      // GET requests sent (each counts against the org's rate limit)
  int events = 0;        // frames parsed into events
  int parse_errors = 0;  // frames that were not an event (dropped)
  std::size_t oversized_frames = 0;
  long last_http_status = 0;
  std::string last_error;    // one line: the last failure, if any
  bool unavailable = false;  // the platform answered 4xx: it has no stream (2026-04)
  bool gave_up = false;      // the reconnect window ran out
};

enum class StreamState { kConnected, kUnavailable, kNotYet };

class EventStream {
 public:
  explicit EventStream(EventStreamOptions options);
  ~EventStream();  // Stop()
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  // Opens the stream on its own thread. Call once.
  void Start();
  // Waits until the first connection is answered 200, or the platform says it has no
  // stream, or `deadline` passes (kNotYet).
  [[nodiscard]] StreamState WaitConnected(std::chrono::steady_clock::time_point deadline);
  // Events that arrived since the last call; waits until there is at least one, the stream
  // ended (unavailable, gave up, stopped) or `deadline` passes.
  [[nodiscard]] std::vector<StreamEvent> WaitAndDrain(
      std::chrono::steady_clock::time_point deadline);
  // Ends the transfer promptly (the transfer loop wakes at once) and joins. Idempotent.
  void Stop();
  // True while the stream may still deliver events.
  bool alive() const;
  EventStreamStats stats() const;

 private:
  struct Transfer;
  // libcurl callbacks; userdata is the connection's Transfer.
  static std::size_t OnHeaderLine(char* data, std::size_t size, std::size_t nmemb, void* userdata);
  static std::size_t OnBody(char* data, std::size_t size, std::size_t nmemb, void* userdata);
  void Run();
  bool RunOneConnection();  // true when it was answered 200
  void OnFrame(const std::string& data);
  bool stop_requested() const;

  EventStreamOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool ended_ = false;
  EventStreamStats stats_;
  std::vector<StreamEvent> pending_;
  void* multi_ = nullptr;  // CURLM*, woken by Stop()
  std::thread thread_;
  SseFramer framer_;
};

}  // namespace taskbounds

#endif  // CLIENT_EVENT_STREAM_H_
