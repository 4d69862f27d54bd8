// The synthetic coordinator's pure parts: how it reads a JSON-RPC call (and which calls are
// stall probes), the bodies it answers with, its agent card, its heartbeat body and registry
// URLs, and the behaviour checks that make Start() refuse what cannot run.
#include "mocks/agent/a2a_call.h"

#include <string>

#include "gtest/gtest.h"
#include "mocks/agent/agent_behaviour.h"
#include "mocks/agent/heartbeat_loop.h"
#include "rapidjson/document.h"
#include "tests/support/assertions.h"
#include "tests/support/hostile_strings.h"

namespace taskbounds {
namespace {

constexpr char kKickoff[] =
    R"({"jsonrpc":"2.0","id":"rpc-9","method":"message/send","params":{"message":{)"
    R"("messageId":"m-1","contextId":"c-1","role":"user","parts":[{"kind":"text","text":"Go."}],)"
    R"("metadata":{"source_type":"canvas"}}}})";

TEST(A2ACallTest, ReadsAMessageSend) {
  const A2ACall call = ParseA2ACall(kKickoff);
  EXPECT_EQ(call.rpc_error, 0) << call.error;
  EXPECT_EQ(call.rpc_id_json, "\"rpc-9\"");
  EXPECT_EQ(call.method, "message/send");
  EXPECT_EQ(call.message_id, "m-1");
  EXPECT_EQ(call.context_id, "c-1");
  EXPECT_EQ(call.text, "Go.");
  EXPECT_EQ(call.source_type, "canvas");
  EXPECT_FALSE(IsStallProbe(call));
}

TEST(A2ACallTest, NumericIdsAndV02TypedPartsAreRead) {
  const A2ACall call = ParseA2ACall(
      R"({"jsonrpc":"2.0","id":42,"method":"message/send",)"
      R"("params":{"message":{"messageId":"m","parts":[{"type":"text","text":"hi"}]}}})");
  EXPECT_EQ(call.rpc_error, 0) << call.error;
  EXPECT_EQ(call.rpc_id_json, "42");
  EXPECT_EQ(call.text, "hi");
}

TEST(A2ACallTest, AStallProbeNeedsItsTextAndItsMetadata) {
  const std::string probe =
      R"({"jsonrpc":"2.0","id":"p","method":"message/send","params":{"message":{)"
      R"("messageId":"p-1","parts":[{"kind":"text","text":"Liveness check: no activity for 12 min"}],)"
      R"("metadata":{"source_type":"self-stall"}}}})";
  EXPECT_TRUE(IsStallProbe(ParseA2ACall(probe)));
  std::string wrong_source = probe;
  wrong_source.replace(wrong_source.find("self-stall"), 10, "canvas-ui!");
  EXPECT_FALSE(IsStallProbe(ParseA2ACall(wrong_source)));
  std::string wrong_text = probe;
  wrong_text.replace(wrong_text.find("Liveness"), 8, "Vitality");
  EXPECT_FALSE(IsStallProbe(ParseA2ACall(wrong_text)));
}

TEST(A2ACallTest, WhatCannotBeReadGetsItsJsonRpcError) {
  struct Case {
    std::string body;
    int code;
  };
  const Case cases[] = {
      {"not json", kRpcParseError},
      {std::string(600, '[') + std::string(600, ']'), kRpcParseError},
      {"[1,2]", kRpcInvalidRequest},
      {R"({"id":1,"method":"message/send"})", kRpcInvalidRequest},
      {R"({"jsonrpc":"2.0","id":{"x":1},"method":"message/send"})", kRpcInvalidRequest},
      {R"({"jsonrpc":"2.0","id":1,"method":"SendMessage","params":{}})", kRpcMethodNotFound},
      {R"({"jsonrpc":"2.0","id":1,"method":"message/send","params":{}})", kRpcInvalidParams},
  };
  for (const Case& c : cases) {
    const A2ACall call = ParseA2ACall(c.body);
    EXPECT_EQ(call.rpc_error, c.code) << c.body.substr(0, 80);
    EXPECT_FALSE(call.error.empty()) << c.body.substr(0, 80);
  }
}

TEST(A2ACallTest, ResultBodyEchoesTheIdAndContext) {
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJson(RpcResultBody("\"rpc-9\"", "done", "c-1"), &doc));
  ASSERT_TRUE(HasMembers(doc, {"jsonrpc", "id", "result"}));
  EXPECT_STREQ(doc["id"].GetString(), "rpc-9");
  const rapidjson::Value& result = doc["result"];
  ASSERT_TRUE(HasMembers(result, {"kind", "messageId", "role", "contextId", "parts"}));
  EXPECT_STREQ(result["kind"].GetString(), "message");
  EXPECT_STREQ(result["role"].GetString(), "agent");
  EXPECT_STREQ(result["contextId"].GetString(), "c-1");
  EXPECT_STREQ(result["parts"][0]["text"].GetString(), "done");

  ASSERT_TRUE(ParseJson(RpcErrorBody("null", kRpcParseError, "bad"), &doc));
  EXPECT_TRUE(doc["id"].IsNull());
  EXPECT_EQ(doc["error"]["code"].GetInt(), kRpcParseError);
}

TEST(A2ACallTest, HostileTextStaysValidJson) {
  for (const testing_support::HostileString& hostile : testing_support::HostileStrings()) {
    rapidjson::Document doc;
    ASSERT_TRUE(ParseJson(RpcResultBody("1", hostile.value, hostile.value), &doc)) << hostile;
    ASSERT_TRUE(ParseJson(FlatErrorBody(hostile.value), &doc)) << hostile;
  }
}

TEST(A2ACallTest, SafeUtf8PrefixCutsAtACharacterAndReplacesInvalidBytes) {
  EXPECT_EQ(SafeUtf8Prefix("abc", 2), "ab");
  EXPECT_EQ(SafeUtf8Prefix("a\xC3\xA9", 2), "a") << "never half of é";
  EXPECT_EQ(SafeUtf8Prefix("a\xC3\xA9", 3), "a\xC3\xA9");
  EXPECT_EQ(SafeUtf8Prefix("a\xFF"
                           "b",
                           10),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(SafeUtf8Prefix("\xC0\x80", 10), "\xEF\xBF\xBD\xEF\xBF\xBD") << "overlong NUL";
  EXPECT_EQ(SafeUtf8Prefix("\xED\xA0\x80", 10), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD")
      << "a UTF-16 surrogate";
}

TEST(A2ACallTest, AgentCardNamesTheUrlThePlatformIsGiven) {
  rapidjson::Document card;
  ASSERT_TRUE(ParseJson(AgentCardBody("PM-run", "https://agent.example/a2a"), &card));
  ASSERT_TRUE(HasMembers(card, {"name", "url", "version", "protocolVersion", "skills"}));
  EXPECT_STREQ(card["name"].GetString(), "PM-run");
  EXPECT_STREQ(card["url"].GetString(), "https://agent.example/a2a");
}

TEST(HeartbeatBodyTest, HasTheRegistrysShape) {
  HeartbeatSettings settings;
  settings.workspace_id = "ws-1";
  rapidjson::Document body;
  ASSERT_TRUE(ParseJson(HeartbeatBody(settings, 1, 42), &body));
  ASSERT_TRUE(HasMembers(body, {"workspace_id", "active_tasks", "uptime_seconds", "current_task",
                                "error_rate", "runtime_state"}));
  EXPECT_TRUE(LacksMembers(body, {"runtime_metadata"})) << "no override unless asked";
  EXPECT_STREQ(body["workspace_id"].GetString(), "ws-1");
  EXPECT_EQ(body["active_tasks"].GetInt(), 1);
  EXPECT_EQ(body["uptime_seconds"].GetInt(), 42);
  EXPECT_STRNE(body["current_task"].GetString(), "");
  settings.idle_timeout_secs = 90;
  ASSERT_TRUE(ParseJson(HeartbeatBody(settings, 0, 0), &body));
  EXPECT_EQ(body["runtime_metadata"]["idle_timeout_seconds"].GetInt(), 90);
  EXPECT_STREQ(body["current_task"].GetString(), "");
}

TEST(HeartbeatBodyTest, RegistryUrlsSplitIntoOriginAndPrefix) {
  std::string origin;
  std::string prefix;
  std::string error;
  ASSERT_TRUE(SplitRegistryUrl("http://127.0.0.1:8080", &origin, &prefix, &error)) << error;
  EXPECT_EQ(origin, "http://127.0.0.1:8080");
  EXPECT_EQ(prefix, "");
  ASSERT_TRUE(SplitRegistryUrl("https://platform.example/api/", &origin, &prefix, &error));
  EXPECT_EQ(origin, "https://platform.example");
  EXPECT_EQ(prefix, "/api");
  for (const char* bad : {"", "platform.example", "ftp://x", "http://", "http://x/?q=1"}) {
    EXPECT_FALSE(SplitRegistryUrl(bad, &origin, &prefix, &error)) << bad;
    EXPECT_NE(error.find("http(s)://host"), std::string::npos) << error;
  }
}

TEST(AgentBehaviourTest, NamesRoundTripAndDescriptionsHideSecrets) {
  for (HeaderTiming timing : {HeaderTiming::kAtEnd, HeaderTiming::kAtOnce}) {
    EXPECT_EQ(ParseHeaderTiming(HeaderTimingName(timing)), timing);
  }
  for (ReplyKind kind : {ReplyKind::kNormal, ReplyKind::kAgentError}) {
    EXPECT_EQ(ParseReplyKind(ReplyKindName(kind)), kind);
  }
  for (RedispatchRule rule : {RedispatchRule::kHold, RedispatchRule::kAnswerAtOnce}) {
    EXPECT_EQ(ParseRedispatchRule(RedispatchRuleName(rule)), rule);
  }
  AgentBehaviour behaviour;
  behaviour.inbound_secret = "fake-inbound-secret-0123456789";
  behaviour.heartbeat.interval_secs = 30;
  behaviour.heartbeat.registry_url = "http://127.0.0.1:1";
  behaviour.heartbeat.workspace_id = "ws";
  behaviour.heartbeat.workspace_token = "fake-workspace-token-0123456789";
  EXPECT_EQ(CheckBehaviour(behaviour, 1), "");
  const std::string described = DescribeBehaviour(behaviour);
  EXPECT_EQ(described.find("fake-inbound-secret"), std::string::npos) << described;
  EXPECT_EQ(described.find("fake-workspace-token"), std::string::npos) << described;
  EXPECT_NE(described.find("inbound_secret=set"), std::string::npos) << described;
}

TEST(AgentBehaviourTest, ChecksNameTheSetting) {
  AgentBehaviour behaviour;
  behaviour.heartbeat.interval_secs = 30;
  behaviour.heartbeat.registry_url = "http://127.0.0.1:1";
  EXPECT_NE(CheckBehaviour(behaviour, 1).find("workspace id"), std::string::npos);
  behaviour.heartbeat.workspace_id = "ws";
  EXPECT_NE(CheckBehaviour(behaviour, 1e-6).find("heartbeat interval"), std::string::npos)
      << "30 platform seconds at 1e-6 is 30 microseconds of wall time";
  behaviour.heartbeat.idle_timeout_secs = 0;
  EXPECT_NE(CheckBehaviour(behaviour, 1).find("idle timeout"), std::string::npos);
  AgentBehaviour holding;
  holding.hold_secs = 2e7;
  EXPECT_NE(CheckBehaviour(holding, 1).find("hold"), std::string::npos);
  EXPECT_EQ(CheckBehaviour(holding, 0.001), "") << "2e7 platform seconds is 2e4 wall seconds";
}

}  // namespace
}  // namespace taskbounds
