// Small RapidJSON helpers the fake's units share: writing std::strings, reading optional
// string members, and decoding a request body the way Gin's ShouldBindJSON does.
#ifndef MOCKS_PLATFORM_JSON_UTIL_H_
#define MOCKS_PLATFORM_JSON_UTIL_H_

#include <cstddef>
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
// An A2A agent Message with one text part: {"kind":"message","messageId","role":"agent",
// ["contextId",] "parts":[{"kind":"text","text"}]}; contextId only when not empty. The fake's
// proxy answers and the synthetic agent's answers share this shape.
void WriteAgentTextMessage(JsonWriter& w, const std::string& message_id, const std::string& text,
                           const std::string& context_id = "");
// `obj[key]` when it is a string; nullopt when absent or of another type.
std::optional<std::string> StringMember(const rapidjson::Value& obj, const char* key);
// The deepest nesting of arrays and objects the fake accepts in a request body. Go's
// encoding/json stops at 10000; the fake stops earlier because RapidJSON's CopyFrom and
// Writer recurse, and an httplib worker's stack must survive whatever a client sends.
inline constexpr int kMaxBodyNesting = 512;

// Parses the first JSON value of `data[0, size)` iteratively (no recursion however deep the
// input), ignoring what follows it when `first_value_only`. False, with `doc` holding a
// parse error or an unspecified value, when the value is nested deeper than kMaxBodyNesting
// or is not JSON.
[[nodiscard]] bool ParseBoundedJson(const char* data, std::size_t size, bool first_value_only,
                                    rapidjson::Document* doc);
// ShouldBindJSON decodes the first JSON value and ignores what follows it. True when that
// value is an object (nested at most kMaxBodyNesting deep).
[[nodiscard]] bool ParseBodyObject(const std::string& body, rapidjson::Document* doc);

}  // namespace taskbounds

#endif  // MOCKS_PLATFORM_JSON_UTIL_H_
