// Helpers of the PlatformClient tests over the scripted server: answers to script and the
// recorded request's JSON body.
#ifndef TESTS_CLIENT_SCRIPTED_ANSWERS_H_
#define TESTS_CLIENT_SCRIPTED_ANSWERS_H_

#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/support/scripted_http_server.h"

namespace taskbounds {
namespace testing_support {

inline ScriptedResponse Json(int status, std::string body) {
  ScriptedResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

inline ScriptedResponse Text(int status, std::string body, std::string content_type = "text/html") {
  ScriptedResponse r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

// Parses a recorded request body; fails the test when it is not JSON.
inline rapidjson::Document ParseBody(const RecordedRequest& req) {
  rapidjson::Document doc;
  doc.Parse(req.body.data(), req.body.size());
  EXPECT_FALSE(doc.HasParseError()) << "request body is not JSON: " << req.body.substr(0, 200);
  return doc;
}

// The string member `name` of `v`, or "<absent>".
inline std::string StringMember(const rapidjson::Value& v, const char* name) {
  if (!v.IsObject() || !v.HasMember(name) || !v[name].IsString()) {
    return "<absent>";
  }
  return std::string(v[name].GetString(), v[name].GetStringLength());
}

}  // namespace testing_support
}  // namespace taskbounds

#endif  // TESTS_CLIENT_SCRIPTED_ANSWERS_H_
