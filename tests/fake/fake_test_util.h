// Helpers shared by the fake platform's tests: start an embedded fake, point a
// PlatformClient at it, wait for a status with a deadline, read JSON bodies.
#ifndef TESTS_FAKE_FAKE_TEST_UTIL_H_
#define TESTS_FAKE_FAKE_TEST_UTIL_H_

#include <chrono>
#include <memory>
#include <string>

#include "client/platform_client.h"
#include "gtest/gtest.h"
#include "mocks/embedded_fake_platform.h"
#include "rapidjson/document.h"
#include "tests/support/embedded_fake.h"

namespace taskbounds {

// Short simulated durations: registration and restart in a few wall milliseconds.
FakePlatformOptions FastOptions(double time_scale = 0.001);

// A fixture owning one embedded fake and a client for it. Start() replaces both, so a test
// can restart the fake with other options.
class FakePlatformTest : public testing::Test {
 protected:
  void Start(const FakePlatformOptions& options);

  std::unique_ptr<EmbeddedFakePlatform> fake_;
  std::unique_ptr<PlatformClient> client_;
};

// Polls GET /workspaces/{id} until its status is `status` or `timeout` passes.
testing::AssertionResult WaitForStatus(PlatformClient& client, const std::string& id,
                                       const std::string& status,
                                       std::chrono::milliseconds timeout);

// Creates a workspace and waits until it is online.
testing::AssertionResult CreateOnline(PlatformClient& client, const std::string& name,
                                      std::string* id,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Parses `body`; failure names the body.
testing::AssertionResult ParseJson(const std::string& body, rapidjson::Document* doc);

// The platform's flat error shape: an object whose only member is "error": `message`.
testing::AssertionResult IsFlatError(const HttpExchange& exchange, long status,
                                     const std::string& message);

bool IsLowerCaseUuid(const std::string& s);

// message/send body whose task text makes the simulated coordinator use `depth`.
std::string KickoffText(int depth);

}  // namespace taskbounds

#endif  // TESTS_FAKE_FAKE_TEST_UTIL_H_
