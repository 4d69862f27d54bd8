// InterpretA2AReply on today's answers (platform-api-2026-08.md sections 4 and 6): the
// queued acknowledgement is a deferral, not an error; a Task result's state is kept; both
// agent error forms are agent errors.
#include <string>

#include "client/evidence.h"
#include "client/wire.h"
#include "gtest/gtest.h"

namespace taskbounds {
namespace {

HttpExchange Answer(long status, const std::string& body) {
  HttpExchange ex;
  ex.method = "POST";
  ex.path = "/workspaces/pm/a2a";
  ex.http_status = status;
  ex.body = body;
  return ex;
}

TEST(A2AReplyTest, PushAsyncAcknowledgementIsDeferred) {
  const auto r = InterpretA2AReply(
      Answer(200, R"({"status":"queued","delivery_mode":"push-async","method":"message/send"})"));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value->outcome, A2AOutcome::kDeferred);
  EXPECT_EQ(r.value->delivery_mode, "push-async");
  EXPECT_STREQ(A2AOutcomeName(r.value->outcome), "deferred");
}

TEST(A2AReplyTest, BootGateAcknowledgementKeepsItsQueueId) {
  const auto r = InterpretA2AReply(
      Answer(200, R"({"status":"queued","method":"message/send","queued":true,"queue_id":"q-1"})"));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value->outcome, A2AOutcome::kDeferred);
  EXPECT_EQ(r.value->queue_id, "q-1");
}

TEST(A2AReplyTest, AcknowledgementWithANonStringQueueIdIsNamed) {
  const auto r = InterpretA2AReply(Answer(200, R"({"status":"queued","queue_id":7})"));
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("queue_id"), std::string::npos) << r.error;
}

TEST(A2AReplyTest, TaskResultKeepsItsState) {
  const auto r = InterpretA2AReply(
      Answer(200, R"({"jsonrpc":"2.0","id":"1","result":{"kind":"task","status":{"state":"failed",)"
                  R"("message":{"parts":[{"kind":"text","text":"provider down"}]}}}})"));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value->outcome, A2AOutcome::kResult);
  EXPECT_EQ(r.value->task_state, "failed");
  EXPECT_EQ(r.value->text, "provider down");
}

TEST(A2AReplyTest, BothAgentErrorFormsAreAgentErrors) {
  for (const char* text : {"Agent error: task exceeded max_task_duration_seconds (300)",
                           "Agent error (ProviderError) - see workspace logs for details."}) {
    const auto r = InterpretA2AReply(Answer(
        200, std::string(R"({"result":{"parts":[{"kind":"text","text":")") + text + "\"}]}}"));
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.value->outcome, A2AOutcome::kAgentError) << text;
  }
}

TEST(A2AReplyTest, OtherStatusObjectsWithoutResultStayUnreadable) {
  const auto r = InterpretA2AReply(Answer(200, R"({"status":"done"})"));
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace taskbounds
