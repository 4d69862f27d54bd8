// The fake's 2026-08 platform root (FakePlatformOptions::platform_root, on by default): the
// org's platform agent, a kind='platform' root the platform installs itself
// (EnterOS-AI/enteros-core aeec8e47, H/platform_agent.go). Listed and readable like any
// workspace, the home of every create without parent_id, never counted as a client's leak,
// refusing the admin token's secret writes, deletable like any workspace (the source has no
// guard) after which the sole-root rule applies again; absent on 2026-04. Over real sockets
// through //client's PlatformClient.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fake/fake_2026_08_fixture.h"

namespace taskbounds {
namespace {

constexpr char kPmBody[] = R"({"name":"PM","template":"claude-code-default"})";
constexpr char kChildBody[] = R"({"name":"Researcher","template":"claude-code-default"})";

class Fake2026_08PlatformRootTest : public Fake2026_08Test {
 protected:
  // The kind='platform' rows GET /workspaces lists; their ids out.
  testing::AssertionResult ListedPlatformRoots(std::vector<std::string>* ids) {
    rapidjson::Document list;
    if (!ParseJson(Get("/workspaces").body, &list) || !list.IsArray()) {
      return testing::AssertionFailure() << "GET /workspaces is not a JSON array";
    }
    ids->clear();
    for (const auto& ws : list.GetArray()) {
      if (!ws.HasMember("kind") || !ws["kind"].IsString()) {
        return testing::AssertionFailure() << "a listed workspace has no kind";
      }
      if (ws["kind"] == "platform") {
        ids->push_back(ws["id"].GetString());
      }
    }
    return testing::AssertionSuccess();
  }

  // The one platform root's id, or a failure naming how many there are.
  testing::AssertionResult TheRoot(std::string* id) {
    std::vector<std::string> ids;
    testing::AssertionResult listed = ListedPlatformRoots(&ids);
    if (!listed) {
      return listed;
    }
    if (ids.size() != 1) {
      return testing::AssertionFailure() << ids.size() << " platform roots listed, want 1";
    }
    *id = ids.front();
    return testing::AssertionSuccess();
  }
};

TEST_F(Fake2026_08PlatformRootTest, TheOrgStartsWithItsOnlinePlatformRootNotCountedAsALeak) {
  std::string root;
  ASSERT_TRUE(TheRoot(&root));
  const rapidjson::Document doc = Read(root);
  ASSERT_TRUE(HasMembers(doc, {"kind", "name", "parent_id", "status", "tier", "runtime"}));
  EXPECT_STREQ(doc["kind"].GetString(), "platform");
  EXPECT_STREQ(doc["name"].GetString(), "Org Concierge");
  EXPECT_TRUE(doc["parent_id"].IsNull()) << "it is the org's root";
  EXPECT_STREQ(doc["status"].GetString(), "online");
  EXPECT_EQ(doc["tier"].GetInt64(), 0);
  EXPECT_STREQ(doc["runtime"].GetString(), "hermes");
  EXPECT_TRUE(fake_->backend().LiveWorkspaceIds().empty()) << "the platform's own, no leak";

  std::string pm;
  ASSERT_TRUE(Created(kPmBody, &pm));
  EXPECT_STREQ(Read(pm)["kind"].GetString(), "workspace");
  EXPECT_EQ(fake_->backend().LiveWorkspaceIds(), std::vector<std::string>{pm})
      << "the client's workspace counts";
}

TEST_F(Fake2026_08PlatformRootTest, CreatesWithoutParentLandUnderItAndNamedParentsStillWin) {
  std::string root;
  ASSERT_TRUE(TheRoot(&root));
  std::string pm_a;
  std::string pm_b;
  std::string child;
  ASSERT_TRUE(Created(kPmBody, &pm_a));
  ASSERT_TRUE(Created(kPmBody, &pm_b));
  ASSERT_TRUE(Created(
      R"({"name":"Researcher","template":"claude-code-default","parent_id":")" + pm_a + "\"}",
      &child));
  EXPECT_EQ(std::string(Read(pm_a)["parent_id"].GetString()), root);
  EXPECT_EQ(std::string(Read(pm_b)["parent_id"].GetString()), root)
      << "a second PM is a sibling, not a child of the first";
  EXPECT_EQ(NameOf(pm_b), "PM (2)") << "siblings under the root get suffixed";
  EXPECT_EQ(std::string(Read(child)["parent_id"].GetString()), pm_a);
  EXPECT_TRUE(IsCoded(client_->Send("PATCH", "/workspaces/" + pm_a, R"({"parent_id":null})"), 422,
                      "WORKSPACE_REPARENT_ROOT_PROMOTION_FORBIDDEN"))
      << "a PM under the platform root is no root";
  EXPECT_EQ(Delete(pm_a, "PM", "?confirm=true").http_status, 200);
  EXPECT_EQ(Delete(pm_b, "PM (2)").http_status, 200);
  EXPECT_TRUE(fake_->backend().LiveWorkspaceIds().empty());
  ASSERT_TRUE(TheRoot(&root)) << "deleting its children leaves the root";
}

// H/secrets.go:459-485: the admin token's write on the platform root is refused before the
// approval gate, stores nothing and restarts nothing.
TEST_F(Fake2026_08PlatformRootTest, TheAdminTokensSecretWriteOnItIs403AndChangesNothing) {
  std::string root;
  ASSERT_TRUE(TheRoot(&root));
  const HttpExchange ex = client_->Send("POST", "/workspaces/" + root + "/secrets",
                                        R"({"key":"SERPER_API_KEY","value":"value-0001"})");
  EXPECT_TRUE(IsCoded(ex, 403, "CONCIERGE_SELF_WRITE_BLOCKED"));
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson(ex.body, &doc));
  ASSERT_TRUE(HasMembers(doc, {"error", "workspace_id", "key"}));
  EXPECT_EQ(std::string(doc["workspace_id"].GetString()), root);
  EXPECT_STREQ(doc["key"].GetString(), "SERPER_API_KEY");
  EXPECT_EQ(fake_->backend().SecretOf(root, "SERPER_API_KEY"), std::nullopt);
  EXPECT_STREQ(Read(root)["status"].GetString(), "online") << "no restart";
}

TEST_F(Fake2026_08PlatformRootTest, TheApprovalGateDoesNotTurnTheRefusalIntoAnApproval) {
  FakePlatformOptions options = Options();
  options.approval_gate = true;
  ASSERT_NO_FATAL_FAILURE(StartWith(options));
  std::string root;
  ASSERT_TRUE(TheRoot(&root));
  EXPECT_TRUE(IsCoded(client_->Send("POST", "/workspaces/" + root + "/secrets",
                                    R"({"key":"SERPER_API_KEY","value":"value-0001"})"),
                      403, "CONCIERGE_SELF_WRITE_BLOCKED"));
}

// H/workspace_crud.go:644-760 has no rule of its own for the platform root: X-Confirm-Name,
// the children's 409, and ?confirm=true's cascade, as for any workspace. Once it is removed
// the org has no platform root and the sole-root rule decides (H/platform_agent.go:91-108).
TEST_F(Fake2026_08PlatformRootTest, DeletingItAnswersAsAnyWorkspaceAndTheSoleRootRuleReturns) {
  std::string root;
  ASSERT_TRUE(TheRoot(&root));
  std::string pm;
  ASSERT_TRUE(Created(kPmBody, &pm));
  const HttpExchange unnamed = client_->Send("DELETE", "/workspaces/" + root, "");
  EXPECT_EQ(unnamed.http_status, 400);
  EXPECT_THAT(unnamed.body,
              ::testing::HasSubstr(R"("error":"destructive_action_requires_confirmation")"));
  EXPECT_THAT(unnamed.body, ::testing::HasSubstr(R"("workspace_name":"Org Concierge")"));
  EXPECT_EQ(Delete(root, "Org Concierge").http_status, 409) << "it has a child";
  EXPECT_EQ(Delete(root, "Org Concierge", "?confirm=true").body,
            R"({"status":"removed","cascade_deleted":1})");
  std::vector<std::string> roots;
  ASSERT_TRUE(ListedPlatformRoots(&roots));
  EXPECT_TRUE(roots.empty());
  EXPECT_TRUE(fake_->backend().LiveWorkspaceIds().empty()) << "the cascade took the PM";

  std::string new_pm;
  std::string child;
  ASSERT_TRUE(Created(kPmBody, &new_pm));
  ASSERT_TRUE(Created(kChildBody, &child));
  EXPECT_TRUE(Read(new_pm)["parent_id"].IsNull()) << "no platform root: a root";
  EXPECT_EQ(std::string(Read(child)["parent_id"].GetString()), new_pm) << "the sole root";
}

TEST_F(Fake2026_08PlatformRootTest, OffLeavesTheOrgWithoutOne) {
  ASSERT_NO_FATAL_FAILURE(StartWith(OptionsWithoutPlatformRoot()));
  std::vector<std::string> roots;
  ASSERT_TRUE(ListedPlatformRoots(&roots));
  EXPECT_TRUE(roots.empty());
  std::string pm;
  ASSERT_TRUE(Created(kPmBody, &pm));
  EXPECT_TRUE(Read(pm)["parent_id"].IsNull());
}

// 2026-04 predates the kind column and the platform agent: the switch is ignored.
TEST_F(Fake2026_08PlatformRootTest, The2026_04ProfileIgnoresTheSwitch) {
  FakePlatformOptions options = Options();
  options.platform_version = PlatformVersion::k2026_04;
  options.platform_root = true;
  ASSERT_NO_FATAL_FAILURE(StartWith(options));
  rapidjson::Document list;
  ASSERT_TRUE(ParseJson(Get("/workspaces").body, &list));
  ASSERT_TRUE(list.IsArray());
  EXPECT_EQ(list.Size(), 0u);
  const auto created = client_->CreateWorkspace({"PM", "Coordinator", 2, "claude-code-default"});
  ASSERT_TRUE(created.ok()) << created.error;
  const rapidjson::Document doc = Read(created.value->id);
  EXPECT_TRUE(doc["parent_id"].IsNull());
  EXPECT_FALSE(doc.HasMember("kind"));
  ASSERT_TRUE(client_->DeleteWorkspace(created.value->id, true).ok());
}

}  // namespace
}  // namespace taskbounds
