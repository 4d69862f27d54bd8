// JSON and event assertions the tests share: parsing a body with a failure that names it,
// the platform's flat error shape, and the JSON-line events of an EventLog.
#ifndef TESTS_SUPPORT_ASSERTIONS_H_
#define TESTS_SUPPORT_ASSERTIONS_H_

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "client/platform_client.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"

namespace taskbounds {

// Parses `body`; failure names the body.
testing::AssertionResult ParseJson(const std::string& body, rapidjson::Document* doc);

// The platform's flat error shape: an object whose only member is "error": `message`.
testing::AssertionResult IsFlatError(const HttpExchange& exchange, long status,
                                     const std::string& message);

bool IsLowerCaseUuid(const std::string& s);

// `value` is an object holding every one of `keys`; failure lists the missing ones.
testing::AssertionResult HasMembers(const rapidjson::Value& value,
                                    std::initializer_list<const char*> keys);
// `value` is an object holding none of `keys`; failure lists the ones present.
testing::AssertionResult LacksMembers(const rapidjson::Value& value,
                                      std::initializer_list<const char*> keys);

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
// Strict: every line of `text` must be exactly {"ts":…,"event":"…","data":…}, members in
// that order (the reference harness's JSON lines, docs/runs.md "Where results land"); the events
// are appended to `events`. Failure quotes the first line that is not.
testing::AssertionResult ParseEventLines(const std::string& text, std::vector<ParsedEvent>* events);
// The events' names, in order.
std::vector<std::string> EventNames(const std::vector<ParsedEvent>& events);
std::vector<ParsedEvent> EventsNamed(const std::vector<ParsedEvent>& events,
                                     const std::string& name);
// Index of the first event named `name` (events.size() when none).
std::size_t IndexOf(const std::vector<ParsedEvent>& events, const std::string& name);

}  // namespace taskbounds

#endif  // TESTS_SUPPORT_ASSERTIONS_H_
