#include "mocks/request_log_matchers.h"

#include <algorithm>
#include <utility>

namespace taskbounds {
namespace {

// Names the last few arrivals: the usual cause of a failed wait is a near miss (wrong
// path, status or route).
void DescribeRecentRequests(const FakePlatformServer& server, testing::AssertionResult& failure) {
  const std::vector<RecordedRequest> log = server.requests();
  failure << log.size() << " request(s) logged";
  const std::size_t shown = std::min<std::size_t>(log.size(), 5);
  if (shown > 0) {
    failure << ", the last " << shown << ":";
  }
  for (std::size_t i = log.size() - shown; i < log.size(); ++i) {
    const RecordedRequest& r = log[i];
    failure << "\n  #" << r.sequence << " " << r.method << " " << r.path << " -> "
            << (r.answered ? (r.dropped ? std::string("dropped") : std::to_string(r.status))
                           : std::string("in flight"));
  }
}

}  // namespace

DescribedPredicate IsRequest(const std::string& method, const std::string& path) {
  return {method + " " + path, [method, path](const RecordedRequest& r) {
            return r.method == method && r.path == path;
          }};
}

DescribedPredicate IsAnswered(const std::string& method, const std::string& path, int status) {
  return {method + " " + path + " answered " + std::to_string(status),
          [method, path, status](const RecordedRequest& r) {
            return r.method == method && r.path == path && r.answered && r.status == status;
          }};
}

DescribedPredicate Matching(std::string description, RequestPredicate predicate) {
  return {std::move(description), std::move(predicate)};
}

testing::AssertionResult WaitForRequest(const FakePlatformServer& server,
                                        const DescribedPredicate& predicate,
                                        std::chrono::milliseconds timeout, RecordedRequest* out) {
  std::optional<RecordedRequest> found = server.WaitForRequest(predicate.predicate, timeout);
  if (found) {
    if (out != nullptr) {
      *out = *found;
    }
    return testing::AssertionSuccess();
  }
  testing::AssertionResult failure = testing::AssertionFailure();
  failure << "no request matching \"" << predicate.description << "\" within " << timeout.count()
          << " ms; ";
  DescribeRecentRequests(server, failure);
  return failure;
}

testing::AssertionResult WaitUntilHeld(const FakePlatformServer& server, const std::string& route,
                                       std::chrono::milliseconds timeout, RecordedRequest* out) {
  std::optional<RecordedRequest> held = server.WaitUntilHeld(route, timeout);
  if (held) {
    if (out != nullptr) {
      *out = *held;
    }
    return testing::AssertionSuccess();
  }
  testing::AssertionResult failure = testing::AssertionFailure();
  failure << "no request held on \"" << route << "\" within " << timeout.count()
          << " ms (was a hold queued with HoldNext() on that route key?); ";
  DescribeRecentRequests(server, failure);
  return failure;
}

testing::AssertionResult Release(FakePlatformServer& server, const RecordedRequest& held) {
  if (server.Release(held.sequence)) {
    return testing::AssertionSuccess();
  }
  return testing::AssertionFailure()
         << "request #" << held.sequence << " " << held.method << " " << held.path
         << " is not held (already released, or the server stopped)";
}

}  // namespace taskbounds
