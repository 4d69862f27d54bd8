#include "client/event_log.h"

#include <cmath>
#include <cstdio>
#include <ctime>

#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace taskbounds {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not one (overlong
// forms, surrogates and code points past U+10FFFF are invalid too).
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) {
    return 1;
  }
  std::size_t len = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    lo = c == 0xE0 ? 0xA0 : 0x80;
    hi = c == 0xED ? 0x9F : 0xBF;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    lo = c == 0xF0 ? 0x90 : 0x80;
    hi = c == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }
  if (i + len > s.size() || byte(i + 1) < lo || byte(i + 1) > hi) {
    return 0;
  }
  for (std::size_t k = 2; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      return 0;
    }
  }
  return len;
}

// A platform body can hold any bytes and RapidJSON copies them through unchecked. Invalid
// UTF-8 can only sit inside JSON strings (the structure is ASCII), so replacing each bad
// byte with U+FFFD keeps the line valid JSON that strict parsers accept.
std::string WithValidUtf8(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (std::size_t i = 0; i < line.size();) {
    const std::size_t len = Utf8SequenceLength(line, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(line, i, len);
      i += len;
    }
  }
  return out;
}

rapidjson::Value MakeString(std::string_view s, rapidjson::Document::AllocatorType& alloc) {
  return rapidjson::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), alloc);
}

// Replaces an existing member of the same name, so every key appears once in the line.
void SetMember(rapidjson::Document* doc, std::string_view key, rapidjson::Value value) {
  auto& alloc = doc->GetAllocator();
  for (auto it = doc->MemberBegin(); it != doc->MemberEnd(); ++it) {
    if (std::string_view(it->name.GetString(), it->name.GetStringLength()) == key) {
      it->value = std::move(value);
      return;
    }
  }
  doc->AddMember(MakeString(key, alloc), value, alloc);
}

// Writes one event line; false when `data` holds something JSON cannot carry (NaN).
bool WriteLine(const std::string& ts, std::string_view event, const rapidjson::Value* data,
               rapidjson::StringBuffer* buf) {
  rapidjson::Writer<rapidjson::StringBuffer> w(*buf);
  w.StartObject();
  w.Key("ts");
  w.String(ts.data(), static_cast<rapidjson::SizeType>(ts.size()));
  w.Key("event");
  w.String(event.data(), static_cast<rapidjson::SizeType>(event.size()));
  w.Key("data");
  if (data == nullptr) {
    w.Null();
  } else if (!data->Accept(w)) {
    return false;
  }
  return w.EndObject();
}

}  // namespace

EventData::EventData() { doc_.SetObject(); }

EventData& EventData::Str(std::string_view key, std::string_view value) {
  SetMember(&doc_, key, MakeString(value, doc_.GetAllocator()));
  return *this;
}

EventData& EventData::Int(std::string_view key, std::int64_t value) {
  SetMember(&doc_, key, rapidjson::Value(static_cast<int64_t>(value)));
  return *this;
}

EventData& EventData::Num(std::string_view key, double value) {
  // JSON has no NaN/Infinity; null says "no number" without breaking the line.
  SetMember(&doc_, key, std::isfinite(value) ? rapidjson::Value(value) : rapidjson::Value());
  return *this;
}

EventData& EventData::Bool(std::string_view key, bool value) {
  SetMember(&doc_, key, rapidjson::Value(value));
  return *this;
}

EventData& EventData::Null(std::string_view key) {
  SetMember(&doc_, key, rapidjson::Value());
  return *this;
}

EventData& EventData::Json(std::string_view key, const rapidjson::Value& value) {
  SetMember(&doc_, key, rapidjson::Value(value, doc_.GetAllocator()));
  return *this;
}

std::string FormatUtcMillis(EventLog::Clock::time_point ts) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  // Floor division, so instants before the epoch still get a 0..999 millisecond part.
  const auto ms_total = duration_cast<milliseconds>(ts.time_since_epoch()).count();
  std::int64_t secs = ms_total / 1000;
  std::int64_t ms = ms_total % 1000;
  if (ms < 0) {
    ms += 1000;
    secs -= 1;
  }
  const std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

EventLog::EventLog(std::ostream& out) : out_(out) {}

void EventLog::Emit(std::string_view event) { EmitAt(Clock::now(), event, nullptr); }

void EventLog::Emit(std::string_view event, const EventData& data) {
  EmitAt(Clock::now(), event, &data);
}

void EventLog::EmitAt(Clock::time_point ts, std::string_view event, const EventData* data) {
  const std::string stamp = FormatUtcMillis(ts);
  rapidjson::StringBuffer buf;
  if (!WriteLine(stamp, event, data == nullptr ? nullptr : &data->value(), &buf)) {
    // Something inside copied JSON could not be written: keep the line valid and say so.
    buf.Clear();
    EventData fallback;
    fallback.Str("event_log_error", "data could not be serialised as JSON");
    WriteLine(stamp, event, &fallback.value(), &buf);
  }
  const std::string line = WithValidUtf8(std::string_view(buf.GetString(), buf.GetSize()));
  std::lock_guard<std::mutex> lock(mu_);
  out_.write(line.data(), static_cast<std::streamsize>(line.size()));
  out_.put('\n');
  out_.flush();
}

}  // namespace taskbounds
