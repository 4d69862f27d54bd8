// The fake's 2026-08 profile, a workspace's life after create (platform-api-2026-08.md
// sections 2, 3 and 7): PATCH parent_id's codes, the secrets route's vendor-key guard,
// approval gate and restart, PUT/GET model, GET's liveness fields and 410, the admin list,
// DELETE's X-Confirm-Name, 410 and JSON 404. Over real sockets through PlatformClient.
#include <chrono>
#include <set>
#include <string>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fake/fake_2026_08_fixture.h"

namespace taskbounds {
namespace {

using ::testing::HasSubstr;

constexpr char kUnknownId[] = "00000000-0000-4000-8000-000000000000";

// PM (a root) and Researcher, which the omitted parent_id puts under it: an org without a
// platform root. A restart never ends on its own (so a test sees it whatever the machine's
// speed): the agent's POST /registry/register ends it, as on the platform.
class Fake2026_08PairTest : public Fake2026_08Test {
 protected:
  static FakePlatformOptions PairOptions() {
    FakePlatformOptions options = OptionsWithoutPlatformRoot();
    options.durations.restart_secs = 1e9;
    return options;
  }
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartWith(PairOptions()));
    ASSERT_NO_FATAL_FAILURE(MakePair());
  }
  // The restarted agent registers again: back online.
  testing::AssertionResult Reregister(const std::string& id) {
    const HttpExchange ex = client_->Send("POST", "/registry/register", R"({"id":")" + id + "\"}");
    if (ex.http_status != 200) {
      return testing::AssertionFailure() << "register: HTTP " << ex.http_status << " " << ex.body;
    }
    return WaitForStatus(*client_, id, "online", DefaultWait());
  }
  void MakePair() {
    ASSERT_TRUE(Created(R"({"name":"PM","template":"claude-code-default"})", &pm_));
    ASSERT_TRUE(Created(R"({"name":"Researcher","template":"claude-code-default"})", &child_));
    ASSERT_TRUE(WaitForStatus(*client_, pm_, "online", DefaultWait()));
    ASSERT_TRUE(WaitForStatus(*client_, child_, "online", DefaultWait()));
  }
  HttpExchange PatchParent(const std::string& id, const std::string& parent_json,
                           PlatformClient* as = nullptr) {
    return (as != nullptr ? as : client_.get())
        ->Send("PATCH", "/workspaces/" + id, R"({"parent_id":)" + parent_json + "}");
  }
  HttpExchange WriteSecret(const std::string& id, const std::string& key) {
    return client_->Send("POST", "/workspaces/" + id + "/secrets",
                         R"({"key":")" + key + R"(","value":"value-0001"})");
  }

  std::string pm_;
  std::string child_;
};

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

TEST_F(Fake2026_08PairTest, PatchParentIdAnswersEveryCode) {
  const HttpExchange same = PatchParent(child_, Quoted(pm_));
  EXPECT_EQ(same.http_status, 200);
  EXPECT_EQ(same.body, R"({"status":"updated"})") << "already under the PM: a no-op";
  EXPECT_TRUE(IsCoded(PatchParent(child_, Quoted(child_)), 422, "WORKSPACE_REPARENT_SELF"));
  EXPECT_TRUE(IsCoded(PatchParent(child_, R"("")"), 400, "WORKSPACE_REPARENT_INVALID_PARENT_ID"));
  EXPECT_TRUE(
      IsCoded(PatchParent(child_, Quoted(kUnknownId)), 422, "WORKSPACE_REPARENT_PARENT_NOT_FOUND"));
  EXPECT_TRUE(IsCoded(PatchParent(pm_, Quoted(child_)), 422, "WORKSPACE_REPARENT_CYCLE"));
  EXPECT_TRUE(
      IsCoded(PatchParent(child_, "null"), 422, "WORKSPACE_REPARENT_ROOT_PROMOTION_FORBIDDEN"));
  EXPECT_TRUE(IsCoded(client_->Send("PATCH", "/workspaces/" + child_,
                                    R"({"parent_id":")" + pm_ + R"(","name":"R2"})"),
                      400, "WORKSPACE_REPARENT_AMBIGUOUS_WITH_RENAME"));
  EXPECT_TRUE(IsFlatError(PatchParent(kUnknownId, Quoted(pm_)), 404, "workspace not found"));
  EXPECT_EQ(std::string(Read(child_)["parent_id"].GetString()), pm_) << "no refusal moved it";
}

TEST_F(Fake2026_08PairTest, PatchParentMovesAnswersTheMoveAndRefusesNameClashesAndTokens) {
  std::string other;  // a second child of the PM, then the child moves under it
  ASSERT_TRUE(Created(R"({"name":"Other","template":"claude-code-default"})", &other));
  const HttpExchange moved = PatchParent(child_, Quoted(other));
  ASSERT_EQ(moved.http_status, 200) << moved.body;
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson(moved.body, &doc));
  ASSERT_TRUE(HasMembers(doc, {"status", "reparented", "needs_restart"}));
  EXPECT_TRUE(doc["needs_restart"].GetBool());
  EXPECT_EQ(std::string(doc["reparented"]["old_parent_id"].GetString()), pm_);
  EXPECT_EQ(std::string(doc["reparented"]["new_parent_id"].GetString()), other);
  EXPECT_EQ(std::string(doc["reparented"]["org_root_id"].GetString()), pm_);

  std::string twin;  // named like `other`, under the PM: cannot move beside... itself
  ASSERT_TRUE(Created(R"({"name":"Researcher","template":"claude-code-default"})", &twin));
  EXPECT_EQ(NameOf(twin), "Researcher") << "the first Researcher moved away";
  EXPECT_TRUE(IsCoded(PatchParent(twin, Quoted(other)), 409, "WORKSPACE_REPARENT_NAME_CONFLICT"));

  rapidjson::Document created;
  std::string extra;
  ASSERT_TRUE(Created(R"({"name":"E","template":"claude-code-default"})", &extra, &created));
  PlatformClient as_workspace(ClientFor(*fake_, created["auth_token"].GetString()));
  EXPECT_TRUE(IsCoded(PatchParent(extra, Quoted(other), &as_workspace), 403,
                      "WORKSPACE_INFRASTRUCTURE_AUTH_REQUIRED"));
}

TEST_F(Fake2026_08PairTest, AVendorKeyOnAPlatformBilledWorkspaceIs400AndNothingIsStored) {
  const HttpExchange blocked = WriteSecret(child_, "OPENROUTER_API_KEY");
  EXPECT_EQ(blocked.http_status, 400) << blocked.body;
  EXPECT_THAT(blocked.body, HasSubstr("direct vendor key writes are blocked"));
  EXPECT_THAT(blocked.body, HasSubstr(R"("workspace_id":")" + child_ + "\""));
  EXPECT_EQ(fake_->backend().SecretOf(child_, "OPENROUTER_API_KEY"), std::nullopt);
  const HttpExchange saved = WriteSecret(child_, "SERPER_API_KEY");
  EXPECT_EQ(saved.http_status, 200);
  EXPECT_EQ(saved.body, R"({"status":"saved","key":"SERPER_API_KEY"})");
}

TEST_F(Fake2026_08PairTest, ASecretWriteRestartsTheWorkspace) {
  ASSERT_EQ(WriteSecret(child_, "SERPER_API_KEY").http_status, 200);
  EXPECT_EQ(fake_->backend().StatusOf(child_), "provisioning") << "the restart began at once";
  EXPECT_STREQ(Read(child_)["url"].GetString(), "") << "a restart clears the URL";
  EXPECT_TRUE(Reregister(child_));
}

TEST_F(Fake2026_08PairTest, TheApprovalGateHoldsAWriteUntilDecidedThenLetsOneRetryThrough) {
  FakePlatformOptions options = PairOptions();
  options.approval_gate = true;
  ASSERT_NO_FATAL_FAILURE(StartWith(options));
  ASSERT_NO_FATAL_FAILURE(MakePair());
  const HttpExchange pending = WriteSecret(child_, "SERPER_API_KEY");
  ASSERT_EQ(pending.http_status, 202) << pending.body;
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson(pending.body, &doc));
  ASSERT_TRUE(HasMembers(doc, {"status", "approval_id", "action", "reason"}));
  EXPECT_STREQ(doc["status"].GetString(), "pending_approval");
  EXPECT_STREQ(doc["action"].GetString(), "secret_write");
  EXPECT_EQ(fake_->backend().SecretOf(child_, "SERPER_API_KEY"), std::nullopt) << "not written";
  const std::string approval = doc["approval_id"].GetString();
  const std::string decide = "/workspaces/" + child_ + "/approvals/" + approval + "/decide";

  EXPECT_EQ(WriteSecret(child_, "SERPER_API_KEY").http_status, 202) << "undecided: still held";
  EXPECT_TRUE(IsFlatError(client_->Send("POST", "/workspaces/" + child_ + "/approvals/nope/decide",
                                        R"({"decision":"approved"})"),
                          404, "approval not found"));
  const HttpExchange approved =
      client_->Send("POST", decide, R"({"decision":"approved","decided_by":"test"})");
  ASSERT_EQ(approved.http_status, 200) << approved.body;
  EXPECT_EQ(approved.body, R"({"status":"approved","approval_id":")" + approval + "\"}");
  EXPECT_EQ(client_->Send("POST", decide, R"({"decision":"approved"})").http_status, 409);

  EXPECT_EQ(WriteSecret(child_, "SERPER_API_KEY").http_status, 200) << "the retry goes through";
  EXPECT_EQ(fake_->backend().SecretOf(child_, "SERPER_API_KEY"), "value-0001");
  EXPECT_EQ(WriteSecret(child_, "SERPER_API_KEY").http_status, 202) << "one-shot: used up";
}

TEST_F(Fake2026_08PairTest, ModelRoutesStoreTheModelRestartAndValidate) {
  const HttpExchange unresolved = Get("/workspaces/" + child_ + "/model");
  EXPECT_EQ(unresolved.body, R"({"model":"","source":"unresolved"})");
  const std::string path = "/workspaces/" + child_ + "/model";
  const HttpExchange saved = client_->Send("PUT", path, R"({"model":"anthropic/claude-x"})");
  EXPECT_EQ(saved.body, R"({"status":"saved","model":"anthropic/claude-x"})");
  EXPECT_EQ(fake_->backend().StatusOf(child_), "provisioning") << "always restarts";
  EXPECT_EQ(Get(path).body, R"({"model":"anthropic/claude-x","source":"workspace_secrets"})");
  EXPECT_TRUE(IsCoded(client_->Send("PUT", path, R"({"model":"openrouter/x"})"), 422,
                      "UNREGISTERED_MODEL_FOR_RUNTIME"));
  EXPECT_TRUE(IsFlatError(client_->Send("PUT", std::string("/workspaces/") + kUnknownId + "/model",
                                        R"({"model":"anthropic/claude-x"})"),
                          404, "workspace not found"));
  EXPECT_EQ(client_->Send("PUT", path, R"({"model":""})").body, R"({"status":"cleared"})");
  EXPECT_EQ(Get(path).body, R"({"model":"","source":"unresolved"})");
  EXPECT_TRUE(Reregister(child_));
}

TEST_F(Fake2026_08PairTest, GetShowsLivenessFieldsAndAStatusOfTheEnum) {
  const std::set<std::string> kEnum = {"provisioning", "online",        "offline", "degraded",
                                       "failed",       "removed",       "paused",  "hibernated",
                                       "hibernating",  "awaiting_agent"};
  const rapidjson::Document doc = Read(pm_);
  ASSERT_TRUE(HasMembers(doc, {"last_heartbeat_at", "wedged", "last_sample_error", "status"}));
  EXPECT_TRUE(doc["last_heartbeat_at"].IsString()) << "online: the agent has beaten";
  EXPECT_FALSE(doc["wedged"].GetBool());
  EXPECT_TRUE(doc["last_sample_error"].IsNull());
  EXPECT_EQ(kEnum.count(doc["status"].GetString()), 1u) << doc["status"].GetString();

  FakePlatformOptions options = PairOptions();
  options.platform_version = PlatformVersion::k2026_04;
  ASSERT_NO_FATAL_FAILURE(StartWith(options));
  ASSERT_NO_FATAL_FAILURE(MakePair());
  EXPECT_TRUE(LacksMembers(Read(pm_), {"last_heartbeat_at", "wedged", "last_sample_error"}))
      << "2026-04's GET has none of them";
}

// idle_timeout: the PM stops beating while busy; WEDGED_AGENT_THRESHOLD_SECONDS (300 s)
// later GET says wedged, until the idle timer (30 min) cancels the turn.
TEST_F(Fake2026_08PairTest, ABusyPmSilentForFiveMinutesIsWedged) {
  FakePlatformOptions options = PairOptions();
  options.scenario = Scenario::kIdleTimeout;
  ASSERT_NO_FATAL_FAILURE(StartWith(options));
  ASSERT_NO_FATAL_FAILURE(MakePair());
  // The sync budget answers 200 queued while the turn goes on detached.
  const HttpExchange kickoff = client_->Send("POST", "/workspaces/" + pm_ + "/a2a",
                                             BuildMessageSendBody(KickoffText(3)), DefaultWaitMs());
  ASSERT_EQ(kickoff.http_status, 200) << kickoff.body;
  const auto deadline = std::chrono::steady_clock::now() + DefaultWait();
  std::string last;
  while (std::chrono::steady_clock::now() < deadline) {
    const HttpExchange got = Get("/workspaces/" + pm_);
    last = got.body;
    rapidjson::Document doc;
    ASSERT_TRUE(ParseJson(got.body, &doc));
    ASSERT_TRUE(HasMembers(doc, {"wedged", "active_tasks", "last_heartbeat_at"}));
    if (doc["wedged"].GetBool()) {
      EXPECT_GT(doc["active_tasks"].GetInt64(), 0) << "only a busy workspace is wedged";
      EXPECT_TRUE(doc["last_heartbeat_at"].IsString());
      // DELETE's refusal reports the running task and the child.
      rapidjson::Document refusal;
      ASSERT_TRUE(ParseJson(client_->Send("DELETE", "/workspaces/" + pm_, "").body, &refusal));
      ASSERT_TRUE(HasMembers(refusal, {"active_tasks", "child_count"}));
      EXPECT_EQ(refusal["active_tasks"].GetInt64(), 1);
      EXPECT_EQ(refusal["child_count"].GetInt64(), 1);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ADD_FAILURE() << "never wedged within " << DefaultWait().count() << " ms; last GET: " << last;
}

// A workspace the provision-timeout sweep failed: a late heartbeat brings it online on
// 2026-08 (H/registry.go:3256-3267), not on 2026-04.
TEST_F(Fake2026_08Test, ALateHeartbeatRevivesAFailedWorkspaceOn2026_08Only) {
  for (PlatformVersion version : AllPlatformVersions()) {
    FakePlatformOptions options = Options();
    options.platform_version = version;
    options.durations.registration_secs = 1e9;  // the agent never registers by itself
    options.durations.provision_timeout_secs = 0;
    ASSERT_NO_FATAL_FAILURE(StartWith(options));
    std::string id;
    ASSERT_TRUE(Created(R"({"name":"PM","template":"claude-code-default"})", &id));
    ASSERT_TRUE(WaitForStatus(*client_, id, "failed", DefaultWait()));
    ASSERT_EQ(client_->Send("POST", "/registry/heartbeat", R"({"workspace_id":")" + id + "\"}")
                  .http_status,
              200);
    const bool revived = version == PlatformVersion::k2026_08;
    EXPECT_EQ(fake_->backend().StatusOf(id), revived ? "online" : "failed")
        << PlatformVersionName(version);
    DeleteEverything();
  }
}

TEST_F(Fake2026_08PairTest, DeleteNeedsTheExactNameAndThenAnswers410And404) {
  // Raw: the client's DeleteWorkspace answers this 400 by itself (with the reported name).
  const HttpExchange bare = client_->Send("DELETE", "/workspaces/" + child_, "");
  ASSERT_EQ(bare.http_status, 400) << bare.body;
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson(bare.body, &doc));
  EXPECT_STREQ(doc["error"].GetString(), "destructive_action_requires_confirmation");
  EXPECT_STREQ(doc["workspace_name"].GetString(), "Researcher");
  ASSERT_TRUE(HasMembers(doc, {"hint", "active_tasks", "child_count"}));
  EXPECT_EQ(doc["active_tasks"].GetInt64(), 0);
  EXPECT_EQ(doc["child_count"].GetInt64(), 0);
  EXPECT_EQ(Delete(child_, "researcher").http_status, 400) << "the name must match exactly";
  EXPECT_EQ(Delete(pm_, "PM").http_status, 409) << "a live child still needs ?confirm=true";

  EXPECT_EQ(Delete(child_, "Researcher").body, R"({"status":"removed","cascade_deleted":0})");
  const HttpExchange again = Delete(child_, "Researcher");
  EXPECT_EQ(again.http_status, 410);
  EXPECT_THAT(again.body, HasSubstr(R"("error":"workspace removed")"));
  EXPECT_TRUE(IsFlatError(Delete(kUnknownId, "x"), 404, "workspace not found"));
  EXPECT_EQ(Delete(pm_, "PM", "?confirm=true").http_status, 200);
}

TEST_F(Fake2026_08PairTest, ARemovedWorkspaceIs410UnlessIncludeRemovedAndLeavesTheList) {
  ASSERT_EQ(Delete(pm_, "PM", "?confirm=true").body, R"({"status":"removed","cascade_deleted":1})");
  const HttpExchange gone = Get("/workspaces/" + child_);
  EXPECT_EQ(gone.http_status, 410);
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson(gone.body, &doc));
  ASSERT_TRUE(HasMembers(doc, {"error", "id", "hint", "removed_at"}));
  EXPECT_EQ(std::string(doc["id"].GetString()), child_);
  EXPECT_STREQ(Read(child_)["status"].GetString(), "removed") << "?include_removed=true";
  EXPECT_EQ(Get("/workspaces").body, "[]");
}

}  // namespace
}  // namespace taskbounds
