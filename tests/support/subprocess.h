// Subprocess: runs a binary with a chosen environment, reads its stdout line by line with
// deadlines, signals it, and reaps it. For tests of what happens when a run's process fails,
// exits, or is killed (janitor_process_test.cc), of //tools:measure (measure_tool_test.cc)
// and of the standalone fake platform (fake_platform_binary_test.cc).
#ifndef TESTS_SUPPORT_SUBPROCESS_H_
#define TESTS_SUPPORT_SUBPROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace taskbounds {

class Subprocess {
 public:
  enum class Stderr {
    kInherit,  // lands in the test log
    kCapture,  // kept for error_output(), for tests of what a program prints there
  };

  // argv[0] is the program's path; `env` is the child's whole environment ("K=V" items).
  // Null (with `error` naming the failed system call) when the process cannot be started.
  static std::unique_ptr<Subprocess> Spawn(const std::vector<std::string>& argv,
                                           const std::vector<std::string>& env, std::string* error,
                                           Stderr stderr_mode = Stderr::kInherit);
  ~Subprocess();  // SIGKILL and reap if it is still running
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }

  // Reads stdout until a line satisfying `predicate` arrives (out: that line).
  testing::AssertionResult WaitForLine(const std::function<bool(const std::string&)>& predicate,
                                       std::chrono::milliseconds timeout,
                                       std::string* line = nullptr);
  // The next stdout line, whatever it is.
  testing::AssertionResult WaitForNextLine(std::chrono::milliseconds timeout, std::string* line);
  bool Signal(int signo);
  // Waits for the process to end, reading its output meanwhile; `wait_status` as from
  // waitpid. On timeout the process is left running (the destructor kills it).
  testing::AssertionResult WaitForExit(std::chrono::milliseconds timeout, int* wait_status);

  // Everything read from stdout so far.
  const std::string& output() const { return output_; }
  // Everything read from stderr so far (Stderr::kCapture only; "" otherwise).
  const std::string& error_output();

 private:
  Subprocess(pid_t pid, int stdout_fd, int stderr_fd)
      : pid_(pid), stdout_fd_(stdout_fd), stderr_fd_(stderr_fd) {}
  // Reads what is available within `wait`; false at end of file.
  bool Pump(std::chrono::milliseconds wait);
  // Reads what stderr holds now, without waiting.
  void DrainStderr();

  pid_t pid_;
  int stdout_fd_;
  int stderr_fd_;  // -1 unless captured
  std::string error_output_;
  bool reaped_ = false;
  bool eof_ = false;
  std::string output_;
  std::size_t scanned_ = 0;  // output_ offset up to which WaitForLine has looked
};

// What a process that ran to its end left: its exit code and what it wrote.
struct CompletedProcess {
  int exit_code = -1;
  std::string out;
  std::string err;  // Stderr::kCapture only
};

// Runs `argv` with `env` to its end within `timeout`. Fails, naming the cause and with what
// the process printed so far in `result`, when it cannot start, is still running at the
// deadline (it is then killed), or is ended by a signal.
testing::AssertionResult RunToCompletion(const std::vector<std::string>& argv,
                                         const std::vector<std::string>& env,
                                         std::chrono::milliseconds timeout,
                                         Subprocess::Stderr stderr_mode, CompletedProcess* result);

// This process's environment with `changes` applied: a value sets, nullopt removes.
std::vector<std::string> EnvironmentWith(
    const std::map<std::string, std::optional<std::string>>& changes);

// "exited with 1", "killed by signal 15 (Terminated)".
std::string DescribeWaitStatus(int wait_status);

// A runfile of this test (e.g. "tests/harness/janitor_scenarios"), as an absolute path.
std::string RunfilePath(const std::string& workspace_relative);

}  // namespace taskbounds

#endif  // TESTS_SUPPORT_SUBPROCESS_H_
