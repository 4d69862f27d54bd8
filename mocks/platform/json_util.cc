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

std::optional<std::string> StringMember(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsString()) {
    return std::nullopt;
  }
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

bool ParseBodyObject(const std::string& body, rapidjson::Document* doc) {
  doc->Parse<rapidjson::kParseStopWhenDoneFlag>(body.data(), body.size());
  return !doc->HasParseError() && doc->IsObject();
}

}  // namespace taskbounds
