// The standalone //mocks:fake_platform binary as a subprocess: first stdout line, a real
// request, SIGTERM -> exit 0; flag validation; fault flags.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "client/platform_client.h"
#include "gtest/gtest.h"
#include "tests/fake/fake_test_util.h"

extern char** environ;

namespace taskbounds {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

std::string BinaryPath() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  return std::string(srcdir ? srcdir : ".") + "/" +
         (workspace ? workspace : "coordinator_task_bounds") + "/mocks/fake_platform";
}

// A child process with stdout and stderr piped back; killed and reaped on destruction.
class Subprocess {
 public:
  explicit Subprocess(const std::vector<std::string>& args) {
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
      return;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    std::vector<char*> argv;
    argv.reserve(args.size());
    for (const std::string& a : args) {
      argv.push_back(const_cast<char*>(a.c_str()));
    }
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) {
      pid_ = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    close(err[1]);
    out_ = out[0];
    err_ = err[0];
  }
  ~Subprocess() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) {
      close(out_);
    }
    if (err_ >= 0) {
      close(err_);
    }
  }

  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  // One line from stdout, or nullopt at EOF / deadline.
  std::optional<std::string> ReadLine(Clock::duration timeout) {
    const auto deadline = Clock::now() + timeout;
    while (true) {
      const auto newline = out_buffer_.find('\n');
      if (newline != std::string::npos) {
        std::string line = out_buffer_.substr(0, newline);
        out_buffer_.erase(0, newline + 1);
        return line;
      }
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) {
        return std::nullopt;
      }
      pollfd pfd{out_, POLLIN, 0};
      if (poll(&pfd, 1, static_cast<int>(left.count())) <= 0) {
        continue;
      }
      char buf[512];
      const ssize_t n = read(out_, buf, sizeof(buf));
      if (n <= 0) {
        return std::nullopt;
      }
      out_buffer_.append(buf, static_cast<std::size_t>(n));
    }
  }

  // Exit status once the process has exited, or nullopt at the deadline.
  std::optional<int> Wait(Clock::duration timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      int status = 0;
      const pid_t done = waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        exited_ = true;
        return status;
      }
      std::this_thread::sleep_for(milliseconds(5));
    }
    return std::nullopt;
  }

  // Everything written to stderr so far (non-blocking).
  std::string Stderr() {
    std::string text;
    char buf[512];
    pollfd pfd{err_, POLLIN, 0};
    while (poll(&pfd, 1, 0) > 0) {
      const ssize_t n = read(err_, buf, sizeof(buf));
      if (n <= 0) {
        break;
      }
      text.append(buf, static_cast<std::size_t>(n));
    }
    return text;
  }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  int out_ = -1;
  int err_ = -1;
  std::string out_buffer_;
};

TEST(FakePlatformBinaryTest, ServesUntilSigtermAndExitsZero) {
  Subprocess fake({BinaryPath(), "--port=0", "--time-scale=0.001", "--scenario=agent_ceiling"});
  ASSERT_TRUE(fake.started()) << BinaryPath();
  const std::optional<std::string> first = fake.ReadLine(seconds(20));
  ASSERT_TRUE(first.has_value()) << "no first line; stderr: " << fake.Stderr();
  const std::string prefix = "listening on http://127.0.0.1:";
  ASSERT_EQ(first->rfind(prefix, 0), 0u) << *first;
  const int port = std::stoi(first->substr(prefix.size()));
  EXPECT_GT(port, 0);

  ClientOptions options;
  options.base_url = first->substr(std::string("listening on ").size());
  options.request_timeout_ms = 20000;
  PlatformClient client(options);
  std::string pm;
  ASSERT_TRUE(CreateOnline(client, "PM", &pm));
  auto reply = client.SendMessage(pm, KickoffText(8), 20000);
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.value->outcome, A2AOutcome::kAgentError) << "--scenario reached the backend";

  ASSERT_EQ(kill(fake.pid(), SIGTERM), 0);
  const std::optional<int> status = fake.Wait(seconds(10));
  ASSERT_TRUE(status.has_value()) << "still running 10 s after SIGTERM";
  ASSERT_TRUE(WIFEXITED(*status)) << "killed by a signal instead of exiting";
  EXPECT_EQ(WEXITSTATUS(*status), 0) << fake.Stderr();
}

TEST(FakePlatformBinaryTest, SigintAlsoStopsIt) {
  Subprocess fake({BinaryPath()});
  ASSERT_TRUE(fake.started());
  ASSERT_TRUE(fake.ReadLine(seconds(20)).has_value()) << fake.Stderr();
  ASSERT_EQ(kill(fake.pid(), SIGINT), 0);
  const std::optional<int> status = fake.Wait(seconds(10));
  ASSERT_TRUE(status.has_value());
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 0);
}

TEST(FakePlatformBinaryTest, FaultFlagIsApplied) {
  Subprocess fake(
      {BinaryPath(), "--time-scale=0.001", "--fault=POST /workspaces:status=503:count=1"});
  ASSERT_TRUE(fake.started());
  const std::optional<std::string> first = fake.ReadLine(seconds(20));
  ASSERT_TRUE(first.has_value()) << fake.Stderr();
  ClientOptions options;
  options.base_url = first->substr(std::string("listening on ").size());
  PlatformClient client(options);
  EXPECT_TRUE(
      IsFlatError(client.Send("POST", "/workspaces", R"({"name":"PM"})"), 503, "injected fault"));
  EXPECT_EQ(client.Send("POST", "/workspaces", R"({"name":"PM"})").http_status, 201);
  kill(fake.pid(), SIGTERM);
  const std::optional<int> status = fake.Wait(seconds(10));
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
}

TEST(FakePlatformBinaryTest, HeldRequestDoesNotKeepSigtermFromStoppingIt) {
  Subprocess fake({BinaryPath(), "--time-scale=0.001", "--fault=GET /health:hold"});
  ASSERT_TRUE(fake.started());
  const std::optional<std::string> first = fake.ReadLine(seconds(20));
  ASSERT_TRUE(first.has_value()) << fake.Stderr();
  ClientOptions options;
  options.base_url = first->substr(std::string("listening on ").size());
  options.request_timeout_ms = 20000;
  std::future<HttpExchange> held = std::async(std::launch::async, [options] {
    PlatformClient client(options);
    return client.Send("GET", "/health", "");
  });
  // Another route answers meanwhile; the held one stays unanswered until the stop.
  PlatformClient client(options);
  EXPECT_EQ(client.Send("POST", "/workspaces", R"({"name":"PM"})").http_status, 201);
  EXPECT_EQ(held.wait_for(milliseconds(0)), std::future_status::timeout);
  ASSERT_EQ(kill(fake.pid(), SIGTERM), 0);
  const std::optional<int> status = fake.Wait(seconds(10));
  ASSERT_TRUE(status.has_value()) << "still running 10 s after SIGTERM with a held request";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << fake.Stderr();
  ASSERT_EQ(held.wait_for(seconds(10)), std::future_status::ready);
  EXPECT_EQ(held.get().http_status, 0) << "the held request is dropped, never answered";
}

TEST(FakePlatformBinaryTest, BadFlagsFailWithOneLine) {
  const std::vector<std::vector<std::string>> bad = {
      {"--port=70000"},
      {"--scenario=forever"},
      {"--time-scale=0"},
      {"--rate-limit=-1"},
      {"--registration-secs=abc"},
      {"--fault=GET /x:status=500"},
      {"--fault=POST /workspaces:explode"},
      {"--what=1"},
      {"--port"},
  };
  for (const auto& flags : bad) {
    std::vector<std::string> args = {BinaryPath()};
    args.insert(args.end(), flags.begin(), flags.end());
    Subprocess fake(args);
    ASSERT_TRUE(fake.started());
    const std::optional<int> status = fake.Wait(seconds(10));
    ASSERT_TRUE(status.has_value()) << flags[0];
    ASSERT_TRUE(WIFEXITED(*status)) << flags[0];
    EXPECT_EQ(WEXITSTATUS(*status), 2) << flags[0];
    const std::string err = fake.Stderr();
    EXPECT_EQ(err.rfind("fake_platform: ", 0), 0u) << err;
    EXPECT_EQ(err.find('\n'), err.size() - 1) << "exactly one line: " << err;
    EXPECT_FALSE(fake.ReadLine(milliseconds(100)).has_value()) << "nothing on stdout";
  }
}

TEST(FakePlatformBinaryTest, PlatformVersionFlagChoosesTheProfile) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "2026-04"},
      {"--platform-version=2026-04", "2026-04"},
      {"--platform-version=2026-08", "2026-08"},
  };
  for (const auto& [flag, version] : cases) {
    std::vector<std::string> args = {BinaryPath(), "--time-scale=0.001"};
    if (!flag.empty()) {
      args.push_back(flag);
    }
    Subprocess fake(args);
    ASSERT_TRUE(fake.started());
    ASSERT_TRUE(fake.ReadLine(seconds(20)).has_value()) << flag << ": " << fake.Stderr();
    ASSERT_EQ(kill(fake.pid(), SIGTERM), 0);
    const std::optional<int> status = fake.Wait(seconds(10));
    ASSERT_TRUE(status.has_value()) << flag;
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << flag;
    const std::string err = fake.Stderr();  // complete: the process has exited
    EXPECT_NE(err.find("platform_version=" + version + " "), std::string::npos)
        << (flag.empty() ? "(no flag)" : flag) << ": " << err;
  }
}

TEST(FakePlatformBinaryTest, UnknownPlatformVersionNamesTheFlagAndTheChoices) {
  Subprocess fake({BinaryPath(), "--platform-version=2026-13"});
  ASSERT_TRUE(fake.started());
  const std::optional<int> status = fake.Wait(seconds(10));
  ASSERT_TRUE(status.has_value());
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 2);
  EXPECT_EQ(fake.Stderr(),
            "fake_platform: --platform-version must be 2026-04 or 2026-08, got \"2026-13\"\n");
}

TEST(FakePlatformBinaryTest, HelpDocumentsTheFlags) {
  Subprocess fake({BinaryPath(), "--help"});
  ASSERT_TRUE(fake.started());
  std::string help;
  while (auto line = fake.ReadLine(seconds(10))) {
    help += *line + "\n";
  }
  const std::optional<int> status = fake.Wait(seconds(10));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(WEXITSTATUS(*status), 0);
  for (const char* flag :
       {"--port", "--scenario", "--time-scale", "--admin-token", "--org-id", "--rate-limit",
        "--registration-secs", "--a2a-latency-ms", "--fault", "--platform-version"}) {
    EXPECT_NE(help.find(flag), std::string::npos) << flag;
  }
}

}  // namespace
}  // namespace taskbounds
