// EventLog: exact line format, timestamps, hostile data and concurrent emitters.
#include "client/event_log.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/support/hostile_strings.h"

namespace taskbounds {
namespace {

using Clock = EventLog::Clock;
using ::taskbounds::testing_support::HostileString;

Clock::time_point FromMillis(std::int64_t ms) {
  return Clock::time_point(
      std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(ms)));
}

// True for "YYYY-MM-DDTHH:MM:SS.mmmZ" (digits where the pattern has letters). Hand-written:
// GCC 12's std::regex trips -Wmaybe-uninitialized under the sanitizer build.
bool LooksLikeUtcMillis(const std::string& s) {
  const std::string shape = "dddd-dd-ddTdd:dd:dd.dddZ";
  if (s.size() != shape.size()) {
    return false;
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool ok = shape[i] == 'd' ? (s[i] >= '0' && s[i] <= '9') : s[i] == shape[i];
    if (!ok) {
      return false;
    }
  }
  return true;
}

std::vector<std::string> Lines(const std::string& out) {
  std::vector<std::string> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    lines.push_back(line);
  }
  return lines;
}

TEST(FormatUtcMillisTest, FormatsKnownInstants) {
  EXPECT_EQ(FormatUtcMillis(FromMillis(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatUtcMillis(FromMillis(1795514400123)), "2026-11-24T10:00:00.123Z");
  EXPECT_EQ(FormatUtcMillis(FromMillis(951868799999)), "2000-02-29T23:59:59.999Z");
  EXPECT_EQ(FormatUtcMillis(FromMillis(-1)), "1969-12-31T23:59:59.999Z");
}

TEST(FormatUtcMillisTest, ShapeCheckRejectsNearMisses) {
  EXPECT_TRUE(LooksLikeUtcMillis("2026-11-24T10:00:00.123Z"));
  EXPECT_FALSE(LooksLikeUtcMillis("2026-11-24T10:00:00Z"));
  EXPECT_FALSE(LooksLikeUtcMillis("2026-11-24 10:00:00.123Z"));
  EXPECT_FALSE(LooksLikeUtcMillis("2026-11-24T10:00:00.123+"));
}

TEST(FormatUtcMillisTest, TruncatesSubMillisecondPrecision) {
  const auto ts = FromMillis(1795514400123) + std::chrono::microseconds(999);
  EXPECT_EQ(FormatUtcMillis(ts), "2026-11-24T10:00:00.123Z");
}

TEST(EventLogTest, EventWithoutDataHasNullData) {
  std::ostringstream out;
  EventLog log(out);
  log.EmitAt(FromMillis(1795514400123), "run_started", nullptr);
  EXPECT_EQ(out.str(),
            "{\"ts\":\"2026-11-24T10:00:00.123Z\",\"event\":\"run_started\",\"data\":null}\n");
}

TEST(EventLogTest, EventDataIsWrittenInInsertionOrder) {
  std::ostringstream out;
  EventLog log(out);
  EventData data;
  data.Str("pm_id", "ws-1").Int("depth", 3).Num("secs", 1.5).Bool("dry_run", false).Null("x");
  log.EmitAt(FromMillis(0), "pm_provisioned", &data);
  EXPECT_EQ(out.str(),
            "{\"ts\":\"1970-01-01T00:00:00.000Z\",\"event\":\"pm_provisioned\",\"data\":"
            "{\"pm_id\":\"ws-1\",\"depth\":3,\"secs\":1.5,\"dry_run\":false,\"x\":null}}\n");
}

TEST(EventLogTest, EmitUsesTheCurrentTimeInUtcWithMilliseconds) {
  std::ostringstream out;
  EventLog log(out);
  EventData data;
  data.Str("k", "v");
  log.Emit("a");
  log.Emit("b", data);
  const auto lines = Lines(out.str());
  ASSERT_EQ(lines.size(), 2u);
  for (const std::string& line : lines) {
    rapidjson::Document doc;
    doc.Parse(line.c_str());
    ASSERT_FALSE(doc.HasParseError()) << line;
    ASSERT_TRUE(doc.IsObject());
    ASSERT_EQ(doc.MemberCount(), 3u);
    // Key order is part of the format (the reference harness writes ts, event, data).
    auto it = doc.MemberBegin();
    EXPECT_STREQ(it->name.GetString(), "ts");
    EXPECT_TRUE(LooksLikeUtcMillis(it->value.GetString())) << line;
    ++it;
    EXPECT_STREQ(it->name.GetString(), "event");
    ++it;
    EXPECT_STREQ(it->name.GetString(), "data");
  }
  EXPECT_THAT(lines[0], ::testing::EndsWith("\"event\":\"a\",\"data\":null}"));
  EXPECT_THAT(lines[1], ::testing::EndsWith("\"event\":\"b\",\"data\":{\"k\":\"v\"}}"));
}

TEST(EventLogTest, InvalidUtf8FromAPlatformBodyBecomesReplacementCharacters) {
  std::ostringstream out;
  EventLog log(out);
  // A lone continuation byte, a truncated 3-byte sequence, an overlong '/', a surrogate,
  // then valid 2- and 4-byte characters.
  const std::string raw = std::string("a\x80") + "b\xE2\x82" + "c\xC0\xAF" + "\xED\xA0\x80" +
                          "\xC3\xA9\xF0\x9F\x98\x80";
  log.Emit("heartbeat_trace", EventData().Str("raw", raw));
  const std::string line = out.str().substr(0, out.str().size() - 1);
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(line.c_str(), line.size());
  ASSERT_FALSE(doc.HasParseError()) << line;
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(std::string(doc["data"]["raw"].GetString()), "a" + fffd + "b" + fffd + fffd + "c" +
                                                             fffd + fffd + fffd + fffd + fffd +
                                                             "\xC3\xA9\xF0\x9F\x98\x80");
}

TEST(EventDataTest, RepeatedKeyReplacesTheValue) {
  EventData data;
  data.Str("status", "provisioning").Str("status", "online");
  ASSERT_EQ(data.value().MemberCount(), 1u);
  EXPECT_STREQ(data.value()["status"].GetString(), "online");
}

TEST(EventDataTest, NonFiniteNumbersBecomeNull) {
  std::ostringstream out;
  EventLog log(out);
  EventData data;
  data.Num("nan", std::nan("")).Num("inf", std::numeric_limits<double>::infinity());
  log.EmitAt(FromMillis(0), "e", &data);
  EXPECT_THAT(out.str(), ::testing::HasSubstr("\"data\":{\"nan\":null,\"inf\":null}}\n"));
}

TEST(EventDataTest, JsonCopiesTheValueSoTheSourceMayDie) {
  EventData data;
  {
    rapidjson::Document source;
    source.Parse(R"({"status":"online","nested":{"n":[1,2,3]}})");
    ASSERT_FALSE(source.HasParseError());
    data.Json("response", source);
  }  // source and its allocator are gone
  std::ostringstream out;
  EventLog log(out);
  log.EmitAt(FromMillis(0), "e", &data);
  EXPECT_THAT(out.str(), ::testing::HasSubstr(
                             R"("data":{"response":{"status":"online","nested":{"n":[1,2,3]}}}})"));
}

TEST(EventDataTest, CopiedJsonThatCannotBeWrittenStillYieldsAValidLine) {
  rapidjson::Document source;
  source.SetObject();
  source.AddMember("bad", rapidjson::Value(std::nan("")), source.GetAllocator());
  EventData data;
  data.Json("x", source);
  std::ostringstream out;
  EventLog log(out);
  log.EmitAt(FromMillis(0), "e", &data);
  const auto lines = Lines(out.str());
  ASSERT_EQ(lines.size(), 1u);
  rapidjson::Document doc;
  doc.Parse(lines[0].c_str());
  ASSERT_FALSE(doc.HasParseError()) << lines[0];
  EXPECT_STREQ(doc["event"].GetString(), "e");
  EXPECT_TRUE(doc["data"].HasMember("event_log_error"));
}

class EventLogHostileTest : public ::testing::TestWithParam<HostileString> {};

TEST_P(EventLogHostileTest, ValuesRoundTripOnOneLine) {
  const std::string& value = GetParam().value;
  std::ostringstream out;
  EventLog log(out);
  EventData data;
  data.Str("value", value).Str(value, "as key");
  log.EmitAt(FromMillis(0), value, &data);

  const std::string text = out.str();
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find('\n'), text.size() - 1) << "an event spans more than one line";
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size() - 1);
  ASSERT_FALSE(doc.HasParseError());
  const rapidjson::Value& event = doc["event"];
  EXPECT_EQ(std::string(event.GetString(), event.GetStringLength()), value);
  const rapidjson::Value& v = doc["data"]["value"];
  EXPECT_EQ(std::string(v.GetString(), v.GetStringLength()), value);
  const rapidjson::Value& d = doc["data"];
  bool key_found = false;
  for (auto it = d.MemberBegin(); it != d.MemberEnd(); ++it) {
    if (std::string(it->name.GetString(), it->name.GetStringLength()) == value) {
      key_found = true;
    }
  }
  EXPECT_TRUE(key_found);
}

INSTANTIATE_TEST_SUITE_P(Strings, EventLogHostileTest,
                         ::testing::ValuesIn(testing_support::HostileStrings()),
                         testing_support::HostileStringName);

TEST(EventLogTest, ConcurrentEmittersProduceWholeLines) {
  constexpr int kThreads = 8;
  constexpr int kEventsPerThread = 300;
  std::ostringstream out;
  EventLog log(out);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&log, t] {
      for (int i = 0; i < kEventsPerThread; ++i) {
        EventData data;
        data.Int("thread", t)
            .Int("seq", i)
            .Str("pad", std::string(200, static_cast<char>('a' + t % 26)));
        log.Emit("tick", data);
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }

  const auto lines = Lines(out.str());
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kThreads * kEventsPerThread));
  std::set<std::pair<int, int>> seen;
  for (const std::string& line : lines) {
    rapidjson::Document doc;
    doc.Parse(line.c_str());
    ASSERT_FALSE(doc.HasParseError()) << line.substr(0, 120);
    const int t = doc["data"]["thread"].GetInt();
    const int i = doc["data"]["seq"].GetInt();
    EXPECT_EQ(doc["data"]["pad"].GetStringLength(), 200u);
    seen.insert({t, i});
  }
  EXPECT_EQ(seen.size(), lines.size());
}

}  // namespace
}  // namespace taskbounds
