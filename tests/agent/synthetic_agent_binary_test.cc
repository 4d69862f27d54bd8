// The standalone //mocks/agent:synthetic_agent as a subprocess: --help lists every flag, a
// bad flag exits 2 naming it, and a run prints "listening on <url>" first, then one JSON line
// per request and its end, refuses a call without the inbound secret (taken from the
// environment, never printed), and exits 0 on SIGTERM.
#include <signal.h>
#include <sys/wait.h>

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/agent/agent_caller.h"
#include "tests/support/assertions.h"
#include "tests/support/subprocess.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

constexpr char kSecret[] = "fake-inbound-secret-0123456789";

std::string BinaryPath() { return RunfilePath("mocks/agent/synthetic_agent"); }

CompletedProcess RunBinary(const std::vector<std::string>& flags) {
  std::vector<std::string> argv = {BinaryPath()};
  argv.insert(argv.end(), flags.begin(), flags.end());
  CompletedProcess result;
  EXPECT_TRUE(RunToCompletion(argv, EnvironmentWith({}), DefaultWait(),
                              Subprocess::Stderr::kCapture, &result));
  return result;
}

TEST(SyntheticAgentBinaryTest, HelpListsEveryFlag) {
  const CompletedProcess help = RunBinary({"--help"});
  EXPECT_EQ(help.exit_code, 0) << help.err;
  for (const char* flag : {"--port",
                           "--host",
                           "--time-scale",
                           "--hold",
                           "--headers",
                           "--reply",
                           "--error-tag",
                           "--redispatch",
                           "--inbound-secret",
                           "--heartbeat-secs",
                           "--registry-url",
                           "--workspace-id",
                           "--workspace-token",
                           "--idle-timeout-override-secs",
                           "--name",
                           "--card-url",
                           "--workers",
                           "SYNTHETIC_AGENT_INBOUND_SECRET",
                           "SYNTHETIC_AGENT_WORKSPACE_TOKEN",
                           "listening on"}) {
    EXPECT_NE(help.out.find(flag), std::string::npos) << flag << " missing from --help";
  }
}

TEST(SyntheticAgentBinaryTest, BadFlagsExitTwoNamingTheFlag) {
  struct Case {
    std::vector<std::string> flags;
    const char* named;
  };
  const std::vector<Case> cases = {
      {{"--bogus=1"}, "unknown flag --bogus"},  {{"--hold=-5"}, "--hold"},
      {{"--headers=sometimes"}, "--headers"},   {{"--reply=maybe"}, "--reply"},
      {{"--redispatch=never"}, "--redispatch"}, {{"--time-scale=0"}, "--time-scale"},
      {{"--workers=1"}, "--workers"},           {{"--heartbeat-secs=30"}, "registry URL"},
      {{"--error-tag=a b"}, "error tag"},       {{"--port"}, "--port needs a value"},
      {{"stray"}, "unexpected argument"},
  };
  for (const Case& c : cases) {
    const CompletedProcess run = RunBinary(c.flags);
    EXPECT_EQ(run.exit_code, 2) << c.flags[0] << ": " << run.err;
    EXPECT_NE(run.err.find(c.named), std::string::npos) << c.flags[0] << ": " << run.err;
    EXPECT_EQ(run.out, "") << "nothing on stdout before a refusal";
  }
}

TEST(SyntheticAgentBinaryTest, ServesPrintsWhatItSawAndExitsZeroOnSigterm) {
  std::string error;
  auto agent =
      Subprocess::Spawn({BinaryPath(), "--time-scale=0.001", "--hold=5", "--headers=at-once"},
                        EnvironmentWith({{"SYNTHETIC_AGENT_INBOUND_SECRET", kSecret}}), &error,
                        Subprocess::Stderr::kCapture);
  ASSERT_NE(agent, nullptr) << "cannot start " << BinaryPath() << ": " << error;
  std::string first;
  ASSERT_TRUE(agent->WaitForNextLine(DefaultWait(), &first)) << agent->error_output();
  const std::string prefix = "listening on http://127.0.0.1:";
  ASSERT_EQ(first.rfind(prefix, 0), 0u) << first;
  const int port = std::stoi(first.substr(prefix.size()));

  RawResponse response;
  ASSERT_TRUE(PostAndRead(port, MessageSendBody("k1", "Synthesise."),
                          {std::string("Authorization: Bearer ") + kSecret}, &response));
  EXPECT_EQ(response.status, 200) << response.body;
  std::string text;
  EXPECT_TRUE(ResultText(response, &text));
  ASSERT_TRUE(PostAndRead(port, MessageSendBody("k2", "Synthesise."), {}, &response));
  EXPECT_EQ(response.status, 401) << "the secret from the environment is enforced";
  // Each request's end is printed after its answer is handed over: wait for the second.
  ASSERT_TRUE(agent->WaitForLine(
      [](const std::string& line) {
        return line.find("\"agent_request_ended\"") != std::string::npos &&
               line.find("\"k2\"") != std::string::npos;
      },
      DefaultWait()))
      << agent->output();

  ASSERT_TRUE(agent->Signal(SIGTERM));
  int status = 0;
  ASSERT_TRUE(agent->WaitForExit(DefaultWait(), &status)) << "still running after SIGTERM";
  ASSERT_TRUE(WIFEXITED(status)) << DescribeWaitStatus(status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << agent->error_output();

  const std::string out = agent->output();
  std::vector<ParsedEvent> events;
  ASSERT_TRUE(ParseEventLines(out.substr(out.find('\n') + 1), &events)) << out;
  const std::vector<ParsedEvent> ended = EventsNamed(events, "agent_request_ended");
  ASSERT_EQ(ended.size(), 2u) << out;
  EXPECT_EQ(EventsNamed(events, "agent_request").size(), 2u) << out;
  EXPECT_EQ(ended[0].Str("message_id"), "k1");
  EXPECT_EQ(ended[0].Str("kind"), "kickoff");
  EXPECT_EQ(ended[0].Str("end"), "answered");
  EXPECT_EQ(ended[0].Str("auth"), "inbound_secret");
  EXPECT_EQ(ended[1].Str("kind"), "refused");
  EXPECT_EQ(ended[1].Str("auth"), "none");
  EXPECT_EQ(out.find(kSecret), std::string::npos) << "the secret was printed";
  EXPECT_EQ(agent->error_output().find(kSecret), std::string::npos) << "the secret was printed";
  EXPECT_NE(agent->error_output().find("inbound_secret=set"), std::string::npos)
      << agent->error_output();
}

}  // namespace
}  // namespace taskbounds
