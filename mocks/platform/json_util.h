// Small RapidJSON helpers the fake's units share: writing std::strings, reading optional
// string members, and decoding a request body the way Gin's ShouldBindJSON does.
#ifndef MOCKS_PLATFORM_JSON_UTIL_H_
#define MOCKS_PLATFORM_JSON_UTIL_H_

#include <optional>
#include <string>

#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace taskbounds {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void WriteString(JsonWriter& w, const std::string& s);
// The string, or null when absent.
void WriteOptionalString(JsonWriter& w, const std::optional<std::string>& s);
// The string, or null when it is empty.
void WriteStringOrNull(JsonWriter& w, const std::string& s);
// `obj[key]` when it is a string; nullopt when absent or of another type.
std::optional<std::string> StringMember(const rapidjson::Value& obj, const char* key);
// ShouldBindJSON decodes the first JSON value and ignores what follows it. True when that
// value is an object.
[[nodiscard]] bool ParseBodyObject(const std::string& body, rapidjson::Document* doc);

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_JSON_UTIL_H_
