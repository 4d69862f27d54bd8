// synthetic_agent: the suite's synthetic coordinator (mocks/agent/synthetic_agent.h) as a
// standalone server, so a person can register it with a platform as an external workspace
// and watch what reaches it. See --help.
#include <pthread.h>

#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "mocks/agent/synthetic_agent.h"
#include "mocks/platform/sim_clock.h"

namespace taskbounds {
namespace {

constexpr char kUsage[] = R"(usage: synthetic_agent [flags]

Serves the suite's synthetic coordinator, an A2A agent answering JSON-RPC message/send (by
POST on any path) and its agent card (GET /.well-known/agent-card.json, also agent.json),
until SIGINT or SIGTERM. The first line of stdout is "listening on http://HOST:PORT"; then
one JSON line per event, {"ts","event","data"}: agent_request (a request arrived),
agent_request_ended (how and when it ended), agent_heartbeat (a heartbeat was sent). Times in
data are platform seconds since the agent started.

  --port=N                      port to bind; 0 (default) picks a free one
  --host=ADDR                   address to bind (default 127.0.0.1)
  --time-scale=X                wall seconds per platform second, (0, 1000] (default 1)
  --hold=SECS|until-cut         how long a kickoff is held before its answer, in platform
                                seconds; until-cut (default): until the caller hangs up
  --headers=at-end|at-once      response headers with the body at the task's end (default),
                                or at once (200, chunked) with the body at the end
  --reply=normal|agent-error    the answer of a task that ran its course: a text result
                                (default) or "Agent error (<tag>): ..." (HTTP 200 both)
  --error-tag=TAG               the <tag> of agent-error (default TimeoutError)
  --redispatch=hold|answer      a kickoff whose messageId arrived before: held like the first
                                (default) or answered at once
  --inbound-secret=SECRET       refuse (401) every call without "Authorization: Bearer
                                SECRET" (the platform_inbound_secret POST /registry/register
                                returned); default: serve every caller. Or set
                                SYNTHETIC_AGENT_INBOUND_SECRET, which keeps it off the
                                command line
Heartbeats (POST <registry-url>/registry/heartbeat, the first at once, active_tasks = the
kickoffs held at that moment):
  --heartbeat-secs=S            platform seconds between heartbeats; 0 (default): none
  --registry-url=URL            the platform's base URL, http(s)://host[:port][/path]
  --workspace-id=ID             the external workspace's id
  --workspace-token=TOKEN       the workspace's auth_token, sent as the bearer (default none:
                                only the platform's bootstrap case accepts that). Or set
                                SYNTHETIC_AGENT_WORKSPACE_TOKEN
  --idle-timeout-override-secs=N
                                send runtime_metadata.idle_timeout_seconds=N (the platform's
                                per-workspace idle timer; default: not sent, which clears it)
Other:
  --name=NAME                   the agent card's name (default synthetic-coordinator)
  --card-url=URL                the agent card's url (default this server's URL; give the
                                public URL the platform is told)
  --workers=N                   server threads, >= 2; each open request pins one (default 16)
  --help                        this text
Exit: 0 after SIGINT/SIGTERM, 1 when it cannot start, 2 for a bad flag.
)";

bool ParseNumber(const std::string& text, double* out) {
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || errno != 0 || *end != '\0' || !std::isfinite(value)) {
    return false;
  }
  *out = value;
  return true;
}

bool ParseWhole(const std::string& text, long min, long max, long* out) {
  char* end = nullptr;
  errno = 0;
  const long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || errno != 0 || *end != '\0' || value < min || value > max) {
    return false;
  }
  *out = value;
  return true;
}

std::string BadValue(const std::string& name, const std::string& rule, const std::string& value) {
  return "--" + name + " must be " + rule + ", got \"" + value + "\"";
}

using Setter = std::function<std::optional<std::string>(const std::string& value)>;

// `parse`'s value into `*out`, or the one-line error naming the flag and its choices.
template <typename T>
Setter Choice(const std::string& name, std::optional<T> (*parse)(const std::string&),
              const char* choices, T* out) {
  return [=](const std::string& value) -> std::optional<std::string> {
    const std::optional<T> parsed = parse(value);
    if (!parsed) {
      return BadValue(name, choices, value);
    }
    *out = *parsed;
    return std::nullopt;
  };
}

Setter Text(std::string* out) {
  return [out](const std::string& value) -> std::optional<std::string> {
    *out = value;
    return std::nullopt;
  };
}

Setter Whole(const std::string& name, long min, long max, const std::function<void(long)>& set) {
  return [=](const std::string& value) -> std::optional<std::string> {
    long number = 0;
    if (!ParseWhole(value, min, max, &number)) {
      return BadValue(name, std::to_string(min) + ".." + std::to_string(max), value);
    }
    set(number);
    return std::nullopt;
  };
}

Setter Hold(std::optional<double>* out) {
  return [out](const std::string& value) -> std::optional<std::string> {
    double secs = 0;
    if (value == "until-cut") {
      *out = std::nullopt;
    } else if (ParseNumber(value, &secs) && secs >= 0) {
      *out = secs;
    } else {
      return BadValue("hold", "a number of platform seconds >= 0 or until-cut", value);
    }
    return std::nullopt;
  };
}

// Every flag, each with what it sets: the one list of flags (an unknown name is not here).
std::map<std::string, Setter> Flags(SyntheticAgentOptions* o) {
  AgentBehaviour* b = &o->behaviour;
  HeartbeatSettings* h = &b->heartbeat;
  return {
      {"port", Whole("port", 0, 65535, [o](long v) { o->port = static_cast<int>(v); })},
      {"host", Text(&o->host)},
      {"time-scale",
       [o](const std::string& v) -> std::optional<std::string> {
         if (!ParseNumber(v, &o->time_scale) || o->time_scale <= 0 || o->time_scale > 1000) {
           return BadValue("time-scale", "in (0, 1000]", v);
         }
         return std::nullopt;
       }},
      {"hold", Hold(&b->hold_secs)},
      {"headers", Choice("headers", ParseHeaderTiming, "at-end or at-once", &b->headers)},
      {"reply", Choice("reply", ParseReplyKind, "normal or agent-error", &b->reply)},
      {"error-tag", Text(&b->error_tag)},
      {"redispatch", Choice("redispatch", ParseRedispatchRule, "hold or answer", &b->redispatch)},
      {"inbound-secret", Text(&b->inbound_secret)},
      {"heartbeat-secs",
       [h](const std::string& v) -> std::optional<std::string> {
         if (!ParseNumber(v, &h->interval_secs) || h->interval_secs < 0) {
           return BadValue("heartbeat-secs", "a number of platform seconds >= 0", v);
         }
         return std::nullopt;
       }},
      {"registry-url", Text(&h->registry_url)},
      {"workspace-id", Text(&h->workspace_id)},
      {"workspace-token", Text(&h->workspace_token)},
      {"idle-timeout-override-secs",
       Whole("idle-timeout-override-secs", 1, 86400L * 30,
             [h](long v) { h->idle_timeout_secs = static_cast<int>(v); })},
      {"name", Text(&o->name)},
      {"card-url", Text(&o->card_url)},
      {"workers",
       Whole("workers", 2, 4096, [o](long v) { o->worker_threads = static_cast<int>(v); })},
  };
}

// Fills `options` from argv ("--name=value" or "--name value"); one line naming the flag on
// error. Secrets not given as flags come from the environment.
std::optional<std::string> ParseArgs(int argc, char** argv, SyntheticAgentOptions* options,
                                     bool* help) {
  const std::map<std::string, Setter> flags = Flags(options);
  for (int i = 1; i < argc; ++i) {
    std::string name = argv[i];
    if (name == "--help" || name == "-h") {
      *help = true;
      return std::nullopt;
    }
    if (name.rfind("--", 0) != 0) {
      return "unexpected argument \"" + name + "\" (see --help)";
    }
    name = name.substr(2);
    std::optional<std::string> value;
    if (const std::size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    const auto flag = flags.find(name);
    if (flag == flags.end()) {
      return "unknown flag --" + name + " (see --help)";
    }
    if (!value && i + 1 >= argc) {
      return "--" + name + " needs a value";
    }
    if (auto error = flag->second(value ? *value : argv[++i])) {
      return error;
    }
  }
  for (auto [variable, field] :
       {std::pair{"SYNTHETIC_AGENT_INBOUND_SECRET", &options->behaviour.inbound_secret},
        std::pair{"SYNTHETIC_AGENT_WORKSPACE_TOKEN",
                  &options->behaviour.heartbeat.workspace_token}}) {
    const char* from_env = std::getenv(variable);
    if (field->empty() && from_env != nullptr) {
      *field = from_env;
    }
  }
  return std::nullopt;
}

// Stdout: "listening on URL" first, then each event as one whole line, however many server
// threads report at once. Events that come before the first line (the first heartbeat goes
// out as the agent starts) wait for it.
class StdoutLines {
 public:
  void Event(const char* event, const std::string& data_json) {
    std::string line = std::string("{\"ts\":\"") + IsoAt(std::chrono::steady_clock::now()) +
                       "\",\"event\":\"" + event + "\",\"data\":" + data_json + "}\n";
    std::lock_guard<std::mutex> lock(mu_);
    if (!listening_) {
      pending_ += line;
      return;
    }
    std::cout << line << std::flush;
  }

  void Listening(const std::string& url) {
    std::lock_guard<std::mutex> lock(mu_);
    std::cout << "listening on " << url << "\n" << pending_ << std::flush;  // parents wait for it
    pending_.clear();
    listening_ = true;
  }

 private:
  std::mutex mu_;
  bool listening_ = false;
  std::string pending_;
};

int Run(int argc, char** argv) {
  SyntheticAgentOptions options;
  bool help = false;
  std::optional<std::string> error = ParseArgs(argc, argv, &options, &help);
  if (!error && !help) {
    if (std::string why = CheckBehaviour(options.behaviour, options.time_scale); !why.empty()) {
      error = why;
    }
  }
  if (error) {
    std::cerr << "synthetic_agent: " << *error << "\n";
    return 2;
  }
  if (help) {
    std::cout << kUsage;
    return 0;
  }
  // Block the stop signals before any thread exists, so every thread inherits the mask and
  // only sigwait below takes them: no work in a signal handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  auto out = std::make_shared<StdoutLines>();
  options.observer = [out](const char* event, const std::string& data) { out->Event(event, data); };
  std::string start_error;
  auto agent = SyntheticAgent::Start(options, &start_error);
  if (!agent) {
    std::cerr << start_error << "\n";
    return 1;
  }
  out->Listening(agent->url());
  std::cerr << "synthetic_agent: " << DescribeBehaviour(options.behaviour)
            << " time_scale=" << FormatPlatformSecs(options.time_scale) << std::endl;
  int signal_number = 0;
  while (sigwait(&stop_signals, &signal_number) != 0) {
  }
  std::cerr << "synthetic_agent: " << (signal_number == SIGINT ? "SIGINT" : "SIGTERM")
            << ", stopping" << std::endl;
  const std::string stop_error = agent->Stop();
  if (!stop_error.empty()) {
    std::cerr << "synthetic_agent: " << stop_error << std::endl;
  }
  return 0;
}

}  // namespace
}  // namespace taskbounds

int main(int argc, char** argv) { return taskbounds::Run(argc, argv); }
