// The shared JSON and event assertions fail on what they are meant to catch, and say why.
#include "tests/support/assertions.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace taskbounds {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

HttpExchange Answer(long status, const std::string& body) {
  HttpExchange exchange;
  exchange.http_status = status;
  exchange.body = body;
  return exchange;
}

TEST(IsFlatErrorTest, AcceptsOnlyTheExactFlatShape) {
  EXPECT_TRUE(IsFlatError(Answer(404, R"({"error":"not found"})"), 404, "not found"));
  EXPECT_FALSE(IsFlatError(Answer(500, R"({"error":"not found"})"), 404, "not found"));
  EXPECT_FALSE(IsFlatError(Answer(404, R"({"error":"other"})"), 404, "not found"));
  EXPECT_FALSE(IsFlatError(Answer(404, R"({"error":"not found","x":1})"), 404, "not found"));
  EXPECT_FALSE(IsFlatError(Answer(404, R"({"error":{"message":"not found"}})"), 404, "not found"));
  EXPECT_THAT(IsFlatError(Answer(404, "<html>"), 404, "not found").message(), HasSubstr("<html>"));
}

TEST(MembersTest, NameTheKeysThatAreMissingOrPresent) {
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson(R"({"id":"w1","status":"online","url":null})", &doc));
  EXPECT_TRUE(HasMembers(doc, {"id", "status", "url"}));
  const testing::AssertionResult missing = HasMembers(doc, {"id", "tier", "runtime"});
  EXPECT_FALSE(missing);
  EXPECT_EQ(std::string(missing.message()), "missing: tier, runtime");
  EXPECT_TRUE(LacksMembers(doc, {"template", "created_at"}));
  const testing::AssertionResult present = LacksMembers(doc, {"template", "url"});
  EXPECT_FALSE(present);
  EXPECT_EQ(std::string(present.message()), "present: url");
  rapidjson::Document array;
  ASSERT_TRUE(ParseJson("[]", &array));
  EXPECT_FALSE(HasMembers(array, {"id"}));
  EXPECT_FALSE(LacksMembers(array, {"id"}));
}

TEST(ParseEventLinesTest, ReadsTheReferenceShape) {
  std::vector<ParsedEvent> events;
  ASSERT_TRUE(
      ParseEventLines("{\"ts\":\"t\",\"event\":\"online\",\"data\":{\"workspace\":\"PM\"}}\n"
                      "{\"ts\":\"t\",\"event\":\"verdict\",\"data\":null}\n",
                      &events));
  EXPECT_THAT(EventNames(events), ElementsAre("online", "verdict"));
  EXPECT_EQ(events[0].Str("workspace"), "PM");
  EXPECT_EQ(events[1].data, nullptr);
}

TEST(ParseEventLinesTest, RejectsOtherShapesNamingTheLine) {
  for (const std::string& bad : {
           std::string("progress: 30 s\n"),
           std::string(R"({"event":"online","ts":"t","data":{}})"),
           std::string(R"({"ts":"t","event":"online","data":{},"extra":1})"),
           std::string(R"({"ts":"t","event":7,"data":{}})"),
       }) {
    std::vector<ParsedEvent> events;
    const testing::AssertionResult parsed = ParseEventLines(bad, &events);
    EXPECT_FALSE(parsed) << bad;
    EXPECT_THAT(parsed.message(), HasSubstr(bad.substr(0, 10))) << bad;
  }
}

TEST(ParseEventsTest, SkipsLinesThatAreNotEvents) {
  const std::vector<ParsedEvent> events =
      ParseEvents("summary line\n{\"event\":\"online\",\"ts\":\"t\",\"data\":{}}\n[1]\n");
  EXPECT_THAT(EventNames(events), ElementsAre("online"));
}

}  // namespace
}  // namespace taskbounds
