// MaskSecretsIn / MaskKnownSecrets (client/secrets.h): remote text that echoes a secret, in
// hostile shapes, comes back with no byte run of the secret left and its mask in place.
#include <sstream>
#include <string>
#include <vector>

#include "client/event_log.h"
#include "client/secrets.h"
#include "client/text.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"

namespace taskbounds {
namespace {

constexpr char kToken[] = "adm-tok-0123456789-SECRET";  // mask ***CRET
constexpr char kKey[] = "sk-or-v1-abc-SECRETKEY99";     // mask ***EY99

TEST(MaskSecretsInTest, MasksEveryOccurrenceOfALongSecret) {
  const std::string text = std::string("Bearer ") + kToken + " and again " + kToken + "!";
  EXPECT_EQ(MaskSecretsIn(text, {kToken}), "Bearer ***CRET and again ***CRET!");
}

TEST(MaskSecretsInTest, MasksASecretAtEitherEndAndOneThatIsTheWholeText) {
  EXPECT_EQ(MaskSecretsIn(std::string(kToken) + " tail", {kToken}), "***CRET tail");
  EXPECT_EQ(MaskSecretsIn(std::string("head ") + kToken, {kToken}), "head ***CRET");
  EXPECT_EQ(MaskSecretsIn(kToken, {kToken}), "***CRET");
  EXPECT_EQ(MaskSecretsIn(std::string(kToken) + kToken, {kToken}), "***CRET");
}

TEST(MaskSecretsInTest, MasksALongSecretInsideAWord) {
  EXPECT_EQ(MaskSecretsIn(std::string("x") + kKey + "y", {kKey}), "x***EY99y");
}

TEST(MaskSecretsInTest, LeavesTextWithoutSecretsByteForByte) {
  const std::string text = "caf\xC3\xA9 \x01 \xFF {\"a\":\"b\"}";
  EXPECT_EQ(MaskSecretsIn(text, {kToken, kKey}), text);
  EXPECT_EQ(MaskSecretsIn("", {kToken}), "");
}

TEST(MaskSecretsInTest, OverlappingSecretsLeaveNoPartOfEither) {
  // "0123456789ABCD" and "89ABCDEFGHIJ" share "89ABCD": masked as one span named by the
  // one that ends last.
  const std::vector<std::string> secrets = {"0123456789ABCD", "89ABCDEFGHIJ"};
  EXPECT_EQ(MaskSecretsIn("<0123456789ABCDEFGHIJ>", secrets), "<***GHIJ>");
  // One secret inside another.
  EXPECT_EQ(MaskSecretsIn("[abcdefghijklmnop]", {"abcdefghijklmnop", "efghijkl"}), "[***mnop]");
  EXPECT_EQ(MaskSecretsIn("[abcdefghijklmnop]", {"efghijkl", "abcdefghijklmnop"}), "[***mnop]");
}

TEST(MaskSecretsInTest, MasksTheJsonEscapedFormsOfASecret) {
  // The mask shows the secret's own last four characters, "d\nnl" with a real newline: the
  // writer of the output (EventLog) escapes it.
  const std::string secret = "tok\"with\\slash/and\nnl";
  const std::vector<std::string> secrets = {secret};
  const std::string masked = "{\"e\":\"***d\nnl\"}";
  EXPECT_EQ(MaskSecretsIn(R"({"e":"tok\"with\\slash/and\nnl"})", secrets), masked);
  EXPECT_EQ(MaskSecretsIn(R"({"e":"tok\"with\\slash\/and\nnl"})", secrets), masked);
  EXPECT_EQ(MaskSecretsIn(std::string("{\"e\":\"") + secret + "\"}", secrets), masked);
}

TEST(MaskSecretsInTest, MasksUtf8SecretsRawAndAsciiEscaped) {
  const std::string secret = "p\xC3\xA4ss-\xF0\x9F\x94\x91-w\xC3\xB6rt";  // päss-🔑-wört
  const std::vector<std::string> secrets = {secret};
  EXPECT_EQ(MaskSecretsIn("k=" + secret + ";", secrets), "k=***\xC3\xB6rt;");
  // Python's json.dumps default: every non-ASCII character as \uXXXX, a surrogate pair for
  // the key emoji.
  EXPECT_EQ(MaskSecretsIn(R"(k=p\u00e4ss-\ud83d\udd11-w\u00f6rt;)", secrets), "k=***\xC3\xB6rt;");
  EXPECT_EQ(MaskSecretsIn(R"(k=p\u00E4ss-\uD83D\uDD11-w\u00F6rt;)", secrets), "k=***\xC3\xB6rt;");
}

TEST(MaskSecretsInTest, ShortSecretsAreMaskedOnlyAsWholeTokens) {
  const std::vector<std::string> secrets = {"s3cr"};
  EXPECT_EQ(MaskSecretsIn("key=s3cr; s3cr", secrets), "key=***; ***");
  EXPECT_EQ(MaskSecretsIn("\"s3cr\"", secrets), "\"***\"");
  EXPECT_EQ(MaskSecretsIn("s3cret xs3cr s3cr_1 s3cr-2", secrets), "s3cret xs3cr s3cr_1 s3cr-2");
}

TEST(MaskSecretsInTest, SecretsUnderFourBytesAreNeverMasked) {
  EXPECT_EQ(MaskSecretsIn("abc 200 abc", {"abc", "200", ""}), "abc 200 abc");
}

TEST(MaskKnownSecretsTest, MasksWhatWasRegisteredAndIgnoresTooShortValues) {
  const std::string secret = "registered-secret-0001";
  EXPECT_EQ(MaskKnownSecrets("said " + secret), "said " + secret);
  RegisterSecret(secret);
  RegisterSecret(secret);  // twice is once
  RegisterSecret("ab");
  EXPECT_EQ(MaskKnownSecrets("said " + secret + " ab"), "said ***0001 ab");
}

// The entry choke point: masking comes before the sanitiser's cut, so a secret straddling the
// cut leaves no head behind.
TEST(MaskKnownSecretsTest, SanitizeRemoteTextMasksBeforeItCuts) {
  const std::string secret = "cut-secret-ABCDEFGHIJKLMNOP";
  RegisterSecret(secret);
  const std::string text = std::string(20, 'x') + secret + std::string(50, 'y');
  const std::string shown = SanitizeRemoteText(text, 30);
  EXPECT_EQ(shown.find("cut-"), std::string::npos) << shown;
  EXPECT_EQ(SanitizeRemoteText(text), std::string(20, 'x') + "***MNOP" + std::string(50, 'y'));
}

// The output choke point: every string of an event (values, keys, copied JSON) is masked,
// and a mask whose tail JSON must escape still makes a valid line.
TEST(MaskKnownSecretsTest, EventLogMasksEveryStringAndKeepsTheLineValidJson) {
  const std::string secret = "event-secret-0123\"\\\n";  // tail: 3"\<LF>
  RegisterSecret(secret);
  rapidjson::Document copied;
  copied.SetObject();
  copied.AddMember(rapidjson::Value(secret.c_str(), copied.GetAllocator()),
                   rapidjson::Value(("body " + secret).c_str(), copied.GetAllocator()),
                   copied.GetAllocator());
  std::ostringstream out;
  EventLog log(out);
  log.Emit("probe", EventData().Str("reason", "said " + secret).Json("answer", copied));
  const std::string line = out.str();
  EXPECT_EQ(line.find("event-secret"), std::string::npos) << line;
  rapidjson::Document parsed;
  ASSERT_FALSE(parsed.Parse(line.c_str()).HasParseError()) << line;
  const rapidjson::Value& data = parsed["data"];
  EXPECT_EQ(std::string(data["reason"].GetString()), "said ***3\"\\\n");
  ASSERT_TRUE(data["answer"].HasMember("***3\"\\\n")) << line;
  EXPECT_EQ(std::string(data["answer"]["***3\"\\\n"].GetString()), "body ***3\"\\\n");
}

}  // namespace
}  // namespace taskbounds
