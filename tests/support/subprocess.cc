#include "tests/support/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace taskbounds {

using Clock = std::chrono::steady_clock;

namespace {

// execve's view of `items`: pointers into them, null-terminated. `items` must outlive it.
std::vector<char*> NullTerminated(const std::vector<std::string>& items) {
  std::vector<char*> pointers;
  pointers.reserve(items.size() + 1);
  for (const std::string& item : items) {
    pointers.push_back(const_cast<char*>(item.c_str()));
  }
  pointers.push_back(nullptr);
  return pointers;
}

void CloseBoth(int fds[2]) {
  close(fds[0]);
  close(fds[1]);
}

void SetNonBlocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

}  // namespace

std::unique_ptr<Subprocess> Subprocess::Spawn(const std::vector<std::string>& argv,
                                              const std::vector<std::string>& env,
                                              std::string* error, Stderr stderr_mode) {
  // Everything the child needs is built before fork: after it, only async-signal-safe
  // calls are allowed (this process has other threads).
  std::vector<char*> args = NullTerminated(argv);
  std::vector<char*> envp = NullTerminated(env);
  const bool capture_stderr = stderr_mode == Stderr::kCapture;

  int out[2];
  int err[2] = {-1, -1};
  if (pipe2(out, O_CLOEXEC) != 0) {
    *error = std::string("pipe2: ") + std::strerror(errno);
    return nullptr;
  }
  if (capture_stderr && pipe2(err, O_CLOEXEC) != 0) {
    *error = std::string("pipe2: ") + std::strerror(errno);
    CloseBoth(out);
    return nullptr;
  }
  const pid_t pid = fork();
  if (pid < 0) {
    *error = std::string("fork: ") + std::strerror(errno);
    CloseBoth(out);
    if (capture_stderr) {
      CloseBoth(err);
    }
    return nullptr;
  }
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);  // dup2 clears O_CLOEXEC on the new descriptor
    if (capture_stderr) {
      dup2(err[1], STDERR_FILENO);
    }
    // Default dispositions, whatever the test process did with them.
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  close(out[1]);
  SetNonBlocking(out[0]);
  if (capture_stderr) {
    close(err[1]);
    SetNonBlocking(err[0]);
  }
  return std::unique_ptr<Subprocess>(new Subprocess(pid, out[0], err[0]));
}

Subprocess::~Subprocess() {
  if (!reaped_) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  close(stdout_fd_);
  if (stderr_fd_ >= 0) {
    close(stderr_fd_);
  }
}

void Subprocess::DrainStderr() {
  if (stderr_fd_ < 0) {
    return;
  }
  char buf[4096];
  for (;;) {
    const ssize_t n = read(stderr_fd_, buf, sizeof(buf));
    if (n > 0) {
      error_output_.append(buf, static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      return;  // end of file, or EAGAIN: nothing more for now
    }
  }
}

const std::string& Subprocess::error_output() {
  DrainStderr();
  return error_output_;
}

bool Subprocess::Pump(std::chrono::milliseconds wait) {
  DrainStderr();
  if (eof_) {
    return false;
  }
  pollfd pfd{stdout_fd_, POLLIN, 0};
  const int ready = poll(&pfd, 1, static_cast<int>(wait.count()));
  if (ready <= 0) {
    return true;
  }
  char buf[4096];
  for (;;) {
    const ssize_t n = read(stdout_fd_, buf, sizeof(buf));
    if (n > 0) {
      output_.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0) {
      eof_ = true;
      return false;
    }
    if (errno == EINTR) {
      continue;
    }
    return true;  // EAGAIN: drained for now
  }
}

testing::AssertionResult Subprocess::WaitForLine(
    const std::function<bool(const std::string&)>& predicate, std::chrono::milliseconds timeout,
    std::string* line) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    std::size_t end;
    while ((end = output_.find('\n', scanned_)) != std::string::npos) {
      const std::string candidate = output_.substr(scanned_, end - scanned_);
      scanned_ = end + 1;
      if (predicate(candidate)) {
        if (line != nullptr) {
          *line = candidate;
        }
        return testing::AssertionSuccess();
      }
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0 || eof_) {
      return testing::AssertionFailure() << (eof_ ? "the process closed its output" : "timed out")
                                         << " before the awaited line; output so far:\n"
                                         << output_;
    }
    Pump(std::min(left, std::chrono::milliseconds(50)));
  }
}

testing::AssertionResult Subprocess::WaitForNextLine(std::chrono::milliseconds timeout,
                                                     std::string* line) {
  return WaitForLine([](const std::string&) { return true; }, timeout, line);
}

bool Subprocess::Signal(int signo) { return !reaped_ && kill(pid_, signo) == 0; }

testing::AssertionResult Subprocess::WaitForExit(std::chrono::milliseconds timeout,
                                                 int* wait_status) {
  const auto deadline = Clock::now() + timeout;
  while (!reaped_) {
    const pid_t done = waitpid(pid_, wait_status, WNOHANG);
    if (done == pid_) {
      reaped_ = true;
      break;
    }
    if (Clock::now() >= deadline) {
      return testing::AssertionFailure()
             << "still running after " << timeout.count() << " ms; output so far:\n"
             << output_;
    }
    if (!Pump(std::chrono::milliseconds(10))) {
      // End of output: nothing more to read, just wait for the exit.
      struct timespec pause = {0, 5L * 1000 * 1000};
      nanosleep(&pause, nullptr);
    }
  }
  while (Pump(std::chrono::milliseconds(0)) && !eof_) {
  }
  return testing::AssertionSuccess();
}

testing::AssertionResult RunToCompletion(const std::vector<std::string>& argv,
                                         const std::vector<std::string>& env,
                                         std::chrono::milliseconds timeout,
                                         Subprocess::Stderr stderr_mode, CompletedProcess* result) {
  std::string error;
  auto process = Subprocess::Spawn(argv, env, &error, stderr_mode);
  if (!process) {
    return testing::AssertionFailure() << "cannot start " << argv.at(0) << ": " << error;
  }
  int status = 0;
  testing::AssertionResult exited = process->WaitForExit(timeout, &status);
  result->out = process->output();
  result->err = process->error_output();
  if (!exited) {
    return exited;
  }
  if (!WIFEXITED(status)) {
    return testing::AssertionFailure() << argv.at(0) << " " << DescribeWaitStatus(status);
  }
  result->exit_code = WEXITSTATUS(status);
  return testing::AssertionSuccess();
}

std::vector<std::string> EnvironmentWith(
    const std::map<std::string, std::optional<std::string>>& changes) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string item = *e;
    const std::string name = item.substr(0, item.find('='));
    if (changes.count(name) == 0) {
      env.push_back(item);
    }
  }
  for (const auto& [name, value] : changes) {
    if (value) {
      env.push_back(name + "=" + *value);
    }
  }
  return env;
}

std::string DescribeWaitStatus(int wait_status) {
  if (WIFEXITED(wait_status)) {
    return "exited with " + std::to_string(WEXITSTATUS(wait_status));
  }
  if (WIFSIGNALED(wait_status)) {
    const int sig = WTERMSIG(wait_status);
    return "killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
  }
  return "wait status " + std::to_string(wait_status);
}

std::string RunfilePath(const std::string& workspace_relative) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  if (srcdir == nullptr || workspace == nullptr) {
    return workspace_relative;
  }
  return std::string(srcdir) + "/" + workspace + "/" + workspace_relative;
}

}  // namespace taskbounds
