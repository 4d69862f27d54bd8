#include "tests/fake/fake_test_util.h"

#include <thread>

namespace taskbounds {

FakePlatformOptions FastOptions(double time_scale) {
  FakePlatformOptions options;
  options.time_scale = time_scale;
  return options;
}

testing::AssertionResult WaitForStatus(PlatformClient& client, const std::string& id,
                                       const std::string& status,
                                       std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string last = "(no successful poll)";
  while (true) {
    auto got = client.GetWorkspace(id);
    if (got.ok()) {
      if (got.value->status == status) {
        return testing::AssertionSuccess();
      }
      last = got.value->status;
    } else {
      last = got.error;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return testing::AssertionFailure() << "workspace " << id << " not " << status << " within "
                                     << timeout.count() << " ms; last: " << last;
}

testing::AssertionResult CreateOnline(PlatformClient& client, const std::string& name,
                                      std::string* id, std::chrono::milliseconds timeout) {
  auto created = client.CreateWorkspace({name, "role of " + name, 2, "langgraph"});
  if (!created.ok()) {
    return testing::AssertionFailure() << "create failed: " << created.error;
  }
  *id = created.value->id;
  return WaitForStatus(client, *id, "online", timeout);
}

testing::AssertionResult ParseJson(const std::string& body, rapidjson::Document* doc) {
  doc->Parse(body.data(), body.size());
  if (doc->HasParseError()) {
    return testing::AssertionFailure() << "not JSON: " << body;
  }
  return testing::AssertionSuccess();
}

testing::AssertionResult IsFlatError(const HttpExchange& exchange, long status,
                                     const std::string& message) {
  if (!exchange.transport_ok()) {
    return testing::AssertionFailure() << "no response: " << exchange.curl_error;
  }
  if (exchange.http_status != status) {
    return testing::AssertionFailure()
           << "HTTP " << exchange.http_status << ", want " << status << ": " << exchange.body;
  }
  rapidjson::Document doc;
  doc.Parse(exchange.body.data(), exchange.body.size());
  if (doc.HasParseError() || !doc.IsObject() || doc.MemberCount() != 1 || !doc.HasMember("error") ||
      !doc["error"].IsString()) {
    return testing::AssertionFailure() << "not a flat {\"error\":...} body: " << exchange.body;
  }
  if (doc["error"].GetString() != message) {
    return testing::AssertionFailure()
           << "error \"" << doc["error"].GetString() << "\", want \"" << message << "\"";
  }
  return testing::AssertionSuccess();
}

bool IsLowerCaseUuid(const std::string& s) {
  if (s.size() != 36) {
    return false;
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') {
        return false;
      }
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

std::string KickoffText(int depth) {
  return "You are coordinating a research analysis. Delegate " + std::to_string(depth) +
         " separate sub-questions to the Researcher (one at a time), then synthesize.";
}

void FakePlatformTest::Start(const FakePlatformOptions& options) {
  if (fake_) {
    fake_->Stop();
  }
  client_.reset();
  fake_ = StartFake(options);
  ASSERT_NE(fake_, nullptr);
  client_ = std::make_unique<PlatformClient>(ClientFor(*fake_));
}

}  // namespace taskbounds
