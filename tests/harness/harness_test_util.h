// Helpers shared by the hermetic tests of the harness (tests/harness): an embedded fake
// with chosen options, a config that targets it, and parsing of JSON-line events.
#ifndef TESTS_HARNESS_HARNESS_TEST_UTIL_H_
#define TESTS_HARNESS_HARNESS_TEST_UTIL_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "client/config.h"
#include "client/platform_client.h"
#include "gtest/gtest.h"
#include "mocks/embedded_fake_platform.h"
#include "rapidjson/document.h"
#include "tests/support/embedded_fake.h"

namespace taskbounds {

// Starts an embedded fake (a small worker pool: harness tests run few requests at once);
// null (with a recorded failure) when it cannot.
std::unique_ptr<EmbeddedFakePlatform> StartHarnessFake(const FakePlatformOptions& options);
std::unique_ptr<EmbeddedFakePlatform> StartHarnessFake(Scenario scenario, double time_scale);

// A run config for the embedded fake: no credentials, the given time scale.
RunConfig FakeRunConfig(double time_scale, int depth = 1);

// One parsed {"ts","event","data"} line.
struct ParsedEvent {
  std::string event;
  std::shared_ptr<rapidjson::Document> data;  // null for "data": null
  std::string line;

  // data[key] as a string ("" when absent or not a string).
  std::string Str(const char* key) const;
  bool Has(const char* key) const;
};

// Every line of `text` that is an event; other lines are ignored.
std::vector<ParsedEvent> ParseEvents(const std::string& text);
std::vector<ParsedEvent> EventsNamed(const std::vector<ParsedEvent>& events,
                                     const std::string& name);
// Index of the first event named `name` (events.size() when none).
std::size_t IndexOf(const std::vector<ParsedEvent>& events, const std::string& name);

// PM and child created on `client`'s platform and linked, ids out.
testing::AssertionResult CreateLinkedPair(PlatformClient& client, std::string* pm,
                                          std::string* child);

// Polls `condition` every few milliseconds until it holds or `timeout` passes.
testing::AssertionResult Eventually(const std::function<bool()>& condition,
                                    std::chrono::milliseconds timeout, const std::string& what);

// The fake's live workspace ids, joined for messages.
std::string Describe(const std::vector<std::string>& ids);

// The leak check every harness test ends with: clears injected faults, records the number
// of workspaces still live as the `workspaces_left` property (the suite's leak measure),
// expects none, then deletes them so one failing test does not leak into the next.
void ExpectNoWorkspacesLeft(EmbeddedFakePlatform& fake);

}  // namespace taskbounds

#endif  // TESTS_HARNESS_HARNESS_TEST_UTIL_H_
