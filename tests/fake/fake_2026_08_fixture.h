// The fixture of the 2026-08 profile's tests: an embedded fake modelling 2026-08 with an
// admin token (and the org's platform root, unless a test asks for none), a PlatformClient carrying
// it, raw requests with extra headers, and a teardown that deletes every workspace the way 2026-08
// asks (X-Confirm-Name) before the leak check.
#ifndef TESTS_FAKE_FAKE_2026_08_FIXTURE_H_
#define TESTS_FAKE_FAKE_2026_08_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "client/platform_client.h"
#include "gtest/gtest.h"
#include "mocks/fake_platform_options.h"
#include "rapidjson/document.h"
#include "tests/support/assertions.h"
#include "tests/support/platform_fixture.h"

namespace taskbounds {

inline constexpr char kAdminToken2026_08[] = "admin-token-2026-08-test";

class Fake2026_08Test : public FakePlatformTest {
 protected:
  // FastOptions on 2026-08 with kAdminToken2026_08.
  static FakePlatformOptions Options() {
    FakePlatformOptions options = FastOptions();
    options.platform_version = PlatformVersion::k2026_08;
    options.admin_token = kAdminToken2026_08;
    return options;
  }

  void SetUp() override { ASSERT_NO_FATAL_FAILURE(StartWith(Options())); }

  // Options() for an org without a platform root: an omitted parent_id lands under the sole
  // root workspace, if any (the "else" of H/platform_agent.go:73-108).
  static FakePlatformOptions OptionsWithoutPlatformRoot() {
    FakePlatformOptions options = Options();
    options.platform_root = false;
    return options;
  }

  // (Re)starts the fake; client_ sends options' admin token and org id.
  void StartWith(const FakePlatformOptions& options) {
    ASSERT_NO_FATAL_FAILURE(Start(options));
    client_ =
        std::make_unique<PlatformClient>(ClientFor(*fake_, options.admin_token, options.org_id));
    CheckLeaksAtTearDown();
  }

  void TearDown() override {
    DeleteEverything();
    FakePlatformTest::TearDown();
  }

  // Every listed workspace but the platform root (the platform's own, not the test's),
  // deleted with ?confirm=true and its name.
  void DeleteEverything() {
    if (!fake_ || !client_) {
      return;
    }
    rapidjson::Document list;
    if (!ParseJson(client_->Send("GET", "/workspaces", "").body, &list) || !list.IsArray()) {
      return;
    }
    for (const auto& ws : list.GetArray()) {
      if (ws.HasMember("kind") && ws["kind"] == "platform") {
        continue;
      }
      (void)Delete(ws["id"].GetString(), ws["name"].GetString(), "?confirm=true");
    }
  }

  HttpExchange Create(const std::string& body) {
    return client_->Send("POST", "/workspaces", body);
  }

  // A create that must answer 201; its id out.
  testing::AssertionResult Created(const std::string& body, std::string* id,
                                   rapidjson::Document* reply = nullptr) {
    const HttpExchange ex = Create(body);
    rapidjson::Document doc;
    if (ex.http_status != 201 || !ParseJson(ex.body, &doc) || !doc.HasMember("id")) {
      return testing::AssertionFailure()
             << "create " << body << ": HTTP " << ex.http_status << " " << ex.body;
    }
    *id = doc["id"].GetString();
    if (reply != nullptr) {
      reply->CopyFrom(doc, reply->GetAllocator());
    }
    return testing::AssertionSuccess();
  }

  HttpExchange Delete(const std::string& id, const std::string& confirm_name,
                      const std::string& query = "") {
    return client_->Send("DELETE", "/workspaces/" + id + query, "", 0,
                         {"X-Confirm-Name: " + confirm_name});
  }

  HttpExchange Get(const std::string& path) { return client_->Send("GET", path, ""); }

  // The workspace's GET body (include_removed, so tombstones too).
  rapidjson::Document Read(const std::string& id) {
    rapidjson::Document doc;
    EXPECT_TRUE(ParseJson(Get("/workspaces/" + id + "?include_removed=true").body, &doc));
    return doc;
  }

  std::string NameOf(const std::string& id) {
    const rapidjson::Document doc = Read(id);
    return doc.IsObject() && doc.HasMember("name") ? doc["name"].GetString() : "";
  }
};

// Fake2026_08Test on an org without a platform root.
class Fake2026_08SoleRootTest : public Fake2026_08Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(StartWith(OptionsWithoutPlatformRoot())); }
};

// `exchange` answered `status` with a JSON object whose "code" is `code`.
inline testing::AssertionResult IsCoded(const HttpExchange& exchange, long status,
                                        const std::string& code) {
  rapidjson::Document doc;
  if (exchange.http_status != status || !ParseJson(exchange.body, &doc) || !doc.IsObject() ||
      !doc.HasMember("code") || !doc["code"].IsString() || doc["code"].GetString() != code) {
    return testing::AssertionFailure()
           << exchange.method << " " << exchange.path << ": want " << status << " code " << code
           << ", got HTTP " << exchange.http_status << " " << exchange.body;
  }
  return testing::AssertionSuccess();
}

}  // namespace taskbounds

#endif  // TESTS_FAKE_FAKE_2026_08_FIXTURE_H_
