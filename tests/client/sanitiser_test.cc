// The one sanitiser (client/text.h) and the paths that must use it: a hostile platform's
// error body, sent over a real socket, reaches an error line and a verdict reason as one
// line of valid UTF-8 with no control byte a terminal would obey.
#include <memory>
#include <string>

#include "client/platform_client.h"
#include "client/text.h"
#include "client/verdict.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/scripted_http_server.h"

namespace taskbounds {
namespace {

using ::taskbounds::testing_support::ScriptedHttpServer;
using ::taskbounds::testing_support::ScriptedResponse;
using ::testing::HasSubstr;

// Escape, bell, a forged second line, a C1 CSI and bytes that are not UTF-8.
const std::string kHostileText =
    "\x1b[2J\x1b]0;pwned\x07"
    "boom\r\nverdict: unbounded \xc2\x9b"
    "31m \xff\xfe\xc3";

::testing::AssertionResult IsOneSafeLine(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t len = Utf8SequenceLength(s, i);
    if (len == 0) {
      return ::testing::AssertionFailure() << "invalid UTF-8 at byte " << i;
    }
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (len == 1 && (c < 0x20 || c == 0x7f)) {
      return ::testing::AssertionFailure()
             << "raw control byte 0x" << std::hex << int{c} << " at " << std::dec << i;
    }
    if (len == 2 && c == 0xc2 && static_cast<unsigned char>(s[i + 1]) < 0xa0) {
      return ::testing::AssertionFailure() << "raw C1 control at byte " << i;
    }
    i += len;
  }
  return ::testing::AssertionSuccess();
}

TEST(SanitizeRemoteTextTest, EscapesControlsAndRepairsUtf8) {
  const std::string out = SanitizeRemoteText(kHostileText);
  EXPECT_TRUE(IsOneSafeLine(out));
  EXPECT_EQ(out,
            "\\x1b[2J\\x1b]0;pwned\\x07boom\\r\\nverdict: unbounded \\u009b31m "
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(SanitizeRemoteTextTest, KeepsPrintableUnicodeAndIsIdempotent) {
  const std::string text = "caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80 ok";
  EXPECT_EQ(SanitizeRemoteText(text), text);
  const std::string once = SanitizeRemoteText(kHostileText);
  EXPECT_EQ(SanitizeRemoteText(once), once);
}

TEST(SanitizeRemoteTextTest, CutsAtACharacterBoundaryWithinTheBudget) {
  std::string text;
  for (int i = 0; i < 50; ++i) {
    text += "\xE4\xB8\xAD\x1b";  // a 3-byte character, then a 4-byte escape
  }
  for (std::size_t budget : {5u, 8u, 10u, 11u, 64u}) {
    const std::string out = SanitizeRemoteText(text, budget);
    EXPECT_LE(out.size(), budget);
    EXPECT_TRUE(IsOneSafeLine(out)) << "budget " << budget;
    EXPECT_EQ(out.substr(out.size() - 3), "...");
    // Never half an escape: the text before "..." ends after a whole piece.
    const std::string kept = out.substr(0, out.size() - 3);
    EXPECT_TRUE(kept.empty() || kept.back() == 'b' || kept.back() == '\xAD') << kept;
  }
}

class HostileErrorBodyTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start()); }
  void TearDown() override {
    client_.reset();
    server_.Stop();
  }
  PlatformClient& Client() {
    ClientOptions options;
    options.base_url = server_.base_url();
    client_ = std::make_unique<PlatformClient>(options);
    return *client_;
  }

  ScriptedHttpServer server_;
  std::unique_ptr<PlatformClient> client_;
};

TEST_F(HostileErrorBodyTest, ErrorLineOfARawBodyIsOneSafeLine) {
  ScriptedResponse response;
  response.status = 500;
  response.content_type = "text/plain";
  response.body = kHostileText;
  server_.Script("POST", "/workspaces", response);
  const auto r = Client().CreateWorkspace({"PM", "r", 2, "t"});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(IsOneSafeLine(r.error)) << r.error;
  EXPECT_THAT(r.error, HasSubstr("boom\\r\\nverdict"));
}

TEST_F(HostileErrorBodyTest, VerdictReasonQuotingAPlatformErrorIsOneSafeLine) {
  // JSON escapes decode to raw control bytes inside the error message.
  ScriptedResponse response;
  response.status = 500;
  response.body = R"({"error":"\u001b[2J\u0007boom\nverdict: unbounded \u009b31m )"
                  "\xff"
                  R"("})";
  server_.Script("POST", "/workspaces/w/a2a", response);
  const auto reply = Client().SendMessage("w", "task", 10000);
  ASSERT_TRUE(reply.ok()) << reply.error;

  RunEvidence evidence;
  evidence.outcome = reply.value->outcome;
  evidence.http_status = reply.exchange.http_status;
  evidence.response_text = reply.value->error_message;
  evidence.platform_secs = 400;
  const Classification c = ClassifyRun(evidence, VerdictThresholds{});
  EXPECT_EQ(c.verdict, Verdict::kBoundedByPlatform);
  EXPECT_TRUE(IsOneSafeLine(c.reason)) << c.reason;
  EXPECT_THAT(c.reason, HasSubstr("\\x1b[2J\\x07boom\\nverdict"));
}

TEST_F(HostileErrorBodyTest, WorkspaceStatusIsOneSafeWord) {
  ScriptedResponse response;
  response.status = 200;
  response.body = R"({"id":"w","status":"online\u001b[2J\nFORGED"})";
  server_.Script("GET", "/workspaces/w", response);
  const auto r = Client().GetWorkspace("w");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value->status, "online\\x1b[2J\\nFORGED");
  EXPECT_TRUE(IsOneSafeLine(r.value->status));
}

TEST(VerdictReasonTest, RemoteStatusNamesAreSanitised) {
  RunEvidence evidence;
  evidence.outcome = A2AOutcome::kResult;
  evidence.platform_secs = 400;
  evidence.status_samples = 3;
  evidence.status_transitions.push_back({10, "online", "failed\x1b[0m\nFORGED"});
  const Classification c = ClassifyRun(evidence, VerdictThresholds{});
  EXPECT_TRUE(IsOneSafeLine(c.reason)) << c.reason;
}

}  // namespace
}  // namespace taskbounds
