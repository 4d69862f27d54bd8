#include "mocks/http/request_log.h"

#include <utility>

namespace taskbounds {

bool RecordedRequest::HasHeader(std::string_view name) const {
  return headers.find(name) != headers.end();
}

std::string RecordedRequest::Header(std::string_view name) const {
  const auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::size_t RecordedRequest::HeaderCount(std::string_view name) const {
  const auto range = headers.equal_range(name);
  return static_cast<std::size_t>(std::distance(range.first, range.second));
}

RequestLog::RequestLog(std::size_t capacity) : capacity_(capacity > 0 ? capacity : 1) {}

std::uint64_t RequestLog::RecordArrival(RecordedRequest record) {
  record.received_at = std::chrono::system_clock::now();
  record.received_steady = std::chrono::steady_clock::now();
  std::uint64_t sequence = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    sequence = next_sequence_++;
    record.sequence = sequence;
    log_.push_back(std::move(record));
    ++recorded_;
    while (log_.size() > capacity_) {
      log_.pop_front();
    }
  }
  cv_.notify_all();
  return sequence;
}

void RequestLog::RecordAnswer(std::uint64_t sequence, int status, bool dropped,
                              const std::string& fault) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (log_.empty() || sequence < log_.front().sequence) {
      return;  // already evicted
    }
    const std::size_t index = sequence - log_.front().sequence;
    if (index >= log_.size()) {
      return;
    }
    RecordedRequest& record = log_[index];
    record.answered = true;
    record.dropped = dropped;
    record.status = dropped ? 0 : status;
    record.fault = fault;
    record.answered_steady = std::chrono::steady_clock::now();
  }
  cv_.notify_all();
}

std::vector<RecordedRequest> RequestLog::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return std::vector<RecordedRequest>(log_.begin(), log_.end());
}

std::size_t RequestLog::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return log_.size();
}

std::optional<RecordedRequest> RequestLog::FindLocked(const RequestPredicate& predicate) const {
  for (const RecordedRequest& record : log_) {
    if (predicate(record)) {
      return record;
    }
  }
  return std::nullopt;
}

std::optional<RecordedRequest> RequestLog::WaitFor(
    const RequestPredicate& predicate, std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock<std::mutex> lock(mu_);
  std::optional<RecordedRequest> found;
  // The predicate re-checks the whole log after every change (answers update entries).
  cv_.wait_until(lock, deadline, [&] {
    found = FindLocked(predicate);
    return found.has_value() || closed_;
  });
  return found;
}

bool RequestLog::WaitForCount(std::size_t count,
                              std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_until(lock, deadline, [&] { return recorded_ >= count || closed_; }) &&
         recorded_ >= count;
}

void RequestLog::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

}  // namespace taskbounds
