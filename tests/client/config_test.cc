// RunConfig validation: one test per rule of client/config.h, and MaskSecret.
#include "client/config.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/config_env.h"

namespace taskbounds {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

using ::taskbounds::testing_support::Env;
using ::taskbounds::testing_support::FromMap;
using ::taskbounds::testing_support::LocalEnv;
using ::taskbounds::testing_support::MustFail;
using ::taskbounds::testing_support::MustLoad;
using ::taskbounds::testing_support::With;

// A gtest parameter: a readable alphanumeric name and the value under test.
struct Named {
  std::string name;
  std::string value;
};
std::ostream& operator<<(std::ostream& os, const Named& n) { return os << n.name; }
std::string NamedName(const ::testing::TestParamInfo<Named>& info) { return info.param.name; }

TEST(LoadRunConfigTest, EmptyEnvironmentSelectsEmbeddedFakeWithDefaults) {
  const RunConfig c = MustLoad({});
  EXPECT_TRUE(c.use_embedded_fake);
  EXPECT_TRUE(c.platform_url.empty());
  EXPECT_TRUE(c.llm_key.empty());
  EXPECT_EQ(c.llm_key_name, "");
  EXPECT_EQ(c.synthesis_depth, 3);
  EXPECT_THAT(c.synthesis_depths, ElementsAre(1, 3, 8));
  EXPECT_DOUBLE_EQ(c.a2a_timeout_secs, 600);
  EXPECT_DOUBLE_EQ(c.time_scale, 1.0);
  EXPECT_FALSE(c.dry_run);
  EXPECT_FALSE(c.keep_workspaces);
  EXPECT_EQ(c.fake_scenario, "unbounded");
}

TEST(LoadRunConfigTest, EmptyPlatformMeansEmbeddedFake) {
  const RunConfig c = MustLoad({{"PLATFORM", ""}});
  EXPECT_TRUE(c.use_embedded_fake);
}

// --- PLATFORM: well-formed URLs.

struct UrlCase {
  std::string name;
  std::string raw;
  std::string normalised;
  bool local;
};
std::ostream& operator<<(std::ostream& os, const UrlCase& c) { return os << c.name; }

class PlatformUrlAcceptedTest : public ::testing::TestWithParam<UrlCase> {};

TEST_P(PlatformUrlAcceptedTest, IsNormalisedAndClassified) {
  const UrlCase& c = GetParam();
  Env env = With(LocalEnv(), "PLATFORM", c.raw);
  env["ADMIN_TOKEN"] = "admin-token-value-1234";
  env["TENANT_ID"] = "tenant-1";
  const RunConfig config = MustLoad(env);
  EXPECT_FALSE(config.use_embedded_fake);
  EXPECT_EQ(config.platform_url, c.normalised);
  EXPECT_EQ(config.platform_is_local, c.local);
}

INSTANTIATE_TEST_SUITE_P(
    Urls, PlatformUrlAcceptedTest,
    ::testing::Values(
        UrlCase{"LocalhostWithPort", "http://localhost:8080", "http://localhost:8080", true},
        UrlCase{"LoopbackTrailingSlashes", "http://127.0.0.1:9000//", "http://127.0.0.1:9000",
                true},
        UrlCase{"LocalhostNoPort", "http://localhost", "http://localhost", true},
        UrlCase{"UpperCaseSchemeAndHost", "HTTP://LocalHost:1", "http://localhost:1", true},
        UrlCase{"HttpsLocalhostIsNotLocal", "https://localhost:8443", "https://localhost:8443",
                false},
        UrlCase{"LookalikeHostIsNotLocal", "http://localhost.evil.example",
                "http://localhost.evil.example", false},
        UrlCase{"LoopbackPrefixIsNotLocal", "http://127.0.0.10", "http://127.0.0.10", false},
        UrlCase{"StagingWithPath", "https://staging.example.com/api/",
                "https://staging.example.com/api", false},
        // One loopback rule with the client (which never sends [::1] through a proxy).
        UrlCase{"Ipv6LoopbackIsLocal", "http://[::1]:8080", "http://[::1]:8080", true},
        UrlCase{"HttpsIpv6LoopbackIsNotLocal", "https://[::1]:8443", "https://[::1]:8443", false},
        UrlCase{"OtherIpv6IsNotLocal", "http://[::2]:8080", "http://[::2]:8080", false}),
    [](const ::testing::TestParamInfo<UrlCase>& info) { return info.param.name; });

// --- PLATFORM: malformed URLs.

class PlatformUrlRejectedTest : public ::testing::TestWithParam<Named> {};

TEST_P(PlatformUrlRejectedTest, ErrorNamesVariableAndExpectedShape) {
  const std::string error = MustFail(With(LocalEnv(), "PLATFORM", GetParam().value));
  EXPECT_THAT(error, HasSubstr("PLATFORM="));
  EXPECT_THAT(error, HasSubstr("is malformed: expected http(s)://host[:port]"));
}

INSTANTIATE_TEST_SUITE_P(
    Urls, PlatformUrlRejectedTest,
    ::testing::Values(Named{"FtpScheme", "ftp://x"}, Named{"NoScheme", "localhost:8080"},
                      Named{"SchemeOnly", "http://"}, Named{"EmptyHost", "https://:8080"},
                      Named{"PortTooLarge", "http://host:99999"},
                      Named{"PortZero", "http://host:0"}, Named{"PortNotNumeric", "http://host:ab"},
                      Named{"EmptyPort", "http://host:"}, Named{"SpaceInHost", "http://ho st"},
                      Named{"LeadingSpace", " http://host"}, Named{"Query", "http://host/?a=1"},
                      Named{"Fragment", "http://host#x"}, Named{"Newline", "http://host\n"},
                      Named{"UnclosedIpv6", "http://[::1:80"}),
    NamedName);

TEST(LoadRunConfigTest, MalformedPlatformErrorQuotesTheValue) {
  EXPECT_EQ(MustFail(With(LocalEnv(), "PLATFORM", "ftp://x")),
            "PLATFORM=\"ftp://x\" is malformed: expected http(s)://host[:port][/path]");
}

// The quoted value shows where the query or fragment starts (its text is elided: it may
// carry a token), and the error says it is what is not allowed.
TEST(LoadRunConfigTest, PlatformWithAQueryOrFragmentSaysSo) {
  EXPECT_EQ(MustFail(With(LocalEnv(), "PLATFORM", "http://127.0.0.1:18084?x=1")),
            "PLATFORM=\"http://127.0.0.1:18084?...\" is malformed: expected "
            "http(s)://host[:port][/path], without a query (?...)");
  EXPECT_EQ(MustFail(With(LocalEnv(), "PLATFORM", "http://127.0.0.1:18084/api#frag")),
            "PLATFORM=\"http://127.0.0.1:18084/api#...\" is malformed: expected "
            "http(s)://host[:port][/path], without a fragment (#...)");
}

TEST(LoadRunConfigTest, CredentialsInPlatformUrlAreRejectedWithoutEchoingThem) {
  const std::string error =
      MustFail(With(LocalEnv(), "PLATFORM", "https://user:hunter2secret@staging.example"));
  EXPECT_THAT(error, HasSubstr("PLATFORM"));
  EXPECT_THAT(error, Not(HasSubstr("hunter2secret")));
}

TEST(LoadRunConfigTest, MalformedPlatformErrorNeverEchoesCredentialsOrQueries) {
  // Malformed for another reason (a query) before the user-info check is reached.
  const std::string error =
      MustFail(With(LocalEnv(), "PLATFORM", "https://user:hunter2secret@staging.example/?k=tok3n"));
  EXPECT_THAT(error, HasSubstr("is malformed"));
  EXPECT_THAT(error, HasSubstr("PLATFORM=\"https://staging.example/?...\" is malformed"));
  EXPECT_THAT(error, Not(HasSubstr("hunter2secret")));
  EXPECT_THAT(error, Not(HasSubstr("tok3n")));
}

// --- Non-local platforms need both credentials.

class NonLocalCredentialsTest : public ::testing::TestWithParam<Named> {};

TEST_P(NonLocalCredentialsTest, MissingCredentialIsRefusedBeforeAnyRequest) {
  Env env = With(LocalEnv(), "PLATFORM", "https://staging.example.com");
  if (GetParam().value == "token" || GetParam().value == "token_blank_tenant") {
    env["ADMIN_TOKEN"] = "tok-secret-abcdef-123456";
  }
  if (GetParam().value == "tenant") {
    env["TENANT_ID"] = "tenant-1";
  }
  if (GetParam().value == "token_blank_tenant") {
    env["TENANT_ID"] = "   ";
  }
  // The error names exactly what is missing (both only when neither is set).
  const std::string missing = GetParam().value == "none" ? "set both ADMIN_TOKEN and TENANT_ID"
                              : GetParam().value == "tenant"
                                  ? "ADMIN_TOKEN is missing (it needs ADMIN_TOKEN and TENANT_ID)"
                                  : "TENANT_ID is missing (it needs ADMIN_TOKEN and TENANT_ID)";
  const std::string error = MustFail(env);
  EXPECT_EQ(error, "PLATFORM=https://staging.example.com is non-local: " + missing);
  EXPECT_THAT(error, Not(HasSubstr("tok-secret")));
}

INSTANTIATE_TEST_SUITE_P(Missing, NonLocalCredentialsTest,
                         ::testing::Values(Named{"Neither", "none"}, Named{"OnlyToken", "token"},
                                           Named{"OnlyTenant", "tenant"},
                                           Named{"BlankTenant", "token_blank_tenant"}),
                         NamedName);

TEST(LoadRunConfigTest, NonLocalWithBothCredentialsIsAccepted) {
  Env env = With(LocalEnv(), "PLATFORM", "https://staging.example.com");
  env["ADMIN_TOKEN"] = "tok-secret-abcdef-123456";
  env["TENANT_ID"] = "tenant-1";
  const RunConfig c = MustLoad(env);
  EXPECT_FALSE(c.platform_is_local);
  EXPECT_EQ(c.admin_token, "tok-secret-abcdef-123456");
  EXPECT_EQ(c.tenant_id, "tenant-1");
}

TEST(LoadRunConfigTest, LocalPlatformNeedsNoCredentials) {
  const RunConfig c = MustLoad(LocalEnv());
  EXPECT_TRUE(c.platform_is_local);
  EXPECT_TRUE(c.admin_token.empty());
}

TEST(LoadRunConfigTest, CredentialsWithControlCharactersAreRejectedWithoutEcho) {
  for (const char* name : {"ADMIN_TOKEN", "TENANT_ID"}) {
    const std::string error = MustFail(With(LocalEnv(), name, "abc\r\nX-Evil: secretvalue"));
    EXPECT_THAT(error, HasSubstr(name));
    EXPECT_THAT(error, Not(HasSubstr("secretvalue")));
  }
}

// --- LLM key.

// Issue 12: no secret configured means no secret step (today's platform bills its default
// model and refuses vendor keys for it); a model that needs a key is the platform's 422.
TEST(LoadRunConfigTest, LivePlatformWithoutAnLlmKeyHasNoSecretStep) {
  const RunConfig c = MustLoad({{"PLATFORM", "http://localhost:8080"}});
  EXPECT_TRUE(c.llm_key.empty());
  EXPECT_TRUE(c.llm_key_name.empty());
}

TEST(LoadRunConfigTest, EmptyOrWhitespaceKeysCountAsUnset) {
  const RunConfig c = MustLoad({{"PLATFORM", "http://localhost:8080"},
                                {"OPENROUTER_API_KEY", ""},
                                {"OPENAI_API_KEY", " \t\n"}});
  EXPECT_TRUE(c.llm_key.empty());
  EXPECT_TRUE(c.llm_key_name.empty());
}

TEST(LoadRunConfigTest, OpenRouterKeyWinsOverOpenAiKey) {
  Env env = LocalEnv();
  env["OPENAI_API_KEY"] = "sk-openai";
  const RunConfig c = MustLoad(env);
  EXPECT_EQ(c.llm_key, "sk-or-k");
  EXPECT_EQ(c.llm_key_name, "OPENROUTER_API_KEY");
}

TEST(LoadRunConfigTest, OpenAiKeyIsUsedWhenOpenRouterKeyIsEmpty) {
  const RunConfig c = MustLoad({{"PLATFORM", "http://127.0.0.1:8080"},
                                {"OPENROUTER_API_KEY", "  "},
                                {"OPENAI_API_KEY", "sk-openai"}});
  EXPECT_EQ(c.llm_key, "sk-openai");
  EXPECT_EQ(c.llm_key_name, "OPENAI_API_KEY");
}

TEST(LoadRunConfigTest, EmbeddedFakeNeedsNoLlmKey) {
  const RunConfig c = MustLoad({{"OPENROUTER_API_KEY", ""}});
  EXPECT_TRUE(c.use_embedded_fake);
  EXPECT_TRUE(c.llm_key.empty());
}

// SECRET_VALUE means nothing without SECRET_NAME (the secret's name on the platform).
TEST(LoadRunConfigTest, SecretValueWithoutSecretNameIsOneLineNamingBoth) {
  const std::string expected =
      "SECRET_VALUE is set without SECRET_NAME: set SECRET_NAME to the credential's name on "
      "the platform (e.g. MINIMAX_API_KEY), or unset SECRET_VALUE";
  EXPECT_EQ(MustFail({{"SECRET_VALUE", "sk-SECRET-value-1234"}}), expected);
  EXPECT_EQ(MustFail(With(LocalEnv(), "SECRET_VALUE", "sk-SECRET-value-1234")), expected);
  EXPECT_TRUE(MustLoad({{"SECRET_VALUE", " "}}).llm_key.empty());  // blank is unset
}

// A SECRET_NAME with no value is the same error with the embedded fake as with PLATFORM.
TEST(LoadRunConfigTest, SecretNameWithoutAValueIsRefusedOnTheEmbeddedFakeToo) {
  EXPECT_EQ(MustFail({{"SECRET_NAME", "UNSET_VAR"}}),
            "SECRET_NAME=UNSET_VAR has no value: set SECRET_VALUE or the variable UNSET_VAR");
}

// --- SYNTHESIS_DEPTH.

TEST(LoadRunConfigTest, PlainHttpToANonLocalHostIsAllowedWithAWarning) {
  const ConfigResult r = LoadRunConfig(FromMap({{"PLATFORM", "http://staging.example:8080"},
                                                {"ADMIN_TOKEN", "tok-SECRET-abcdefgh"},
                                                {"TENANT_ID", "t-1"},
                                                {"OPENROUTER_API_KEY", "sk-or-k"}}));
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_THAT(r.warnings[0], HasSubstr("unencrypted"));
  EXPECT_THAT(r.warnings[0], Not(HasSubstr("SECRET")));
  EXPECT_TRUE(LoadRunConfig(FromMap({{"PLATFORM", "https://staging.example"},
                                     {"ADMIN_TOKEN", "tok"},
                                     {"TENANT_ID", "t-1"},
                                     {"OPENROUTER_API_KEY", "sk-or-k"}}))
                  .warnings.empty());
  EXPECT_TRUE(LoadRunConfig(FromMap(LocalEnv())).warnings.empty());
}

TEST(LoadRunConfigTest, EmptyOrBlankNumericVariablesTakeTheirDefaults) {
  const ConfigResult r = LoadRunConfig(FromMap({{"SYNTHESIS_DEPTH", ""},
                                                {"SYNTHESIS_DEPTHS", " "},
                                                {"A2A_TIMEOUT", ""},
                                                {"TIME_SCALE", ""}}));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.config->synthesis_depth, 3);
  EXPECT_EQ(r.config->synthesis_depths, (std::vector<int>{1, 3, 8}));
  EXPECT_EQ(r.config->a2a_timeout_secs, 600);
  EXPECT_EQ(r.config->time_scale, 1.0);
  EXPECT_FALSE(r.config->time_scale_set);
  EXPECT_TRUE(LoadRunConfig(FromMap({{"TIME_SCALE", "0.5"}})).config->time_scale_set);
}

TEST(LoadRunConfigTest, SynthesisDepthAcceptsTheWholeRange) {
  EXPECT_EQ(MustLoad(With(LocalEnv(), "SYNTHESIS_DEPTH", "1")).synthesis_depth, 1);
  EXPECT_EQ(MustLoad(With(LocalEnv(), "SYNTHESIS_DEPTH", "64")).synthesis_depth, 64);
  EXPECT_EQ(MustLoad(With(LocalEnv(), "SYNTHESIS_DEPTH", "08")).synthesis_depth, 8);
}

// One trimming rule for every numeric variable: surrounding whitespace is ignored, for a
// single value and for each item of a list alike.
TEST(LoadRunConfigTest, SurroundingWhitespaceIsIgnoredByEveryNumericVariable) {
  const RunConfig c = MustLoad(
      With(With(With(With(LocalEnv(), "SYNTHESIS_DEPTH", " 3 "), "SYNTHESIS_DEPTHS", " 1, 3 "),
                "A2A_TIMEOUT", "\t5 "),
           "TIME_SCALE", " 0.5\n"));
  EXPECT_EQ(c.synthesis_depth, 3);
  EXPECT_THAT(c.synthesis_depths, ElementsAre(1, 3));
  EXPECT_DOUBLE_EQ(c.a2a_timeout_secs, 5);
  EXPECT_DOUBLE_EQ(c.time_scale, 0.5);
}

class SynthesisDepthRejectedTest : public ::testing::TestWithParam<Named> {};

TEST_P(SynthesisDepthRejectedTest, ErrorQuotesValueAndRange) {
  EXPECT_EQ(MustFail(With(LocalEnv(), "SYNTHESIS_DEPTH", GetParam().value)),
            "SYNTHESIS_DEPTH=\"" + GetParam().value + "\" is not an integer in 1..64");
}

INSTANTIATE_TEST_SUITE_P(Values, SynthesisDepthRejectedTest,
                         ::testing::Values(Named{"Letters", "abc"}, Named{"Zero", "0"},
                                           Named{"TooLarge", "65"}, Named{"Negative", "-1"},
                                           Named{"TrailingJunk", "3x"}, Named{"InnerSpace", "3 4"},
                                           Named{"Decimal", "3.0"}, Named{"PlusSign", "+3"},
                                           Named{"Huge", "99999999999"}),
                         NamedName);

// --- SYNTHESIS_DEPTHS.

TEST(LoadRunConfigTest, SynthesisDepthsParsesACommaList) {
  EXPECT_THAT(MustLoad(With(LocalEnv(), "SYNTHESIS_DEPTHS", "2,16,64")).synthesis_depths,
              ElementsAre(2, 16, 64));
  EXPECT_THAT(MustLoad(With(LocalEnv(), "SYNTHESIS_DEPTHS", "5")).synthesis_depths, ElementsAre(5));
  EXPECT_THAT(MustLoad(With(LocalEnv(), "SYNTHESIS_DEPTHS", "1, 3")).synthesis_depths,
              ElementsAre(1, 3));
}

class SynthesisDepthsRejectedTest : public ::testing::TestWithParam<Named> {};

TEST_P(SynthesisDepthsRejectedTest, ErrorNamesVariable) {
  const std::string error = MustFail(With(LocalEnv(), "SYNTHESIS_DEPTHS", GetParam().value));
  EXPECT_THAT(error, HasSubstr("SYNTHESIS_DEPTHS=\""));
  EXPECT_THAT(error, HasSubstr("distinct integers in 1..64"));
}

INSTANTIATE_TEST_SUITE_P(Values, SynthesisDepthsRejectedTest,
                         ::testing::Values(Named{"EmptyItem", "1,,3"}, Named{"LeadingComma", ",1"},
                                           Named{"TrailingComma", "1,"},
                                           Named{"Duplicate", "1,3,1"}, Named{"OutOfRange", "1,65"},
                                           Named{"Letters", "1,a"}, Named{"Zero", "0"}),
                         NamedName);

// --- A2A_TIMEOUT and TIME_SCALE.

TEST(LoadRunConfigTest, A2ATimeoutAcceptsPositiveSecondsUpToADay) {
  EXPECT_DOUBLE_EQ(MustLoad(With(LocalEnv(), "A2A_TIMEOUT", "0.5")).a2a_timeout_secs, 0.5);
  EXPECT_DOUBLE_EQ(MustLoad(With(LocalEnv(), "A2A_TIMEOUT", "86400")).a2a_timeout_secs, 86400);
  EXPECT_DOUBLE_EQ(MustLoad(With(LocalEnv(), "A2A_TIMEOUT", "1e3")).a2a_timeout_secs, 1000);
}

class A2ATimeoutRejectedTest : public ::testing::TestWithParam<Named> {};

TEST_P(A2ATimeoutRejectedTest, ErrorQuotesValue) {
  EXPECT_EQ(MustFail(With(LocalEnv(), "A2A_TIMEOUT", GetParam().value)),
            "A2A_TIMEOUT=\"" + GetParam().value + "\" is not a number of seconds in (0, 86400]");
}

INSTANTIATE_TEST_SUITE_P(Values, A2ATimeoutRejectedTest,
                         ::testing::Values(Named{"Zero", "0"}, Named{"Negative", "-1"},
                                           Named{"NaN", "nan"}, Named{"Infinity", "inf"},
                                           Named{"OverADay", "86401"}, Named{"Exponent", "1e9"},
                                           Named{"Unit", "10s"}, Named{"Hex", "0x10"},
                                           Named{"InnerSpace", "5 0"}),
                         NamedName);

// --- The live sweep (issue 18.2): its A2A_TIMEOUT default and Bazel's timeout.

TEST(LiveSweepTest, AnUnsetA2ATimeoutFollowsTheTaskPastTodaysLongestMechanisms) {
  RunConfig unset = MustLoad(LocalEnv());
  EXPECT_FALSE(unset.a2a_timeout_set);
  ApplyLiveSweepDefaults(&unset);
  EXPECT_DOUBLE_EQ(unset.a2a_timeout_secs, kLiveSweepA2ATimeoutSecs);
  double longest = 0;
  for (const ModelledMechanism& m : VisibleMechanisms(unset)) {
    longest = std::max(longest, m.at_secs);
  }
  EXPECT_GT(unset.a2a_timeout_secs, longest);
  EXPECT_EQ(UnseenMechanismsWarning(unset), "");
  EXPECT_EQ(CheckLiveSweepFits(unset), "") << "the default must fit the Bazel timeout";
  RunConfig set = MustLoad(With(LocalEnv(), "A2A_TIMEOUT", "600"));
  ApplyLiveSweepDefaults(&set);
  EXPECT_DOUBLE_EQ(set.a2a_timeout_secs, 600) << "a value given is kept";
}

TEST(LiveSweepTest, AnA2ATimeoutBazelWouldKillIsRefusedNamingBothNumbers) {
  const RunConfig day = MustLoad(With(LocalEnv(), "A2A_TIMEOUT", "86400"));
  EXPECT_EQ(CheckLiveSweepFits(day),
            "A2A_TIMEOUT=86400 s does not fit //tests:live's Bazel timeout of 3600 s: a case "
            "takes up to (86400 + WAIT_ONLINE_SECS 180) x TIME_SCALE 1 + 20 s of cleanup = "
            "86600 s of wall time: set A2A_TIMEOUT to at most 3400, or give Bazel a longer "
            "--test_timeout");
  // The largest value named fits; one more second does not.
  EXPECT_EQ(CheckLiveSweepFits(MustLoad(With(LocalEnv(), "A2A_TIMEOUT", "3400"))), "");
  EXPECT_NE(CheckLiveSweepFits(MustLoad(With(LocalEnv(), "A2A_TIMEOUT", "3401"))), "");
  // A longer Bazel timeout (--test_timeout) holds more.
  EXPECT_EQ(CheckLiveSweepFits(day, 90000), "");
}

TEST(LiveSweepTest, TimeScaleConvertsPlatformSecondsToWallSeconds) {
  Env env = With(LocalEnv(), "A2A_TIMEOUT", "86400");
  env["TIME_SCALE"] = "0.01";  // 864 s of wall time
  EXPECT_EQ(CheckLiveSweepFits(MustLoad(env)), "");
  env["TIME_SCALE"] = "0.05";  // 4320 s
  EXPECT_THAT(CheckLiveSweepFits(MustLoad(env)),
              HasSubstr("x TIME_SCALE 0.05 + 20 s of cleanup = 4349 s of wall time: set "
                        "A2A_TIMEOUT to at most 71420"));
}

TEST(LiveSweepTest, ASharedShardRunsItsCasesOneAfterTheOther) {
  // 2 variants x 3 depths x REPEAT 9 = 54 cases: 2 per shard of 27.
  Env env = With(LocalEnv(), "VARIANTS", "claude-code-default,hermes");
  env["REPEAT"] = "9";
  RunConfig config = MustLoad(env);
  ApplyLiveSweepDefaults(&config);
  EXPECT_EQ(CheckLiveSweepFits(config),
            "A2A_TIMEOUT=2700 s does not fit //tests:live's Bazel timeout of 3600 s: a case "
            "takes up to (2700 + WAIT_ONLINE_SECS 180) x TIME_SCALE 1 + 20 s of cleanup = "
            "2900 s of wall time and a shard runs 2 of the 54 cases one after the other (5800 "
            "s): set A2A_TIMEOUT to at most 1600, run fewer cases (VARIANTS, SYNTHESIS_DEPTHS, "
            "REPEAT), or give Bazel a longer --test_timeout");
  env["REPEAT"] = "4";  // 24 cases: one each
  config = MustLoad(env);
  ApplyLiveSweepDefaults(&config);
  EXPECT_EQ(CheckLiveSweepFits(config), "");
}

TEST(UnseenMechanismsTest, APlatformRunNamesEveryMechanismAfterA2ATimeout) {
  EXPECT_EQ(UnseenMechanismsWarning(MustLoad(LocalEnv())),
            "A2A_TIMEOUT=600 s stops following the task before these can act (platform seconds "
            "after the kickoff, today's platform, its defaults): stall watchdog probe (720 s), "
            "agent completion idle cap (900 s), stall watchdog restart (1080 s), idle timer "
            "(1800 s), response-header timeout (1800 s); a task still running at A2A_TIMEOUT "
            "is reported harness_timeout: set A2A_TIMEOUT above 1800 (e.g. 3600) to see them");
  EXPECT_THAT(UnseenMechanismsWarning(MustLoad(With(LocalEnv(), "A2A_TIMEOUT", "1000"))),
              HasSubstr("): stall watchdog restart (1080 s), idle timer (1800 s), "
                        "response-header timeout (1800 s);"));
  EXPECT_EQ(UnseenMechanismsWarning(MustLoad(With(LocalEnv(), "A2A_TIMEOUT", "1800"))), "");
}

TEST(UnseenMechanismsTest, TheEmbeddedFakeNamesOnlyItsScenariosMechanism) {
  EXPECT_EQ(UnseenMechanismsWarning(MustLoad({})), "") << "unbounded ends nothing";
  EXPECT_THAT(UnseenMechanismsWarning(MustLoad({{"FAKE_SCENARIO", "idle_timeout"}})),
              HasSubstr("(platform seconds after the kickoff, the embedded fake's idle_timeout "
                        "scenario): idle timer (1800 s);"));
  // 2026-04's idle timer acts at 300 s: 600 sees it.
  EXPECT_EQ(UnseenMechanismsWarning(MustLoad(
                {{"FAKE_SCENARIO", "idle_timeout"}, {"FAKE_PLATFORM_VERSION", "2026-04"}})),
            "");
}

TEST(LoadRunConfigTest, TimeScaleAcceptsFactorsUpToOneThousand) {
  const RunConfig c = MustLoad(With(LocalEnv(), "TIME_SCALE", "0.001"));
  EXPECT_DOUBLE_EQ(c.time_scale, 0.001);
  EXPECT_DOUBLE_EQ(c.WallSecs(600), 0.6);
  EXPECT_DOUBLE_EQ(MustLoad(With(LocalEnv(), "TIME_SCALE", "1000")).time_scale, 1000);
}

class TimeScaleRejectedTest : public ::testing::TestWithParam<Named> {};

TEST_P(TimeScaleRejectedTest, ErrorQuotesValue) {
  EXPECT_EQ(MustFail(With(LocalEnv(), "TIME_SCALE", GetParam().value)),
            "TIME_SCALE=\"" + GetParam().value + "\" is not a number in [0.001, 1000]");
}

INSTANTIATE_TEST_SUITE_P(Values, TimeScaleRejectedTest,
                         ::testing::Values(Named{"Zero", "0"}, Named{"Negative", "-0.5"},
                                           // Below 0.001 the harness's own overhead (about
                                           // 1 ms of wall per request) outweighs a platform
                                           // second and the verdicts go wrong.
                                           Named{"BelowMinimum", "0.0009"},
                                           Named{"TenThousandth", "0.0001"},
                                           Named{"TooLarge", "1000.1"}, Named{"NaN", "NaN"},
                                           Named{"TrailingJunk", "1x"},
                                           Named{"Infinity", "Infinity"}),
                         NamedName);

// --- Flags.

class FlagTest : public ::testing::TestWithParam<Named> {};

TEST_P(FlagTest, OneIsTrueZeroOrEmptyIsFalseAnythingElseIsAnError) {
  const std::string name = GetParam().value;
  auto flag = [&](const RunConfig& c) { return name == "DRY_RUN" ? c.dry_run : c.keep_workspaces; };
  EXPECT_TRUE(flag(MustLoad(With(LocalEnv(), name, "1"))));
  EXPECT_FALSE(flag(MustLoad(With(LocalEnv(), name, "0"))));
  EXPECT_FALSE(flag(MustLoad(With(LocalEnv(), name, ""))));
  EXPECT_FALSE(flag(MustLoad(LocalEnv())));
  for (const char* bad : {"yes", "true", "2", " 1", "on"}) {
    const std::string error = MustFail(With(LocalEnv(), name, bad));
    EXPECT_THAT(error, HasSubstr(name + "=\""));
    EXPECT_THAT(error, HasSubstr("use 1"));
  }
}

INSTANTIATE_TEST_SUITE_P(Flags, FlagTest,
                         ::testing::Values(Named{"DryRun", "DRY_RUN"},
                                           Named{"KeepWorkspaces", "KEEP_WORKSPACES"}),
                         NamedName);

// --- FAKE_SCENARIO.

TEST(LoadRunConfigTest, FakeScenarioAcceptsEveryKnownName) {
  for (const char* name :
       {"unbounded", "idle_timeout", "agent_ceiling", "platform_ceiling", "stall_watchdog",
        "container_restart", "header_timeout", "agent_failure", "agent_idle_cap"}) {
    EXPECT_EQ(MustLoad({{"FAKE_SCENARIO", name}}).fake_scenario, name);
  }
}

TEST(LoadRunConfigTest, UnknownFakeScenarioListsTheValidNames) {
  EXPECT_EQ(MustFail({{"FAKE_SCENARIO", "bogus"}}),
            "FAKE_SCENARIO=\"bogus\" is not one of "
            "unbounded|idle_timeout|agent_ceiling|platform_ceiling|stall_watchdog|"
            "container_restart|header_timeout|agent_failure|agent_idle_cap");
}

// With PLATFORM set the fake's variables are ignored but still checked (issue 18.4d): the
// error says so and how to get past it.
TEST(LoadRunConfigTest, AMisspeltFakeVariableWithPlatformSetSaysItWouldBeIgnored) {
  EXPECT_EQ(MustFail(With(LocalEnv(), "FAKE_SCENARIO", "bogus")),
            "FAKE_SCENARIO=\"bogus\" is not one of "
            "unbounded|idle_timeout|agent_ceiling|platform_ceiling|stall_watchdog|"
            "container_restart|header_timeout|agent_failure|agent_idle_cap (PLATFORM is set, so "
            "it would be ignored, but every value is checked: unset FAKE_SCENARIO or correct it)");
  EXPECT_EQ(MustFail(With(LocalEnv(), "FAKE_PLATFORM_VERSION", "2026-13")),
            "FAKE_PLATFORM_VERSION=\"2026-13\" is not one of 2026-04|2026-08 (PLATFORM is set, so "
            "it would be ignored, but every value is checked: unset FAKE_PLATFORM_VERSION or "
            "correct it)");
}

// Empty is unset, like FAKE_PLATFORM_VERSION and the numeric variables (CI jobs often
// export empty variables): the default scenario.
TEST(LoadRunConfigTest, EmptyFakeScenarioIsTheDefault) {
  EXPECT_EQ(MustLoad({{"FAKE_SCENARIO", ""}}).fake_scenario, "unbounded");
}

// The fake's variables do nothing against a real platform: one warning names those set.
TEST(LoadRunConfigTest, FakeVariablesWithPlatformSetAreIgnoredWithOneWarning) {
  Env env = With(LocalEnv(), "FAKE_SCENARIO", "idle_timeout");
  env["FAKE_PLATFORM_VERSION"] = "2026-04";
  const ConfigResult both = LoadRunConfig(FromMap(env));
  ASSERT_TRUE(both.ok()) << both.error;
  EXPECT_THAT(both.warnings,
              ElementsAre("FAKE_SCENARIO and FAKE_PLATFORM_VERSION are ignored: PLATFORM is set "
                          "(they configure the embedded fake only)"));
  const ConfigResult one =
      LoadRunConfig(FromMap(With(LocalEnv(), "FAKE_PLATFORM_VERSION", "2026-08")));
  EXPECT_THAT(one.warnings, ElementsAre("FAKE_PLATFORM_VERSION is ignored: PLATFORM is set "
                                        "(it configures the embedded fake only)"));
  Env empty = With(LocalEnv(), "FAKE_SCENARIO", "");
  empty["FAKE_PLATFORM_VERSION"] = "";
  EXPECT_TRUE(LoadRunConfig(FromMap(empty)).warnings.empty());
  EXPECT_TRUE(LoadRunConfig(FromMap({{"FAKE_SCENARIO", "idle_timeout"}})).warnings.empty());
}

// --- FAKE_PLATFORM_VERSION: checked with the other variables, before the fake starts.

TEST(LoadRunConfigTest, FakePlatformVersionAcceptsEachVersionAndUnsetIsTheFakesDefault) {
  for (const char* version : {"2026-04", "2026-08"}) {
    EXPECT_EQ(MustLoad({{"FAKE_PLATFORM_VERSION", version}}).fake_platform_version, version);
  }
  EXPECT_EQ(MustLoad({}).fake_platform_version, "");
  EXPECT_EQ(MustLoad({{"FAKE_PLATFORM_VERSION", ""}}).fake_platform_version, "");
}

TEST(LoadRunConfigTest, UnknownFakePlatformVersionIsOneLineNamingTheChoices) {
  EXPECT_EQ(MustFail({{"FAKE_PLATFORM_VERSION", "2026-13"}}),
            "FAKE_PLATFORM_VERSION=\"2026-13\" is not one of 2026-04|2026-08 (unset: the fake's "
            "default)");
  // Like FAKE_SCENARIO, also checked when PLATFORM is set: a typo is caught either way.
  EXPECT_THAT(MustFail(With(LocalEnv(), "FAKE_PLATFORM_VERSION", "latest")),
              HasSubstr("FAKE_PLATFORM_VERSION=\"latest\" is not one of"));
}

// --- Secrets never appear in errors, whatever else is wrong.

TEST(LoadRunConfigTest, ErrorsNeverContainSecretValues) {
  const std::string token = "admin-SECRET-token-9876";
  const std::string key = "sk-or-SECRET-key-5432";
  const std::vector<std::pair<std::string, std::string>> breakers = {
      {"PLATFORM", "https://staging.example.com"},
      {"SYNTHESIS_DEPTH", "x"},
      {"A2A_TIMEOUT", "x"},
      {"TIME_SCALE", "x"},
      {"DRY_RUN", "x"},
      {"FAKE_SCENARIO", "x"},
      {"FAKE_PLATFORM_VERSION", "x"},
      {"PLATFORM", "gopher://x"}};
  for (const auto& [name, value] : breakers) {
    Env env = {
        {"ADMIN_TOKEN", token}, {"OPENROUTER_API_KEY", key}, {"PLATFORM", "http://localhost"}};
    env[name] = value;
    const std::string error = MustFail(env);
    EXPECT_THAT(error, Not(HasSubstr("SECRET"))) << name;
  }
}

// --- RunConfig helpers and the process environment.

TEST(RunConfigTest, ToClientOptionsCarriesUrlAndCredentials) {
  RunConfig c;
  c.platform_url = "https://staging.example.com";
  c.admin_token = "tok";
  c.tenant_id = "tenant";
  ClientOptions o = c.ToClientOptions();
  EXPECT_EQ(o.base_url, "https://staging.example.com");
  EXPECT_EQ(o.admin_token, "tok");
  EXPECT_EQ(o.tenant_id, "tenant");
  EXPECT_GT(o.connect_timeout_ms, 0);
  EXPECT_GT(o.request_timeout_ms, 0);
  EXPECT_EQ(c.ToClientOptions("http://127.0.0.1:1234").base_url, "http://127.0.0.1:1234");
}

TEST(ProcessEnvTest, ReadsSetVariablesAndReportsUnsetOnes) {
  ::setenv("TASKBOUNDS_CONFIG_TEST_VAR", "value 1", 1);
  ::unsetenv("TASKBOUNDS_CONFIG_TEST_UNSET");
  const EnvLookup env = ProcessEnv();
  EXPECT_EQ(env("TASKBOUNDS_CONFIG_TEST_VAR"), std::optional<std::string>("value 1"));
  EXPECT_EQ(env("TASKBOUNDS_CONFIG_TEST_UNSET"), std::nullopt);
  ::unsetenv("TASKBOUNDS_CONFIG_TEST_VAR");
}

// --- MaskSecret.

struct MaskCase {
  std::string name;
  std::string secret;
  std::string masked;
};
std::ostream& operator<<(std::ostream& os, const MaskCase& c) { return os << c.name; }

class MaskSecretTest : public ::testing::TestWithParam<MaskCase> {};

TEST_P(MaskSecretTest, ShowsAtMostTheLastFourCharacters) {
  EXPECT_EQ(MaskSecret(GetParam().secret), GetParam().masked);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MaskSecretTest,
    ::testing::Values(MaskCase{"Empty", "", "***"}, MaskCase{"Short", "abc", "***"},
                      MaskCase{"ElevenChars", "abcdefghijk", "***"},
                      MaskCase{"TwelveChars", "abcdefghijkl", "***ijkl"},
                      MaskCase{"LongToken", "sk-or-v1-0123456789abcdef", "***cdef"},
                      // The last four bytes start inside a 2-byte character: drop the half.
                      MaskCase{"MultiByteTail", "0123456789ab\xC3\xA9xyz", "***xyz"}),
    [](const ::testing::TestParamInfo<MaskCase>& info) { return info.param.name; });

}  // namespace
}  // namespace taskbounds
