// RecordedRequest and RequestLog: what an HTTP server in this project saw, in arrival order,
// with bounded waits on it. The fake platform server and the tests' scripted server share
// this one record type, so a helper written against one log works on the other.
#ifndef MOCKS_HTTP_REQUEST_LOG_H_
#define MOCKS_HTTP_REQUEST_LOG_H_

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
#include <string_view>
#include <vector>

#include "mocks/http/header_map.h"

namespace taskbounds {

struct RecordedRequest {
  std::uint64_t sequence = 0;  // 1, 2, ... in arrival order
  // The route key from mocks/routes.h (e.g. GET /health); "" when unmatched or the server
  // has no route table (the scripted server).
  std::string route;
  std::string method;
  std::string path;                          // without the query
  std::string target;                        // path and query exactly as sent
  std::map<std::string, std::string> query;  // decoded; first value per key
  HeaderMap headers;                         // names as sent, looked up in any case
  std::string body;
  bool answered = false;  // a response was written (or the connection dropped)
  bool dropped = false;   // closed without a response (fault or stop)
  std::string fault;      // the injected fault's name ("status", "hold", ...), "" when none
  int status = 0;         // status answered; 0 while in flight or when dropped
  std::chrono::system_clock::time_point received_at;
  std::chrono::steady_clock::time_point received_steady;
  std::chrono::steady_clock::time_point answered_steady;

  bool HasHeader(std::string_view name) const;
  // The first value of `name` (any case), "" when absent.
  std::string Header(std::string_view name) const;
  std::size_t HeaderCount(std::string_view name) const;
};

using RequestPredicate = std::function<bool(const RecordedRequest&)>;

// Thread-safe, bounded (oldest entries evicted) log with waits that end at a deadline or
// at Close(), whichever comes first.
class RequestLog {
 public:
  explicit RequestLog(std::size_t capacity = 100000);

  // Stamps `record` with the next sequence number and arrival times; returns the sequence.
  std::uint64_t RecordArrival(RecordedRequest record);
  // Marks the request answered with `status` (ignored when dropped); a no-op once evicted.
  void RecordAnswer(std::uint64_t sequence, int status, bool dropped, const std::string& fault);

  std::vector<RecordedRequest> Snapshot() const;
  std::size_t size() const;

  // The first recorded request (past or future) matching `predicate`; nullopt once
  // `deadline` passes or the log is closed with no match.
  [[nodiscard]] std::optional<RecordedRequest> WaitFor(
      const RequestPredicate& predicate, std::chrono::steady_clock::time_point deadline) const;
  // True once at least `count` requests were recorded; false at the deadline or Close().
  [[nodiscard]] bool WaitForCount(std::size_t count,
                                  std::chrono::steady_clock::time_point deadline) const;

  // Wakes every waiter; later waits return at once with what the log holds.
  void Close();

 private:
  std::optional<RecordedRequest> FindLocked(const RequestPredicate& predicate) const;

  const std::size_t capacity_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::deque<RecordedRequest> log_;
  std::uint64_t next_sequence_ = 1;
  std::uint64_t recorded_ = 0;  // total ever recorded (eviction does not lower it)
  bool closed_ = false;
};

}  // namespace taskbounds

#endif  // MOCKS_HTTP_REQUEST_LOG_H_
