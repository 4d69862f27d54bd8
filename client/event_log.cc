#include "client/event_log.h"

#include <cmath>

#include "client/secrets.h"
#include "client/text.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace taskbounds {
namespace {

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

using LineWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// The one place remote text leaves as an event: every string of the data (keys too: a copied
// platform answer may carry anything) goes to the writer with the run's known secrets masked
// (client/secrets.h), so no caller has to remember it. RapidJSON's SAX handler concept.
class MaskingHandler {
 public:
  explicit MaskingHandler(LineWriter* w) : w_(w) {}
  bool Null() { return w_->Null(); }
  bool Bool(bool b) { return w_->Bool(b); }
  bool Int(int i) { return w_->Int(i); }
  bool Uint(unsigned u) { return w_->Uint(u); }
  bool Int64(int64_t i) { return w_->Int64(i); }
  bool Uint64(uint64_t u) { return w_->Uint64(u); }
  bool Double(double d) { return w_->Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) {
    return w_->RawNumber(s, n, copy);
  }
  bool String(const char* s, rapidjson::SizeType n, bool /*copy*/) {
    const std::string masked = MaskKnownSecrets(std::string_view(s, n));
    return w_->String(masked.data(), static_cast<rapidjson::SizeType>(masked.size()));
  }
  bool Key(const char* s, rapidjson::SizeType n, bool /*copy*/) {
    const std::string masked = MaskKnownSecrets(std::string_view(s, n));
    return w_->Key(masked.data(), static_cast<rapidjson::SizeType>(masked.size()));
  }
  bool StartObject() { return w_->StartObject(); }
  bool EndObject(rapidjson::SizeType n) { return w_->EndObject(n); }
  bool StartArray() { return w_->StartArray(); }
  bool EndArray(rapidjson::SizeType n) { return w_->EndArray(n); }

 private:
  LineWriter* w_;
};

// Writes one event line; false when `data` holds something JSON cannot carry (NaN).
bool WriteLine(const std::string& ts, std::string_view event, const rapidjson::Value* data,
               rapidjson::StringBuffer* buf) {
  LineWriter w(*buf);
  MaskingHandler masking(&w);
  w.StartObject();
  w.Key("ts");
  w.String(ts.data(), static_cast<rapidjson::SizeType>(ts.size()));
  w.Key("event");
  w.String(event.data(), static_cast<rapidjson::SizeType>(event.size()));
  w.Key("data");
  if (data == nullptr) {
    w.Null();
  } else if (!data->Accept(masking)) {
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
  // A platform body can hold any bytes and RapidJSON copies them through unchecked. Invalid
  // UTF-8 can only sit inside JSON strings (the structure is ASCII), so replacing each bad
  // byte with U+FFFD keeps the line valid JSON that strict parsers accept.
  const std::string line = ValidUtf8(std::string_view(buf.GetString(), buf.GetSize()));
  std::lock_guard<std::mutex> lock(mu_);
  out_.write(line.data(), static_cast<std::streamsize>(line.size()));
  out_.put('\n');
  out_.flush();
}

}  // namespace taskbounds
