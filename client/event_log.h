// EventLog: the reference harness's JSON-lines events,
//   {"ts":"2026-11-24T10:00:00.123Z","event":"pm_provisioned","data":{...}}
// one object per line, UTC with milliseconds, built with RapidJSON. Thread-safe. Every string
// of "data" is written with the run's registered secrets masked (client/secrets.h).
#ifndef CLIENT_EVENT_LOG_H_
#define CLIENT_EVENT_LOG_H_

#include <chrono>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>

#include "client/text.h"  // FormatUtcMillis, used for "ts"
#include "rapidjson/document.h"

namespace taskbounds {

// The "data" member of one event: a JSON object built field by field.
class EventData {
 public:
  EventData();
  EventData& Str(std::string_view key, std::string_view value);
  EventData& Int(std::string_view key, std::int64_t value);
  EventData& Num(std::string_view key, double value);
  EventData& Bool(std::string_view key, bool value);
  EventData& Null(std::string_view key);
  // Copies an already-built JSON value (e.g. a parsed response) under `key`.
  EventData& Json(std::string_view key, const rapidjson::Value& value);
  const rapidjson::Value& value() const { return doc_; }

 private:
  rapidjson::Document doc_;
};

class EventLog {
 public:
  using Clock = std::chrono::system_clock;
  explicit EventLog(std::ostream& out);
  // Emits {"ts","event","data":null}.
  void Emit(std::string_view event);
  void Emit(std::string_view event, const EventData& data);
  // Same, with an explicit timestamp (tests).
  void EmitAt(Clock::time_point ts, std::string_view event, const EventData* data);

 private:
  std::mutex mu_;
  std::ostream& out_;
};

}  // namespace taskbounds

#endif  // CLIENT_EVENT_LOG_H_
