// testing::AssertionResult wrappers over FakePlatformServer's request log, so a wait reads
//   ASSERT_TRUE(WaitForRequest(server, IsRequest("DELETE", "/workspaces/" + id), 5s));
// and a timeout says what was awaited and what did arrive.
#ifndef MOCKS_REQUEST_LOG_MATCHERS_H_
#define MOCKS_REQUEST_LOG_MATCHERS_H_

#include <chrono>
#include <string>

#include "gtest/gtest.h"
#include "mocks/fake_platform_server.h"

namespace taskbounds {

// A predicate with a description for failure messages.
struct DescribedPredicate {
  std::string description;
  RequestPredicate predicate;
};

// method and path equal (query ignored).
DescribedPredicate IsRequest(const std::string& method, const std::string& path);
// Same, and already answered with `status` (0 for a dropped connection).
DescribedPredicate IsAnswered(const std::string& method, const std::string& path, int status);
DescribedPredicate Matching(std::string description, RequestPredicate predicate);

// Success once a matching request is in the log; `out` (if non-null) receives it.
testing::AssertionResult WaitForRequest(const FakePlatformServer& server,
                                        const DescribedPredicate& predicate,
                                        std::chrono::milliseconds timeout,
                                        RecordedRequest* out = nullptr);

// Success once a request is held on `route` (a route key, or "*" for any); `out` (if
// non-null) receives the oldest one. Pair with FakePlatformServer::HoldNext().
testing::AssertionResult WaitUntilHeld(const FakePlatformServer& server, const std::string& route,
                                       std::chrono::milliseconds timeout,
                                       RecordedRequest* out = nullptr);

// Lets `held` (from WaitUntilHeld) go on; failure when it is no longer held.
testing::AssertionResult Release(FakePlatformServer& server, const RecordedRequest& held);

}  // namespace taskbounds

#endif  // MOCKS_REQUEST_LOG_MATCHERS_H_
