#include "mocks/platform/json_util.h"

namespace taskbounds {

void WriteString(JsonWriter& w, const std::string& s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void WriteOptionalString(JsonWriter& w, const std::optional<std::string>& s) {
  if (s) {
    WriteString(w, *s);
  } else {
    w.Null();
  }
}

void WriteStringOrNull(JsonWriter& w, const std::string& s) {
  WriteOptionalString(w, s.empty() ? std::nullopt : std::optional<std::string>(s));
}

void WriteAgentTextMessage(JsonWriter& w, const std::string& message_id, const std::string& text,
                           const std::string& context_id) {
  w.StartObject();
  w.Key("kind");
  w.String("message");
  w.Key("messageId");
  WriteString(w, message_id);
  w.Key("role");
  w.String("agent");
  if (!context_id.empty()) {
    w.Key("contextId");
    WriteString(w, context_id);
  }
  w.Key("parts");
  w.StartArray();
  w.StartObject();
  w.Key("kind");
  w.String("text");
  w.Key("text");
  WriteString(w, text);
  w.EndObject();
  w.EndArray();
  w.EndObject();
}

std::optional<std::string> StringMember(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsString()) {
    return std::nullopt;
  }
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

namespace {

// True when the first JSON value in `data` opens at most `limit` arrays and objects inside
// one another. Brackets inside strings do not count; the scan ends with that first value.
bool NestingWithin(const char* data, std::size_t size, int limit) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < size; ++i) {
    const char c = data[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) {
        return false;
      }
    } else if ((c == ']' || c == '}') && --depth <= 0) {
      return true;  // the first value closed; Gin ignores the rest
    }
  }
  return true;
}

}  // namespace

bool ParseBoundedJson(const char* data, std::size_t size, bool first_value_only,
                      rapidjson::Document* doc) {
  if (!NestingWithin(data, size, kMaxBodyNesting)) {
    doc->SetNull();
    return false;
  }
  if (first_value_only) {
    doc->Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseStopWhenDoneFlag>(data, size);
  } else {
    doc->Parse<rapidjson::kParseIterativeFlag>(data, size);
  }
  return !doc->HasParseError();
}

bool ParseBodyObject(const std::string& body, rapidjson::Document* doc) {
  return ParseBoundedJson(body.data(), body.size(), /*first_value_only=*/true, doc) &&
         doc->IsObject();
}

}  // namespace taskbounds
